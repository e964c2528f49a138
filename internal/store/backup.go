package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the live database to dest with VACUUM
// INTO: one read snapshot, so writers go on meanwhile and the copy is what
// the ledger was at one instant, compacted, without a WAL to carry along.
// dest must not exist: a backup never overwrites anything. The copy is
// written beside dest under a temporary name, private to kopbot's account,
// checked with PRAGMA integrity_check, and only then given dest's name, so
// a backup that fails (a full disk, a kill) leaves no partial file that
// could later be mistaken for a good one.
func (db *DB) Backup(ctx context.Context, dest string) (err error) {
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("backup to %s: %w", dest, fs.ErrExist)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup to %s: %w", dest, err)
	}
	if err := db.Same(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".partial-*")
	if err != nil {
		return fmt.Errorf("backup to %s: %w", dest, err)
	}
	tmpName := tmp.Name()
	defer func() {
		// Whatever happened, only dest may remain.
		if rmErr := os.Remove(tmpName); rmErr != nil && !errors.Is(rmErr, fs.ErrNotExist) {
			err = errors.Join(err, rmErr)
		}
	}()
	// CreateTemp made it 0600 and empty, which VACUUM INTO accepts.
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("backup to %s: %w", dest, err)
	}
	if err := db.vacuumInto(ctx, tmpName); err != nil {
		return err
	}
	if err := checkCopy(ctx, tmpName); err != nil {
		return err
	}
	// A hard link does not replace an existing dest, unlike rename: a file
	// that appeared there meanwhile is kept.
	if err := os.Link(tmpName, dest); err != nil {
		return fmt.Errorf("backup to %s: %w", dest, err)
	}
	return nil
}

func (db *DB) vacuumInto(ctx context.Context, dest string) error {
	// Its own connection: the reader pool is query-only, which forbids
	// writing even another file, and the writer must stay free for members.
	conn, err := sql.Open("sqlite", dsn(db.path, false, db.busy))
	if err != nil {
		return fmt.Errorf("backup %s: %w", db.path, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, dest); err != nil {
		return fmt.Errorf("backup %s: %w", db.path, err)
	}
	return nil
}

func checkCopy(ctx context.Context, path string) error {
	copied, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return fmt.Errorf("check backup: %w", err)
	}
	defer copied.Close()
	var verdict string
	if err := copied.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&verdict); err != nil {
		return fmt.Errorf("check backup: %w", err)
	}
	if verdict != "ok" {
		return fmt.Errorf("check backup: integrity_check says %q", verdict)
	}
	return nil
}
