package store

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"testing/fstest"
)

func testSchema() Schema {
	return Schema{Name: "t", FS: fstest.MapFS{
		"0001_init.sql": {Data: []byte(`CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL) STRICT;
			CREATE TABLE u (id INTEGER PRIMARY KEY, t_id INTEGER NOT NULL REFERENCES t(id)) STRICT;`)},
		"0002_more.sql": {Data: []byte(`ALTER TABLE t ADD COLUMN note TEXT;`)},
	}}
}

// openTest opens a fresh database of testSchema, closed when t ends.
func openTest(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "k.db"), Options{}, testSchema())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestOpenMigratesOnceAndEnforcesForeignKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "k.db")
	for range 2 { // the second open must find everything applied
		db, err := Open(ctx, path, Options{}, testSchema())
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.R.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE schema='t'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 2 {
			t.Fatalf("applied migrations = %d, want 2", n)
		}
		err = db.Write(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO u (t_id) VALUES (42)`)
			return err
		})
		if err == nil {
			t.Fatal("foreign key to a missing row was accepted")
		}
		var mode string
		if err := db.R.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
			t.Fatalf("journal_mode = %q, %v; want wal", mode, err)
		}
		db.Close()
	}
}

func TestWriteRollsBackOnError(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	boom := errors.New("boom")
	err := db.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO t (v) VALUES (1)`); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	var n int
	if err := db.R.QueryRowContext(ctx, `SELECT count(*) FROM t`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("rows after rollback = %d, %v", n, err)
	}
	if _, err := db.R.ExecContext(ctx, `INSERT INTO t (v) VALUES (1)`); err == nil {
		t.Fatal("reader pool accepted a write")
	}
}

func TestConcurrentWritersNeverBusy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	var wg sync.WaitGroup
	errs := make(chan error, 400)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				errs <- db.Write(ctx, func(tx *sql.Tx) error {
					var sum int
					if err := tx.QueryRowContext(ctx, `SELECT coalesce(sum(v),0) FROM t`).Scan(&sum); err != nil {
						return err
					}
					_, err := tx.ExecContext(ctx, `INSERT INTO t (v) VALUES (?)`, w*100+i)
					return err
				})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := db.R.QueryRowContext(ctx, `SELECT count(*) FROM t`).Scan(&n); err != nil || n != 400 {
		t.Fatalf("rows = %d, %v; want 400", n, err)
	}
}

func TestBadMigrationName(t *testing.T) {
	t.Parallel()
	_, err := Open(context.Background(), filepath.Join(t.TempDir(), "k.db"), Options{},
		Schema{Name: "bad", FS: fstest.MapFS{"init.sql": {Data: []byte(`SELECT 1`)}}})
	if err == nil {
		t.Fatal("a migration without a version number was accepted")
	}
}

func TestBackupWhileWriting(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, filepath.Join(dir, "k.db"), Options{}, testSchema())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	insert := func(n int) {
		for range n {
			if err := db.Write(ctx, func(tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, `INSERT INTO t (v) VALUES (1)`)
				return err
			}); err != nil {
				t.Error(err)
				return
			}
		}
	}
	insert(100)
	done := make(chan struct{})
	go func() { defer close(done); insert(200) }() // members keep writing during the backup
	dest := filepath.Join(dir, "backup.db")
	if err := db.Backup(ctx, dest); err != nil {
		t.Fatal(err)
	}
	<-done
	copied, err := Open(ctx, dest, Options{}, testSchema())
	if err != nil {
		t.Fatal(err)
	}
	defer copied.Close()
	var n int
	if err := copied.R.QueryRow(`SELECT count(*) FROM t`).Scan(&n); err != nil || n < 100 || n > 300 {
		t.Fatalf("backup holds %d rows, %v; want a snapshot between 100 and 300", n, err)
	}
	if err := db.Backup(ctx, dest); err == nil {
		t.Fatal("a backup overwrote an existing file")
	}
}
