package loan

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestBatchesAgreeWithOneLoan(t *testing.T) {
	t.Parallel()
	db := openTB(t)
	ctx := context.Background()
	a := disbursedLoan(t, db, 1, "USAHA", 3_000_000, 6, at(2026, 1, 10, 10)) // due the 10th: 545.000
	b := disbursedLoan(t, db, 2, "USAHA", 1_200_000, 3, at(2026, 1, 31, 10)) // due 28 Feb, 31 Mar: 418.000
	// A late part payment on a's first installment: its denda accrues on less from then on.
	must(repayTx(t, db, Payment{Key: "a1", LoanRef: a.Ref, Amount: rp(300_000), On: date(2026, 2, 20), OfficerID: "1"}))
	asOf := date(2026, 3, 20)

	ls := must(LoansByRef(ctx, db.R, []string{b.Ref, a.Ref}))
	for _, ref := range []string{a.Ref, b.Ref} {
		one := must(LoanByRef(ctx, db.R, ref))
		if got := ls[ref]; got.ID != one.ID || got.MemberID != one.MemberID || !got.Terms.PenaltyPerDay.Equal(one.Terms.PenaltyPerDay) ||
			got.Terms.GraceDays != one.Terms.GraceDays || !got.Principal.Equal(one.Principal) {
			t.Errorf("LoansByRef[%s] = %+v, LoanByRef %+v", ref, got, one)
		}
	}
	if _, err := LoansByRef(ctx, db.R, []string{a.Ref, "PJ-0000-0404"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("LoansByRef with a missing ref: %v; want ErrNotFound", err)
	}

	ins := []InstallmentOf{{ls[a.Ref], 1}, {ls[b.Ref], 1}, {ls[a.Ref], 2}, {ls[b.Ref], 2}}
	got := must(DendaDue(ctx, db.R, ins, asOf))
	for i, in := range ins {
		s := must(LoanStatusOf(ctx, db.R, in.Loan.Ref, asOf))
		if want := s.Schedule[in.No-1].DendaDue(); !got[i].Equal(want) {
			t.Errorf("denda due on %d of %s: %s, LoanStatusOf says %s", in.No, in.Loan.Ref, got[i], want)
		}
	}
	if !got[0].IsPositive() || !got[3].IsZero() {
		t.Errorf("denda due %v: want some on a's late first installment, none on b's second, not yet due", got)
	}
	if _, err := DendaDue(ctx, db.R, []InstallmentOf{{ls[a.Ref], 99}}, asOf); !errors.Is(err, ErrNotFound) {
		t.Errorf("denda of a missing installment: %v; want ErrNotFound", err)
	}

	for _, r := range [][2]time.Time{{{}, asOf}, {date(2026, 2, 28), date(2026, 2, 28)}, {date(2026, 3, 10), date(2026, 4, 30)}} {
		want := DueSum{Unpaid: decimal.Zero}
		if err := EachDue(ctx, db.R, r[0], r[1], func(d DueInstallment) error {
			want.Count++
			want.Unpaid = want.Unpaid.Add(d.Unpaid)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		sum := must(DueTotal(ctx, db.R, r[0], r[1]))
		if sum.Count != want.Count || !sum.Unpaid.Equal(want.Unpaid) || want.Count == 0 {
			t.Errorf("due %v: DueTotal %d, %s; EachDue %d, %s", r, sum.Count, sum.Unpaid, want.Count, want.Unpaid)
		}
	}
}
