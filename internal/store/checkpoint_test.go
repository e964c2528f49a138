package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCheckpointerCopiesTheWAL: pages committed to the WAL reach the
// database file by the checkpointer, long before the writer's own limit.
func TestCheckpointerCopiesTheWAL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "c.db")
	db, err := Open(ctx, path, Options{}, testSchema())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	size := func(p string) int64 {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	before := size(path)
	note := strings.Repeat("x", 1000)
	for i := range 200 { // about 200 KB, some 60 pages: far below writerCheckpointPages
		if err := db.Write(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO t (v, note) VALUES (?, ?)`, i, note)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(10 * checkpointEvery)
	for size(path) < before+150_000 {
		if time.Now().After(deadline) {
			t.Fatalf("database file %d bytes after %s (%d before, WAL %d): nothing checkpointed",
				size(path), 10*checkpointEvery, before, size(path+"-wal"))
		}
		time.Sleep(checkpointEvery / 5)
	}
}
