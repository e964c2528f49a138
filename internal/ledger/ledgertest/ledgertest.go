// Package ledgertest lets tests of the packages that post money insist that
// the ledger's invariants still hold.
package ledgertest

import (
	"context"
	"testing"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/store"
)

// MustCheck fails the test unless ledger.Check finds nothing wrong.
func MustCheck(tb testing.TB, q store.Queryer) {
	tb.Helper()
	r, err := ledger.Check(context.Background(), q)
	if err != nil {
		tb.Fatal(err)
	}
	if !r.OK() {
		tb.Fatalf("ledger check: %s", r)
	}
}
