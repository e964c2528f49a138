package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Backup writes a consistent copy of the live database to dest with VACUUM
// INTO: one read snapshot, so writers go on meanwhile and the copy is what
// the ledger was at one instant, compacted, without a WAL to carry along.
// dest must not exist: a backup never overwrites anything. The copy is
// checked with PRAGMA integrity_check before Backup reports success.
func (db *DB) Backup(ctx context.Context, dest string) error {
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("backup to %s: %w", dest, fs.ErrExist)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup to %s: %w", dest, err)
	}
	// Its own connection: the reader pool is query-only, which forbids
	// writing even another file, and the writer must stay free for members.
	conn, err := sql.Open("sqlite", dsn(db.path, false))
	if err != nil {
		return fmt.Errorf("backup %s: %w", db.path, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, dest); err != nil {
		return fmt.Errorf("backup %s to %s: %w", db.path, dest, err)
	}
	copied, err := sql.Open("sqlite", "file:"+dest+"?mode=ro")
	if err != nil {
		return fmt.Errorf("check backup %s: %w", dest, err)
	}
	defer copied.Close()
	var verdict string
	if err := copied.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&verdict); err != nil {
		return fmt.Errorf("check backup %s: %w", dest, err)
	}
	if verdict != "ok" {
		return fmt.Errorf("check backup %s: integrity_check says %q", dest, verdict)
	}
	return nil
}
