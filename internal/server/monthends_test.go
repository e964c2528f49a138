package server

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/books"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/store/storetest"
)

// TestMonthEndsStoresEveryEndedMonthOnce: the job stores each month that
// ended before the cooperative's calendar day, once however often it runs.
func TestMonthEndsStoresEveryEndedMonthOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t, app.Schemas...)
	c := books.DefaultChart()
	if _, err := storetest.Write(t, db, func(tx *sql.Tx) (ledger.Tx, error) {
		for _, code := range []string{"1101", "4103"} {
			a, _ := c.Account(code)
			if _, err := ledger.EnsureAccount(ctx, tx, a.Code, a.Name, a.Type); err != nil {
				return ledger.Tx{}, err
			}
		}
		return ledger.Post(ctx, tx, ledger.Entry{Key: "fee", Kind: "test", ValueDate: time.Date(2026, 9, 15, 0, 0, 0, 0, time.UTC),
			Actor: "test", Postings: []ledger.Posting{{Account: "1101", Amount: money.FromRupiah(5000)},
				{Account: "4103", Amount: money.FromRupiah(-5000)}}})
	}); err != nil {
		t.Fatal(err)
	}
	// 00:30 on 1 December in Jakarta is still November in UTC: the zone
	// decides that November has ended.
	now := time.Date(2026, 12, 1, 0, 30, 0, 0, clock.Jakarta())
	for range 2 {
		if err := storeMonthEnds(ctx, db, c, now); err != nil {
			t.Fatal(err)
		}
	}
	var months, first, last string
	if err := db.R.QueryRowContext(ctx, `SELECT count(DISTINCT month), min(month), max(month) FROM books_month_ends`).
		Scan(&months, &first, &last); err != nil {
		t.Fatal(err)
	}
	if months != "3" || first != "2026-09" || last != "2026-11" {
		t.Fatalf("stored %s months, %s to %s; want September to November", months, first, last)
	}
}
