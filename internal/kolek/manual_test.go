package kolek

import (
	"time"

	"context"
	"database/sql"
	"errors"
	"github.com/shopspring/decimal"
	"testing"

	"github.com/kopmem/kopbot/internal/duty"
	"github.com/kopmem/kopbot/internal/ledger/ledgertest"
	"github.com/kopmem/kopbot/internal/store/storetest"
)

// TestManualClassNeedsASecondOfficer walks a loan in court to Macet by
// hand: refused without a reason, for an unknown class, for a class no
// worse than today's, confirmed by its maker or twice; confirmed by a
// second officer it holds from that day, with the reason in the history,
// though the loan's days past due alone make it Lancar.
func TestManualClassNeedsASecondOfficer(t *testing.T) {
	t.Parallel()
	f := newLoan(t)
	ctx := context.Background()
	p, _ := Lookup("ksp")
	now := day(2026, 3, 2)
	propose := func(class, reason, key string) (Manual, error) {
		return storetest.Write(t, f.db, func(tx *sql.Tx) (Manual, error) {
			return ProposeManual(ctx, tx, p, f.l.Ref, class, reason, "1", key, now)
		})
	}
	confirm := func(id int64, officer string) (Manual, error) {
		return storetest.Write(t, f.db, func(tx *sql.Tx) (Manual, error) {
			return ConfirmManual(ctx, tx, p, id, officer, now)
		})
	}
	for _, c := range []struct{ class, reason string }{{"M", " "}, {"X", "pengadilan"}, {"L", "pengadilan"}} {
		if _, err := propose(c.class, c.reason, "bad"); !errors.Is(err, ErrReason) && !errors.Is(err, ErrClass) &&
			!errors.Is(err, ErrNotWorse) {
			t.Errorf("%s %q: err = %v", c.class, c.reason, err)
		}
	}
	if _, err := propose("L", "x", "k"); !errors.Is(err, ErrNotWorse) {
		t.Errorf("Lancar by hand on a Lancar loan: %v", err)
	}
	if _, err := storetest.Write(t, f.db, func(tx *sql.Tx) (Manual, error) {
		return ProposeManual(ctx, tx, p, "PJ-NONE", "M", "x", "1", "k", now)
	}); !errors.Is(err, ErrNotOutstanding) {
		t.Errorf("unknown loan: %v", err)
	}
	m, err := propose("m", "gugatan di PN Bandung", "k")
	if err != nil || m.From != "L" || m.Class != "M" || !m.Proposal.Amount.Equal(rp(12_000_000)) {
		t.Fatalf("proposal %+v, %v", m, err)
	}
	if got := f.refresh(now); got.Class != 0 {
		t.Fatalf("a proposal alone moved the class to %d", got.Class)
	}
	if _, err := confirm(m.Proposal.ID, "1"); !errors.Is(err, duty.ErrSameOfficer) {
		t.Errorf("maker confirms: %v", err)
	}
	if _, err := confirm(m.Proposal.ID, "2"); err != nil {
		t.Fatal(err)
	}
	if _, err := confirm(m.Proposal.ID, "3"); !errors.Is(err, duty.ErrSettled) {
		t.Errorf("confirmed twice: %v", err)
	}
	got := f.refresh(now)
	if p.Classes[got.Class].Code != "M" || got.Manual != "gugatan di PN Bandung" || got.DPD != 20 {
		t.Errorf("after confirmation: class %s, manual %q, dpd %d", p.Classes[got.Class].Code, got.Manual, got.DPD)
	}
	h, err := History(ctx, f.db.R, f.l.ID)
	if err != nil || len(h) != 2 || h[1].From != "L" || h[1].To != "M" {
		t.Fatalf("history %+v, %v", h, err)
	}
	var byHand string
	if err := f.db.R.QueryRowContext(ctx, `SELECT by_hand FROM kolek_history ORDER BY id DESC LIMIT 1`).Scan(&byHand); err != nil ||
		byHand != "gugatan di PN Bandung" {
		t.Errorf("history by_hand %q, %v", byHand, err)
	}
	// The day before the class was set, the loan stood as its facts say.
	if pf, err := Assess(ctx, f.db.R, p, day(2026, 3, 1)); err != nil || pf.Loans[0].Class != 0 {
		t.Errorf("a day earlier: %+v, %v", pf.Loans, err)
	}
	ledgertest.MustCheck(t, f.db.R)
}

// TestDailySnapshotIsStoredOnceAndRead: the daily job stores a day once,
// the stored day reads back as judged, and a payment recorded later with
// that day's date does not change what the day's snapshot says.
func TestDailySnapshotIsStoredOnceAndRead(t *testing.T) {
	t.Parallel()
	f := newLoan(t)
	ctx := context.Background()
	p, _ := Lookup("ksp")
	daily := func(on time.Time) (Portfolio, bool) {
		t.Helper()
		var pf Portfolio
		var stored bool
		err := f.db.Write(ctx, func(tx *sql.Tx) error {
			var err error
			pf, stored, err = Daily(ctx, tx, p, on)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return pf, stored
	}
	on := day(2026, 5, 20) // 99 days past due: Kurang Lancar
	if _, ok, err := Snapshot(ctx, f.db.R, p, on); ok || err != nil {
		t.Fatalf("a snapshot before the job ran: %v %v", ok, err)
	}
	live, stored := daily(on)
	if !stored || live.Buckets[1].Count != 1 {
		t.Fatalf("first run: stored %v, buckets %+v", stored, live.Buckets)
	}
	if _, stored := daily(on); stored {
		t.Error("the same day stored twice")
	}
	f.pay("late", 5_000_000, on)
	if now, _ := Assess(ctx, f.db.R, p, on); now.Buckets[0].Count != 1 {
		t.Fatalf("the backdated payment left the loan %+v", now.Buckets)
	}
	snap, err := At(ctx, f.db.R, p, on)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		got, want decimal.Decimal
	}{
		{"outstanding", snap.Outstanding, live.Outstanding}, {"NPL", snap.NPL, live.NPL},
		{"risk", snap.Risk, live.Risk}, {"required", snap.Required, live.Required},
	} {
		if !c.got.Equal(c.want) || c.got.IsZero() {
			t.Errorf("%s: snapshot %s, judged %s", c.name, c.got, c.want)
		}
	}
	if snap.Buckets[1].Count != 1 || snap.Loans != nil {
		t.Errorf("snapshot buckets %+v", snap.Buckets)
	}
	// Another profile has no snapshot of that day: it is judged again.
	b5, _ := Lookup("bank5")
	if _, ok, _ := Snapshot(ctx, f.db.R, b5, on); ok {
		t.Error("bank5 read ksp's snapshot")
	}
	if pf, err := At(ctx, f.db.R, b5, on); err != nil || len(pf.Loans) != 1 {
		t.Errorf("bank5 judged: %+v %v", pf.Loans, err)
	}
}
