package loan

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/kopmem/kopbot/internal/store/storetest"
	"reflect"
	"testing"
	"time"
)

// TestFullStory follows one loan from request to a corrected repayment.
//
// Siti has Rp4.000.000 in savings, so her plafon is Rp12.000.000. She asks
// for Pinjaman Usaha of Rp12.000.000 over 12 months, flat 1,5%: each month
// 1.000.000 principal + 180.000 interest = 1.180.000. Above Rp10.000.000, a
// petugas and a manajer approve; it is disbursed on 31 January, so the
// installments fall due on 28 February, 31 March, 30 April, …
// She pays installment 1 on time (27 February) and installment 2 late, on
// 10 April: 10 days late, 7 penalty days (4–10 April) × 1.180.000 × 0,1% =
// 8.260 denda.
func TestFullStory(t *testing.T) {
	t.Parallel()
	db := openTB(t)
	ctx := context.Background()
	m := newMember(t, db, 1, 4_000_000)

	a, err := applyTx(t, db, Request{Key: "wa:confirm-1", MemberID: m.ID, Product: "USAHA", Amount: rp(12_000_000),
		Tenor: 12, Purpose: "Tambah stok toko", Now: at(2026, 1, 28, 9)})
	if err != nil {
		t.Fatal(err)
	}
	if pending := must(Pending(ctx, db.R)); len(pending) != 1 || pending[0].Ref != a.Ref {
		t.Fatalf("queue %+v", pending)
	}
	o := must(decideTx(t, db, Decision{AppRef: a.Ref, OfficerID: "1001", Role: RolePetugas, Verdict: Approve, Now: at(2026, 1, 29, 9)}))
	if o.Final || o.Status != StatusAwaitingSecond {
		t.Fatalf("first approval: %+v", o)
	}
	o = must(decideTx(t, db, Decision{AppRef: a.Ref, OfficerID: "2001", Role: RoleManajer, Verdict: Approve, Now: at(2026, 1, 29, 11)}))
	if !o.Final || o.Status != StatusApproved {
		t.Fatalf("second approval: %+v", o)
	}
	if pending := must(Pending(ctx, db.R)); len(pending) != 0 {
		t.Fatalf("queue after approval: %+v", pending)
	}
	l, _, err := disburseTx(t, db, a.Ref, "1001", at(2026, 1, 31, 10))
	if err != nil {
		t.Fatal(err)
	}

	r1 := must(repayTx(t, db, Payment{Key: "pay-1", MemberID: m.ID, Amount: rp(1_180_000), On: at(2026, 2, 27, 15), OfficerID: "1001"}))
	if !r1.Denda.IsZero() || !r1.Interest.Equal(rp(180_000)) || !r1.Principal.Equal(rp(1_000_000)) ||
		!reflect.DeepEqual(r1.NextDue, &NextDue{No: 2, Due: date(2026, 3, 31), Amount: rp(1_180_000)}) {
		t.Fatalf("first receipt %+v", r1)
	}
	late := Payment{Key: "pay-2", LoanRef: l.Ref, Amount: rp(1_188_260), On: at(2026, 4, 10, 10), OfficerID: "1001"}
	beforeLate := must(LoanStatusOf(ctx, db.R, l.Ref, date(2026, 4, 12)))
	r2 := must(repayTx(t, db, late))
	if !r2.Denda.Equal(rp(8_260)) || !r2.Interest.Equal(rp(180_000)) || !r2.Principal.Equal(rp(1_000_000)) {
		t.Fatalf("late receipt %+v", r2)
	}
	eq(t, "remaining principal", r2.RemainingPrincipal, 10_000_000)

	want := map[string]int64{Cash: 4_000_000 - 12_000_000 + 1_180_000 + 1_188_260, l.AccountCode(): 10_000_000,
		InterestIncome: 360_000, PenaltyIncome: 8_260}
	if got := balances(t, db, Cash, l.AccountCode(), InterestIncome, PenaltyIncome); !reflect.DeepEqual(got, want) {
		t.Errorf("balances %v, want %v", got, want)
	}
	mustCheck(t, db)

	ov := must(MemberLoans(ctx, db.R, m.ID, at(2026, 4, 10, 18)))
	if len(ov.Loans) != 1 || len(ov.Applications) != 0 {
		t.Fatalf("overview %+v", ov)
	}
	s := ov.Loans[0]
	eq(t, "outstanding principal", s.OutstandingPrincipal, 10_000_000)
	eq(t, "outstanding interest", s.OutstandingInterest, 1_800_000)
	eq(t, "denda", s.Denda, 0)
	eq(t, "overdue", s.Overdue, 0)
	if !reflect.DeepEqual(s.NextDue, &NextDue{No: 3, Due: date(2026, 4, 30), Amount: rp(1_180_000)}) {
		t.Errorf("next due %+v", s.NextDue)
	}
	for _, in := range s.Schedule {
		paid := in.No <= 2
		if in.Settled() != paid || in.DaysLate != 0 {
			t.Errorf("installment %d: %+v", in.No, in)
		}
	}
	eq(t, "denda paid on installment 2", s.Schedule[1].PaidDenda, 8_260)

	// A month on, installment 3 is 10 days late: 7 penalty days, 8.260 more.
	s = must(MemberLoans(ctx, db.R, m.ID, at(2026, 5, 10, 9))).Loans[0]
	eq(t, "overdue in May", s.Overdue, 1_180_000)
	eq(t, "denda in May", s.Denda, 8_260)
	if s.OverdueDays != 10 {
		t.Errorf("overdue days %d", s.OverdueDays)
	}

	// The late payment was a mistake: the manajer reverses it. The loan owes
	// what it would have owed without it.
	if _, err := storetest.Write(t, db, func(q *sql.Tx) (Reversal, error) {
		return ReverseRepayment(ctx, q, "pay-2", "2001", " ", at(2026, 4, 11, 9))
	}); !errors.Is(err, ErrReasonRequired) {
		t.Errorf("reversal without reason: err = %v", err)
	}
	rev, err := storetest.Write(t, db, func(q *sql.Tx) (Reversal, error) {
		return ReverseRepayment(ctx, q, "pay-2", "2001", "salah input nominal", at(2026, 4, 11, 9))
	})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "remaining after reversal", rev.RemainingPrincipal, 11_000_000)
	eq(t, "reversed amount", rev.Amount, 1_188_260)
	afterReversal := must(LoanStatusOf(ctx, db.R, l.Ref, date(2026, 4, 12)))
	if render(beforeLate) != render(afterReversal) {
		t.Errorf("reversal did not restore the loan:\nbefore %+v\nafter  %+v", beforeLate, afterReversal)
	}
	eq(t, "denda owed again (4–12 April)", afterReversal.Denda, 10_620)
	want = map[string]int64{Cash: 4_000_000 - 12_000_000 + 1_180_000, l.AccountCode(): 11_000_000,
		InterestIncome: 180_000, PenaltyIncome: 0}
	if got := balances(t, db, Cash, l.AccountCode(), InterestIncome, PenaltyIncome); !reflect.DeepEqual(got, want) {
		t.Errorf("balances after reversal %v, want %v", got, want)
	}
	again := must(storetest.Write(t, db, func(q *sql.Tx) (Reversal, error) {
		return ReverseRepayment(ctx, q, "pay-2", "2001", "salah input nominal", at(2026, 4, 11, 9))
	}))
	if !again.Replayed || again.TxID != rev.TxID {
		t.Errorf("second reversal %+v", again)
	}
	mustCheck(t, db)

	// The right amount, paid on 12 April: 9 penalty days, 10.620 denda.
	if _, err := repayTx(t, db, Payment{Key: "pay-2b", LoanRef: l.Ref, Amount: rp(1_000), On: date(2026, 2, 26),
		OfficerID: "1001"}); !errors.Is(err, ErrBackdated) {
		t.Errorf("payment dated before the first one: err = %v", err)
	}
	r3 := must(repayTx(t, db, Payment{Key: "pay-2c", LoanRef: l.Ref, Amount: rp(1_190_620), On: date(2026, 4, 12), OfficerID: "1001"}))
	if !r3.Denda.Equal(rp(10_620)) || !r3.Principal.Equal(rp(1_000_000)) || r3.NextDue.No != 3 {
		t.Errorf("corrected receipt %+v", r3)
	}
	want = map[string]int64{Cash: 4_000_000 - 12_000_000 + 1_180_000 + 1_190_620, l.AccountCode(): 10_000_000,
		InterestIncome: 360_000, PenaltyIncome: 10_620}
	if got := balances(t, db, Cash, l.AccountCode(), InterestIncome, PenaltyIncome); !reflect.DeepEqual(got, want) {
		t.Errorf("balances after correction %v, want %v", got, want)
	}
	mustCheck(t, db)

	tot := must(TodayTotals(ctx, db.R, at(2026, 4, 11, 20), time.FixedZone("WIB", 7*3600)))
	if tot.Reversals != 1 || !tot.Reversed.Equal(rp(1_188_260)) || tot.Repayments != 0 {
		t.Errorf("totals of the reversal day %+v", tot)
	}
}

// render prints a loan's state by value, so two states compare whatever
// internal form their decimals took on the way.
func render(s LoanStatus) string {
	next := *s.NextDue
	s.NextDue = nil
	return fmt.Sprintf("%+v %+v", s, next)
}
