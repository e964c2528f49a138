package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/books"
	"github.com/kopmem/kopbot/internal/demo"
	"github.com/kopmem/kopbot/internal/health"
	"github.com/kopmem/kopbot/internal/kolek"
	"github.com/kopmem/kopbot/internal/ledger/ledgertest"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/shu"
	"github.com/kopmem/kopbot/internal/store/storetest"
)

// TestAYearOfTheDemoCooperative seeds the demo and reads its books the way
// the officers' commands do: the ledger holds, the neraca balances, some
// loans are in arrears, last year's SHU is computed, and the health report
// computes with a band.
func TestAYearOfTheDemoCooperative(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t, app.Schemas...)
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.FixedZone("WIB", 7*3600))
	if _, err := demo.Seed(ctx, db, demo.Small, now); err != nil {
		t.Fatal(err)
	}
	ledgertest.MustCheck(t, db.R)
	today := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	c := books.DefaultChart()
	n, err := books.NeracaAt(ctx, db.R, c, today)
	if err != nil {
		t.Fatal(err)
	}
	if !n.Difference().IsZero() || n.Raw != 0 || !n.Assets.IsPositive() {
		t.Fatalf("neraca: assets %s, liabilities %s, equity %s, result %s", n.Assets, n.Liabilities, n.Equity, n.Result)
	}
	for _, l := range n.Lines {
		if !l.Placed && !l.Amount.IsZero() {
			t.Errorf("ledger account %s is not placed in the chart", l.Code)
		}
	}
	if !n.Get("3105").IsPositive() {
		t.Errorf("2025 was closed into SHU tahun berjalan: %s", n.Get("3105"))
	}
	kp, _ := kolek.Lookup("")
	pf, err := kolek.Assess(ctx, db.R, kp, today)
	if err != nil {
		t.Fatal(err)
	}
	if len(pf.Loans) < 5 || !pf.NPL.IsPositive() || pf.NPL.Equal(pf.Outstanding) {
		t.Errorf("loan book: %d loans, NPL %s of %s", len(pf.Loans), pf.NPL, pf.Outstanding)
	}
	siti, err := member.ByPhone(ctx, db.R, demo.Phone)
	if err != nil {
		t.Fatal(err)
	}
	st, err := shu.Of(ctx, db.R, siti.ID)
	if err != nil || len(st) != 1 || st[0].Year != 2025 || st[0].Share.Total() <= 0 || st[0].ApprovedBy == "" {
		t.Fatalf("Siti's SHU: %+v, %v", st, err)
	}
	for _, profile := range []string{"2021", "2016"} {
		p, _ := health.Lookup(profile)
		in, err := health.Gather(ctx, db.R, c, kp, today)
		if err != nil {
			t.Fatal(err)
		}
		r, err := health.Build(ctx, db.R, p, in, today)
		if err != nil {
			t.Fatal(err)
		}
		if r.Partial || r.Band == "" || !r.Score.IsPositive() {
			t.Errorf("%s: score %s, band %q, partial %v", profile, r.Score, r.Band, r.Partial)
		}
		t.Logf("%s: %s %s; inputs %v", profile, r.Score, r.Band, in)
	}
}
