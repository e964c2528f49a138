package server

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/books"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/jasa"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/period"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/store/storetest"
)

// TestJasaPaysLastMonthOnce: the job pays November once the cooperative's
// calendar reaches December, once however often it runs, and not before.
func TestJasaPaysLastMonthOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t, app.Schemas...)
	m, err := storetest.Write(t, db, func(tx *sql.Tx) (member.Member, error) {
		m, err := member.Create(ctx, tx, member.Member{Number: "A001", Name: "Anggota", Phone: "6281200000001",
			JoinedOn: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return m, err
		}
		_, err = savings.Deposit(ctx, tx, savings.Movement{Key: "d1", MemberID: m.ID, Kind: savings.Sukarela,
			Amount: decimal.NewFromInt(2_000_000), ValueDate: time.Date(2026, 10, 15, 0, 0, 0, 0, time.UTC), Actor: "test"})
		return m, err
	})
	if err != nil {
		t.Fatal(err)
	}
	s := jasa.Settings{Rate: decimal.RequireFromString("0.06"), Basis: jasa.Lowest}
	november := period.Month{Year: 2026, Month: time.November}
	// 23:30 on 30 November in Jakarta: November has not ended there (October
	// pays nothing: it held nothing on 1–14 October).
	if err := payLastMonth(ctx, db, books.DefaultChart(), s, time.Date(2026, 11, 30, 23, 30, 0, 0, clock.Jakarta())); err != nil {
		t.Fatal(err)
	}
	if _, err := ledger.TxByKey(ctx, db.R, jasa.Key(november, m.ID)); err == nil {
		t.Fatal("November paid before it ended")
	}
	// 00:30 on 1 December in Jakarta is still 30 November in UTC: the zone decides.
	for range 2 {
		if err := payLastMonth(ctx, db, books.DefaultChart(), s, time.Date(2026, 12, 1, 0, 30, 0, 0, clock.Jakarta())); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	var paid int64
	if err := db.R.QueryRowContext(ctx, `SELECT count(*), sum(p.amount) FROM ledger_transactions t
		JOIN ledger_postings p ON p.tx_id = t.id AND p.amount > 0 WHERE t.kind = ?`, jasa.KindInterest).Scan(&n, &paid); err != nil {
		t.Fatal(err)
	}
	if n != 1 || paid != 10_000 {
		t.Fatalf("%d payments of %d in all; want one of 10.000 (2.000.000 × 6%% / 12)", n, paid)
	}
}
