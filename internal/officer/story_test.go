package officer_test

import (
	"context"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/loan"
)

// TestFullStory follows one request from the member's application to two
// installments paid at the counter, the second ten days late.
func TestFullStory(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.apply(12_000_000, 12) // USAHA: flat 1,5%/month, denda 0,1%/day after 3 days' grace

	if n, _ := e.press(budi, "ap:"+a.Ref, e.announcement(a.Ref)); e.status(a.Ref) != loan.StatusAwaitingSecond {
		t.Fatalf("after Budi: %s (%q)", e.status(a.Ref), n)
	}
	_, rs := e.press(wati, "ap:"+a.Ref, e.announcement(a.Ref))
	contains(t, "approved notice", one(t, "approved", toSiti(rs)).Text, "disetujui", "Rp1.180.000")

	rs = e.say(rina, rina, "/cair "+a.Ref) // not an approver: Budi and Wati approved
	contains(t, "disbursed", one(t, "disbursed", toSiti(rs)).Text, "Rp12.000.000", "12 bulan", "30/12/2026")

	e.clk.Set(time.Date(2026, 12, 30, 10, 0, 0, 0, wib)) // due day of installment 1
	rs = e.say(budi, budi, "/bayar "+a.Ref+" 1.180.000")
	contains(t, "receipt 1", one(t, "receipt 1", toSiti(rs)).Text, "Denda                Rp0\n", "Bunga          Rp180.000\n",
		"Pokok        Rp1.000.000\n", "Sisa pokok  Rp11.000.000\n", "(ke-2): Rp1.180.000 pada 30/01/2027")

	// Installment 2 was due 30/01; penalty days are 03/02–09/02: 7 × 0,1% × 1.180.000 = 8.260.
	e.clk.Set(time.Date(2027, 2, 9, 10, 0, 0, 0, wib))
	rs = e.say(rina, rina, "/bayar A-0001 1.188.260")
	contains(t, "receipt 2", one(t, "receipt 2", toSiti(rs)).Text, "Denda            Rp8.260\n", "Bunga          Rp180.000\n",
		"Pokok        Rp1.000.000\n", "Sisa pokok  Rp10.000.000\n", "(ke-3): Rp1.180.000 pada 28/02/2027")

	st, err := loan.LoanStatusOf(ctx, e.a.DB.R, a.Ref, e.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !st.OutstandingPrincipal.Equal(rp(10_000_000)) || !st.Overdue.IsZero() || !st.Denda.IsZero() ||
		st.NextDue == nil || st.NextDue.No != 3 {
		t.Fatalf("loan after two installments: principal %s, overdue %s, denda %s, next %+v",
			st.OutstandingPrincipal, st.Overdue, st.Denda, st.NextDue)
	}
	for _, in := range st.Schedule[:2] {
		if !in.Settled() {
			t.Errorf("installment %d not settled: %+v", in.No, in)
		}
	}
	for code, want := range map[string]int64{"PINJ-" + a.Ref: 10_000_000, loan.InterestIncome: 360_000,
		loan.PenaltyIncome: 8_260, loan.Cash: 5_000_000 - 12_000_000 + 1_180_000 + 1_188_260} {
		got, err := ledger.Balance(ctx, e.a.DB.R, code)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(rp(want)) {
			t.Errorf("%s = %s, want %d", code, got, want)
		}
	}
	e.check()
	if c := e.counts(); c.decisions != 2 || c.payments != 2 || c.refused != 0 || c.audit != 5 {
		t.Fatalf("records %+v: want 2 decisions, 2 payments, 5 audited actions, none refused", c)
	}
}
