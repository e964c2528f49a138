package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"
)

// A checkpoint copies the pages that commits appended to the WAL into the
// database file and syncs it. Left to SQLite, the writer does it inside
// the commit that crosses 1,000 WAL pages: under load that was one commit
// in twenty, each holding every waiting member for about 7 ms, and a tenth
// of the writer's time. A connection of its own now does it a few times a
// second on the other core; commits and checkpoints run side by side in
// WAL mode.
const checkpointEvery = 250 * time.Millisecond

// writerCheckpointPages is the WAL size at which the writer still
// checkpoints itself. The WAL starts over from its beginning only when a
// write begins with every page checkpointed, which a busy writer may not
// meet for a while; this bounds how long the WAL grows meanwhile (64 MB),
// and by then the checkpointer has copied nearly all of it.
const writerCheckpointPages = 16384

type checkpointer struct {
	db   *sql.DB
	stop context.CancelFunc
	done chan struct{}
}

func startCheckpointer(path string, busy time.Duration) (*checkpointer, error) {
	c, err := newConnector(dsn(path, false, busy), connConf{max: 4})
	if err != nil {
		return nil, fmt.Errorf("open checkpointer %s: %w", path, err)
	}
	db := sql.OpenDB(c)
	db.SetMaxOpenConns(1)
	ctx, stop := context.WithCancel(context.Background())
	cp := &checkpointer{db: db, stop: stop, done: make(chan struct{})}
	go cp.run(ctx)
	return cp, nil
}

func (cp *checkpointer) run(ctx context.Context) {
	defer close(cp.done)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		// PASSIVE waits for no one: pages a reader still needs are left
		// for the next round.
		var busy, wal, copied int
		if err := cp.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &wal, &copied); err != nil && ctx.Err() == nil {
			slog.WarnContext(ctx, "checkpoint failed; the writer checkpoints at its limit", "err", err)
		}
	}
}

func (cp *checkpointer) close() error {
	cp.stop()
	<-cp.done
	return cp.db.Close()
}
