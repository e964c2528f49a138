package reminder

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/store"
)

// batchSize is how many reminders one write transaction queues: large
// enough that commits do not dominate, small enough that the planner holds
// a few hundred messages in memory whatever the number of loans, and the
// writer is free often for members' own messages.
const batchSize = 500

// Planner queues reminders when they are due.
type Planner struct {
	db   *store.DB
	msgs Localizer
	clk  clock.Clock
	cfg  Config
}

// NewPlanner checks cfg and returns a planner over db.
func NewPlanner(db *store.DB, msgs Localizer, clk clock.Clock, cfg Config) (*Planner, error) {
	if db == nil || msgs == nil || clk == nil {
		return nil, errors.New("reminder: NewPlanner needs a store, messages and a clock")
	}
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("reminder: %w: %w", ErrConfig, err)
	}
	cfg.OffsetsInstallment = slices.Clone(cfg.OffsetsInstallment)
	cfg.OffsetsWajib = slices.Clone(cfg.OffsetsWajib)
	cfg.Days = slices.Clone(cfg.Days)
	return &Planner{db: db, msgs: msgs, clk: clk, cfg: cfg}, nil
}

// Result is what one Plan did.
type Result struct {
	// Queued counts the messages newly written to the outbox.
	Queued int
}

// Plan queues what is due now, each message once ever. Outside the sending
// window it does nothing: what falls due then is picked up by the first run
// inside the next window. Installments stream from the database and are
// queued batchSize per transaction, so memory does not grow with loans.
func (p *Planner) Plan(ctx context.Context) (Result, error) {
	now := p.clk.Now()
	if !p.cfg.open(now) {
		return Result{}, nil
	}
	day := p.cfg.today(now)
	// A writer queues each full batch while the selection goes on to the
	// next: reading and writing then share the machine's cores, and no more
	// than two batches are in hand at a time.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []outbox.Item)
	var res Result
	var werr error
	var writer sync.WaitGroup
	writer.Go(func() {
		for batch := range batches {
			if werr != nil {
				continue
			}
			n, err := p.queue(ctx, batch, now)
			res.Queued += n
			if err != nil {
				werr = err
				cancel()
			}
		}
	})
	batch := make([]outbox.Item, 0, batchSize)
	var f *found
	err := p.db.Read(ctx, func(tx *sql.Tx) error {
		q := newPrepared(tx)
		var err error
		f, err = p.each(ctx, q, day, now, queuedIn(q), func(pl Planned) error {
			it := pl.item()
			// Not sent on its day, a reminder is stale: dropped, not sent late.
			it.Expires = p.cfg.at(day, p.cfg.WindowEnd)
			batch = append(batch, it)
			if len(batch) < batchSize {
				return nil
			}
			select {
			case batches <- batch:
			case <-ctx.Done():
				return ctx.Err()
			}
			batch = make([]outbox.Item, 0, batchSize)
			return nil
		})
		return err
	})
	if err == nil && len(batch) > 0 {
		batches <- batch
	}
	close(batches)
	writer.Wait()
	if werr != nil {
		// The selection's error, if any, is then only the cancellation.
		err = werr
	}
	if err == nil {
		err = p.spread(ctx, f, day, now)
	}
	if err != nil {
		return res, fmt.Errorf("plan reminders of %s: %w", day.Format(time.DateOnly), err)
	}
	if res.Queued > 0 {
		slog.InfoContext(ctx, "reminders queued", "day", day.Format(time.DateOnly), "queued", res.Queued)
	}
	return res, nil
}

// queue writes batch to the outbox in one transaction and says how many
// of its messages were new.
func (p *Planner) queue(ctx context.Context, batch []outbox.Item, now time.Time) (int, error) {
	n := 0
	err := p.db.Write(ctx, func(tx *sql.Tx) error {
		q := newPrepared(tx)
		for _, it := range batch {
			queued, err := outbox.Enqueue(ctx, q, it, now)
			if err != nil {
				return err
			}
			if queued {
				n++
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("queue reminders: %w", err)
	}
	return n, nil
}

// queuedIn is Plan's queued: the keys the outbox has a row with.
func queuedIn(q store.Queryer) queued {
	return func(ctx context.Context, keys []string) (map[string]bool, error) {
		arg, err := json.Marshal(keys)
		if err != nil {
			return nil, fmt.Errorf("reminders queued?: %w", err)
		}
		rows, err := q.QueryContext(ctx, `SELECT key FROM outbox WHERE key IN (SELECT value FROM json_each(?))`, string(arg))
		if err != nil {
			return nil, fmt.Errorf("reminders queued?: %w", err)
		}
		defer rows.Close()
		done := make(map[string]bool, len(keys))
		for rows.Next() {
			var key string
			if err := rows.Scan(&key); err != nil {
				return nil, fmt.Errorf("reminders queued?: %w", err)
			}
			done[key] = true
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("reminders queued?: %w", err)
		}
		return done, nil
	}
}

// Preview lists what Plan would queue on the day on (a calendar day, read in its
// own zone) at the window's start, were nothing queued yet: the officers'
// "kopbot reminders preview --date".
func (p *Planner) Preview(ctx context.Context, q store.Queryer, on time.Time) ([]Planned, error) {
	day := date(on)
	if !p.cfg.open(p.cfg.at(day, p.cfg.WindowStart)) {
		return nil, nil
	}
	var out []Planned
	if _, err := p.each(ctx, q, day, p.cfg.at(day, p.cfg.WindowStart), noneQueued, func(pl Planned) error {
		out = append(out, pl)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("preview reminders of %s: %w", day.Format(time.DateOnly), err)
	}
	return out, nil
}
