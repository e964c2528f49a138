// Package storetest gives tests a real SQLite database: a file in the
// test's temporary folder, with the schemas asked for, closed at the end.
package storetest

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/kopmem/kopbot/internal/store"
)

// Open creates a database with schemas applied, in order.
func Open(tb testing.TB, schemas ...store.Schema) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), "k.db"), store.Options{}, schemas...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// Write runs fn in a durable write of its own, as production callers do,
// and hands back what fn returned.
func Write[T any](tb testing.TB, db *store.DB, fn func(tx *sql.Tx) (T, error)) (T, error) {
	tb.Helper()
	var out T
	err := db.Write(context.Background(), func(tx *sql.Tx) error {
		var err error
		out, err = fn(tx)
		return err
	})
	return out, err
}
