package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"modernc.org/sqlite"
)

// openCached opens one connection to a fresh file through the caching
// connector, keeping at most max statements.
func openCached(t testing.TB, max int) *sql.DB {
	t.Helper()
	c, err := newConnector(dsn(filepath.Join(t.TempDir(), "c.db"), false, defaultBusy), connConf{max: max})
	if err != nil {
		t.Fatal(err)
	}
	return openWith(t, c)
}

// openWith opens one connection through c on a table of five rows.
func openWith(t testing.TB, c driver.Connector) *sql.DB {
	t.Helper()
	db := sql.OpenDB(c)
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		if _, err := db.Exec(`INSERT INTO t (id, v) VALUES (?, ?)`, i, i*10); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func cacheOf(t *testing.T, db *sql.DB) *cachingConn {
	t.Helper()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var c *cachingConn
	if err := conn.Raw(func(dc any) error { c = dc.(*cachingConn); return nil }); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestStmtCacheNestedSameQuery reads the same statement text inside a loop
// over its own rows: the inner use must not reset the outer cursor.
func TestStmtCacheNestedSameQuery(t *testing.T) {
	t.Parallel()
	db := openCached(t, 8)
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	const q = `SELECT id, v FROM t WHERE id >= ? ORDER BY id`
	rows, err := tx.Query(q, 1)
	if err != nil {
		t.Fatal(err)
	}
	var outer, inner []int
	for rows.Next() {
		var id, v int
		if err := rows.Scan(&id, &v); err != nil {
			t.Fatal(err)
		}
		outer = append(outer, id)
		if err := tx.QueryRow(q, id).Scan(&id, &v); err != nil {
			t.Fatal(err)
		}
		inner = append(inner, v)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(outer) != "[1 2 3 4 5]" || fmt.Sprint(inner) != "[10 20 30 40 50]" {
		t.Fatalf("outer %v, inner %v", outer, inner)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	// Closed, the outer rows gave their statement back for reuse.
	if c := cacheOf(t, db); c.bySQL[q] == nil || c.bySQL[q].Value.(*cached).open {
		t.Fatalf("statement not cached, or still marked open after its rows closed")
	}
}

// TestStmtCacheEvictsAndSurvivesSchemaChange keeps the cache within its
// bound, and a cached statement keeps working after the table it reads
// changes shape.
func TestStmtCacheEvictsAndSurvivesSchemaChange(t *testing.T) {
	t.Parallel()
	db := openCached(t, 4)
	for i := range 20 {
		var v int
		if err := db.QueryRow(fmt.Sprintf(`SELECT v + %d FROM t WHERE id = ?`, i), 1).Scan(&v); err != nil || v != 10+i {
			t.Fatalf("query %d: %d, %v", i, v, err)
		}
	}
	if c := cacheOf(t, db); c.lru.Len() != 4 || len(c.bySQL) != 4 {
		t.Fatalf("cache holds %d (%d by text), want 4", c.lru.Len(), len(c.bySQL))
	}

	const q = `SELECT * FROM t WHERE id = ?`
	cols := func() []string {
		rows, err := db.Query(q, 1)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		c, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	before := cols()
	if _, err := db.Exec(`ALTER TABLE t ADD COLUMN note TEXT`); err != nil {
		t.Fatal(err)
	}
	if after := cols(); len(after) != len(before)+1 {
		t.Fatalf("columns %v after adding one to %v: the cached statement was not recompiled", after, before)
	}
}

// TestStmtCacheScriptsAndErrors runs a multi-statement text through the
// cache, and a failing statement leaves the connection usable.
func TestStmtCacheScriptsAndErrors(t *testing.T) {
	t.Parallel()
	db := openCached(t, 8)
	for range 3 {
		if _, err := db.Exec(`SAVEPOINT s; INSERT INTO t (id, v) VALUES (100, 1); ROLLBACK TO s; RELEASE s`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO t (id, v) VALUES (?, NULL)`, 7); err == nil {
			t.Fatal("NULL accepted in a NOT NULL column")
		}
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM t`).Scan(&n); err != nil || n != 5 {
		t.Fatalf("%d rows, %v; want the 5 first inserted", n, err)
	}
}

// BenchmarkPointQuery is what the cache saves on a primary-key read, the
// commonest statement kopbot runs: go test -bench PointQuery ./internal/store/
func BenchmarkPointQuery(b *testing.B) {
	path := func() string { return dsn(filepath.Join(b.TempDir(), "c.db"), false, defaultBusy) }
	for _, tc := range []struct {
		name    string
		connect func(dsn string) (driver.Connector, error)
	}{
		{"driver", sqlite.NewConnector},
		{"cached", func(dsn string) (driver.Connector, error) { return newConnector(dsn, connConf{max: stmtCacheSize}) }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			c, err := tc.connect(path())
			if err != nil {
				b.Fatal(err)
			}
			db := openWith(b, c)
			var v int
			for b.Loop() {
				if err := db.QueryRow(`SELECT v FROM t WHERE id = ? AND v >= 0 ORDER BY id`, 3).Scan(&v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestUninterruptedWatch: on the writer a statement runs under a context
// the driver need not watch (no Done channel, so no goroutine per
// statement), and one whose context already ended does not start.
func TestUninterruptedWatch(t *testing.T) {
	t.Parallel()
	for _, uninterrupted := range []bool{false, true} {
		c, err := newConnector(dsn(filepath.Join(t.TempDir(), "c.db"), false, defaultBusy), connConf{max: 8, uninterrupted: uninterrupted})
		if err != nil {
			t.Fatal(err)
		}
		cc := cacheOf(t, openWith(t, c))
		live, cancel := context.WithCancel(context.Background())
		got, err := cc.watch(live)
		if err != nil || (got.Done() == nil) != uninterrupted {
			t.Errorf("uninterrupted=%v: watch(live) = Done %v, %v", uninterrupted, got.Done(), err)
		}
		cancel()
		if _, err := cc.watch(live); uninterrupted && !errors.Is(err, context.Canceled) {
			t.Errorf("uninterrupted: watch(ended) = %v, want context.Canceled", err)
		}
	}
}
