package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
)

// TestFreshDatabaseFromTheTemplate: a second new database of the same
// schemas is a copy of the first migrated one (same tables and recorded
// migrations, private, in WAL mode, writable, its own data), and a changed
// migration gets a database of its own.
func TestFreshDatabaseFromTheTemplate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// A schema no other test uses, so this test builds its template.
	schema := func(extra string) Schema {
		return Schema{Name: "tpl", FS: fstest.MapFS{
			"0001_init.sql": {Data: []byte(`CREATE TABLE tpl (id INTEGER PRIMARY KEY, v INTEGER NOT NULL` + extra + `) STRICT;`)},
		}}
	}
	open := func(s Schema) (*DB, string) {
		path := filepath.Join(t.TempDir(), "k.db")
		db, err := Open(ctx, path, Options{}, s)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db, path
	}
	key, err := schemasKey([]Schema{schema("")})
	if err != nil {
		t.Fatal(err)
	}
	first, _ := open(schema(""))
	if _, ok := templates.Load(key); !ok {
		t.Fatal("no template kept after the first fresh database")
	}
	if err := first.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO tpl (v) VALUES (1)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	second, path := open(schema(""))
	var rows, applied int
	var mode string
	if err := second.R.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM tpl),
		(SELECT count(*) FROM schema_migrations WHERE schema = 'tpl')`).Scan(&rows, &applied); err != nil {
		t.Fatal(err)
	}
	if rows != 0 || applied != 1 {
		t.Errorf("copy holds %d rows (want none of the first database's) and %d migrations (want 1)", rows, applied)
	}
	if err := second.R.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != PrivateFile {
		t.Errorf("copy's mode = %v, %v; want %v", info.Mode().Perm(), err, PrivateFile)
	}
	if err := second.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO tpl (v) VALUES (2)`)
		return err
	}); err != nil {
		t.Errorf("copy not writable: %v", err)
	}
	changed, _ := open(schema(", note TEXT"))
	if _, err := changed.R.ExecContext(ctx, `SELECT note FROM tpl`); err != nil {
		t.Errorf("a changed migration was served the old template: %v", err)
	}
}
