package loan

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"github.com/kopmem/kopbot/internal/store"
	"github.com/kopmem/kopbot/internal/store/storetest"
	"github.com/shopspring/decimal"
)

// anuitas12 is the loan: Rp12.000.000 over 12 months at 1,25%
// (annuity payment 1.083.100), disbursed 15 January 2026, installments 1
// (150.000 interest, 933.100 principal) and 2 (138.336, 944.764) paid on
// their days, leaving 10.122.136 of principal; 2 April is 18 days after
// installment 2's due date.
func anuitas12(t *testing.T, p Product) (*store.DB, Loan) {
	t.Helper()
	db := openTB(t)
	l := disbursedProduct(t, db, 1, p, 12_000_000, 12, at(2026, 1, 15, 10))
	must(repayTx(t, db, Payment{Key: "i1", LoanRef: l.Ref, Amount: rp(1_083_100), On: date(2026, 2, 15), OfficerID: "1"}))
	r := must(repayTx(t, db, Payment{Key: "i2", LoanRef: l.Ref, Amount: rp(1_083_100), On: date(2026, 3, 15), OfficerID: "1"}))
	eq(t, "principal after two installments", r.RemainingPrincipal, 10_122_136)
	return db, l
}

func anuitas(tb testing.TB) Product {
	p, _ := catalog(tb).ByCode("ANUITAS")
	return p
}

func usaha(tb testing.TB) Product {
	p, _ := catalog(tb).ByCode("USAHA")
	return p
}

var april2 = date(2026, 4, 2)

// TestSettleAnnuity: settling costs the outstanding principal plus the
// interest accrued since the last due date, 10.122.136 × 1,25% × 18/30 =
// 75.916,02 → 75.916, so 10.198.052 — not the 10.830.998 the whole
// remaining schedule sums to (the Rp632.946 too much the issue found).
func TestSettleAnnuity(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, l := anuitas12(t, anuitas(t))
	qt := must(Settle(ctx, db.R, l.Ref, april2))
	if qt.Days != 18 || qt.Policy != SettleAccrued {
		t.Errorf("quote %+v", qt)
	}
	eq(t, "outstanding", qt.Outstanding, 10_122_136)
	eq(t, "interest", qt.Interest, 75_916)
	eq(t, "fee", qt.Fee, 0)
	eq(t, "total", qt.Total, 10_198_052)

	r := must(repayTx(t, db, Payment{Key: "lunas", LoanRef: l.Ref, Amount: qt.Total, On: april2, OfficerID: "1"}))
	if !r.Closed || !r.Settled || r.NextDue != nil {
		t.Fatalf("receipt %+v", r)
	}
	eq(t, "interest paid", r.Interest, 75_916)
	eq(t, "principal paid", r.Principal, 10_122_136)
	if b := balances(t, db, l.AccountCode(), InterestIncome); b[l.AccountCode()] != 0 || b[InterestIncome] != 150_000+138_336+75_916 {
		t.Errorf("balances %v", b)
	}
	if got := must(LoanByRef(ctx, db.R, l.Ref)); !got.Closed || !got.ClosedOn.Equal(april2) {
		t.Errorf("loan %+v", got)
	}
	mustCheck(t, db)
}

// TestPayingTheOutstandingPrincipal pays the 10.122.136 shown as sisa
// pokok: before, the whole remaining interest (708.862) stayed owed and the
// payment was booked against future interest; now all of it is principal,
// and only the 18 days' interest is left, due on installment 3's date.
func TestPayingTheOutstandingPrincipal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, l := anuitas12(t, anuitas(t))
	r := must(repayTx(t, db, Payment{Key: "pokok", LoanRef: l.Ref, Amount: rp(10_122_136), On: april2, OfficerID: "1"}))
	eq(t, "interest booked", r.Interest, 0)
	eq(t, "principal", r.Principal, 10_122_136)
	eq(t, "remaining principal", r.RemainingPrincipal, 0)
	if r.Closed || r.NextDue == nil || r.NextDue.No != 3 || !r.NextDue.Due.Equal(date(2026, 4, 15)) {
		t.Fatalf("receipt %+v", r)
	}
	eq(t, "left owed", r.NextDue.Amount, 75_916)
	s := must(LoanStatusOf(ctx, db.R, l.Ref, april2))
	eq(t, "interest still owed", s.OutstandingInterest, 75_916)
	if b := balances(t, db, InterestIncome); b[InterestIncome] != 150_000+138_336 {
		t.Errorf("interest income %v: prepayment booked as interest", b)
	}
	last := must(repayTx(t, db, Payment{Key: "bunga", LoanRef: l.Ref, Amount: rp(75_916), On: date(2026, 4, 15), OfficerID: "1"}))
	if !last.Closed {
		t.Errorf("the last interest did not close the loan: %+v", last)
	}
	mustCheck(t, db)
}

// installment is one row of a schedule as the member sees it.
type installment struct {
	no              int
	principal, int_ int64
}

func schedOf(lines []InstallmentStatus) []installment {
	out := make([]installment, len(lines))
	for i, l := range lines {
		out[i] = installment{l.No, l.UnpaidPrincipal().IntPart(), l.UnpaidInterest().IntPart()}
	}
	return out
}

func sameSched(t *testing.T, what string, got []InstallmentStatus, want []installment) {
	t.Helper()
	g := schedOf(got)
	if len(g) != len(want) {
		t.Fatalf("%s: %d installments %v, want %d %v", what, len(g), g, len(want), want)
	}
	for i := range want {
		if g[i] != want[i] {
			t.Errorf("%s: installment %v, want %v", what, g[i], want[i])
		}
	}
}

// TestPrepaymentReamortises prepays Rp5.000.000 on 2 April. Nothing is
// due, and it is more than installment 3, so all of it is principal:
// O = 10.122.136 → O′ = 5.122.136. Installment 3's interest is 18 days on O
// and 12 on O′: round(1,25% × (10.122.136 × 18 + 5.122.136 × 12) / 30) =
// round(101.526,67) = 101.527.
//   - installment shrinks (the default): A = (O′ + 101.527) × r × g /
//     ((1+r) × g − 1), g = 1,0125^9, = 552.047 for installments 3–11, the
//     last 545.237 + 6.815 = 552.052.
//   - term shrinks: 1.083.100 as before, the loan ends with installment 7
//     (1.007.697 + 12.596).
func TestPrepaymentReamortises(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	term := anuitas(t)
	term.Settlement.Prepayment = ShrinkTerm
	for _, c := range []struct {
		name string
		p    Product
		want []installment
	}{
		{"installment shrinks", anuitas(t), []installment{{3, 450_520, 101_527}, {4, 493_652, 58_395}, {5, 499_822, 52_225},
			{6, 506_070, 45_977}, {7, 512_396, 39_651}, {8, 518_801, 33_246}, {9, 525_286, 26_761}, {10, 531_852, 20_195},
			{11, 538_500, 13_547}, {12, 545_237, 6_815}}},
		{"term shrinks", term, []installment{{3, 981_573, 101_527}, {4, 1_031_343, 51_757}, {5, 1_044_235, 38_865},
			{6, 1_057_288, 25_812}, {7, 1_007_697, 12_596}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			db, l := anuitas12(t, c.p)
			r := must(repayTx(t, db, Payment{Key: "pre", LoanRef: l.Ref, Amount: rp(5_000_000), On: april2, OfficerID: "1"}))
			if !r.Rescheduled || r.Closed || r.Settled {
				t.Fatalf("receipt %+v", r)
			}
			eq(t, "interest booked", r.Interest, 0)
			eq(t, "remaining principal", r.RemainingPrincipal, 5_122_136)
			sameSched(t, "receipt schedule", r.Schedule, c.want)
			s := must(LoanStatusOf(ctx, db.R, l.Ref, april2))
			sameSched(t, "loan schedule", s.Schedule[2:], c.want)
			if b := balances(t, db, l.AccountCode(), InterestIncome); b[l.AccountCode()] != 5_122_136 || b[InterestIncome] != 288_336 {
				t.Errorf("balances %v", b)
			}
			// What the reminders read follows the new schedule too.
			due := must(DueTotal(ctx, db.R, date(2026, 4, 15), date(2026, 4, 15)))
			eq(t, "due on installment 3's date", due.Unpaid, c.want[0].principal+c.want[0].int_)
			// The original schedule is still there, untouched; the new one
			// is a version of its own.
			if n := count(t, db.R, `SELECT count(*) FROM loan_installments WHERE loan_id = ?`, l.ID); n != 12 {
				t.Errorf("%d original installments", n)
			}
			if n := count(t, db.R, `SELECT count(*) FROM loan_schedule_versions WHERE loan_id = ?`, l.ID); n != 1 {
				t.Errorf("%d schedule versions", n)
			}
			mustCheck(t, db)
		})
	}
}

// TestReversingAPrepaymentRestoresTheSchedule: a reversed prepayment's
// schedule is no longer followed, and a later prepayment must be reversed
// before an earlier one.
func TestReversingAPrepaymentRestoresTheSchedule(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, l := anuitas12(t, anuitas(t))
	must(repayTx(t, db, Payment{Key: "pre1", LoanRef: l.Ref, Amount: rp(5_000_000), On: april2, OfficerID: "1"}))
	must(repayTx(t, db, Payment{Key: "pre2", LoanRef: l.Ref, Amount: rp(2_000_000), On: date(2026, 4, 3), OfficerID: "1"}))
	reverse := func(key string) error {
		_, err := storetest.Write(t, db, func(q *sql.Tx) (Reversal, error) {
			return ReverseRepayment(ctx, q, key, "2001", "salah input", date(2026, 4, 3))
		})
		return err
	}
	if err := reverse("pre1"); !errors.Is(err, ErrStatus) {
		t.Fatalf("reversing the earlier prepayment first: err = %v", err)
	}
	for _, k := range []string{"pre2", "pre1"} {
		if err := reverse(k); err != nil {
			t.Fatal(err)
		}
	}
	s := must(LoanStatusOf(ctx, db.R, l.Ref, date(2026, 4, 3)))
	eq(t, "principal", s.OutstandingPrincipal, 10_122_136)
	eq(t, "interest", s.OutstandingInterest, 708_862)
	if s.NextDue == nil || s.NextDue.No != 3 || !s.NextDue.Amount.Equal(rp(1_083_100)) {
		t.Errorf("next due %+v", s.NextDue)
	}
	mustCheck(t, db)
}

// TestSettlementFee: a 1% fee on the outstanding principal, 101.221,36 →
// 101.221, credited to its own income account.
func TestSettlementFee(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := anuitas(t)
	p.Settlement.FeeRate = dec("0.01")
	db, l := anuitas12(t, p)
	qt := must(Settle(ctx, db.R, l.Ref, april2))
	eq(t, "fee", qt.Fee, 101_221)
	eq(t, "total", qt.Total, 10_299_273)
	r := must(repayTx(t, db, Payment{Key: "lunas", LoanRef: l.Ref, Amount: qt.Total, On: april2, OfficerID: "1"}))
	if !r.Closed {
		t.Fatalf("receipt %+v", r)
	}
	eq(t, "receipt fee", r.Fee, 101_221)
	if b := balances(t, db, SettlementIncome, l.AccountCode()); b[SettlementIncome] != 101_221 || b[l.AccountCode()] != 0 {
		t.Errorf("balances %v", b)
	}
	mustCheck(t, db)
}

// TestSettleFlat: Rp3.000.000 USAHA (flat 1,5%: 500.000 + 45.000 a month,
// due the 10th), installment 1 paid on 10 February; on 20 February, ten
// days on, 2.500.000 of principal is outstanding and five installments'
// interest (225.000) scheduled. Current period (the default) charges
// installment 2's 45.000; accrued 45.000 × 10/30 = 15.000; a 50% discount
// of the future interest 112.500.
func TestSettleFlat(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	policy := func(s SettlementPolicy, discount string) Product {
		p := usaha(t)
		p.Settlement.Policy, p.Settlement.DiscountRate = s, dec(discount)
		return p
	}
	for _, c := range []struct {
		name     string
		p        Product
		interest int64
	}{
		{"current period", usaha(t), 45_000},
		{"accrued", policy(SettleAccrued, "0"), 15_000},
		{"discount", policy(SettleDiscount, "0.5"), 112_500},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			db := openTB(t)
			l := disbursedProduct(t, db, 1, c.p, 3_000_000, 6, at(2026, 1, 10, 10))
			must(repayTx(t, db, Payment{Key: "i1", LoanRef: l.Ref, Amount: rp(545_000), On: date(2026, 2, 10), OfficerID: "1"}))
			on := date(2026, 2, 20)
			qt := must(Settle(ctx, db.R, l.Ref, on))
			eq(t, "interest", qt.Interest, c.interest)
			eq(t, "total", qt.Total, 2_500_000+c.interest)
			if _, err := repayTx(t, db, Payment{Key: "short", LoanRef: l.Ref, Amount: qt.Total.Sub(decimal.NewFromInt(1)),
				On: on, OfficerID: "1"}); !errors.Is(err, ErrSettlementAmount) {
				t.Errorf("a rupiah short: err = %v", err)
			}
			r := must(repayTx(t, db, Payment{Key: "lunas", LoanRef: l.Ref, Amount: qt.Total, On: on, OfficerID: "1"}))
			if !r.Closed || !r.Settled {
				t.Fatalf("receipt %+v", r)
			}
			if b := balances(t, db, InterestIncome); b[InterestIncome] != 45_000+c.interest {
				t.Errorf("interest income %v", b)
			}
			mustCheck(t, db)
		})
	}
}

// TestSettleValidates: a settlement quote for a date before the loan, or
// for a closed loan, is refused.
func TestSettleValidates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTB(t)
	l := disbursedLoan(t, db, 1, "USAHA", 3_000_000, 6, at(2026, 1, 10, 10))
	if _, err := Settle(ctx, db.R, l.Ref, date(2026, 1, 9)); !errors.Is(err, ErrBackdated) {
		t.Errorf("before disbursement: err = %v", err)
	}
	qt := must(Settle(ctx, db.R, l.Ref, date(2026, 1, 10)))
	eq(t, "on the day of disbursement", qt.Total, 3_045_000)
	must(repayTx(t, db, Payment{Key: "all", LoanRef: l.Ref, Amount: qt.Total, On: date(2026, 1, 10), OfficerID: "1"}))
	if _, err := Settle(ctx, db.R, l.Ref, date(2026, 1, 11)); !errors.Is(err, ErrStatus) {
		t.Errorf("closed loan: err = %v", err)
	}
	if _, err := Settle(ctx, db.R, "PJ-0000-0000", date(2026, 1, 11)); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown loan: err = %v", err)
	}
}

// TestPrepaymentAfterPayingAhead: installment 3 paid ahead on 2 April is an
// installment, booked as on its day; Rp5.000.000 more that day is
// prepayment re-amortised from installment 4, whose period has not begun:
// O = 10.122.136 − 956.573 = 9.165.563, O′ = 4.165.563, installment 4's
// interest round(4.165.563 × 1,25%) = 52.070, and the ordinary annuity of
// O′ over 9 months, 492.247 (the last 486.169 + 6.077 = 492.246).
func TestPrepaymentAfterPayingAhead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, l := anuitas12(t, anuitas(t))
	ahead := must(repayTx(t, db, Payment{Key: "i3", LoanRef: l.Ref, Amount: rp(1_083_100), On: april2, OfficerID: "1"}))
	if ahead.Rescheduled {
		t.Fatalf("paying the coming installment re-planned the loan: %+v", ahead)
	}
	eq(t, "installment 3 interest", ahead.Interest, 126_527)
	r := must(repayTx(t, db, Payment{Key: "pre", LoanRef: l.Ref, Amount: rp(5_000_000), On: april2, OfficerID: "1"}))
	if !r.Rescheduled {
		t.Fatalf("receipt %+v", r)
	}
	eq(t, "interest booked", r.Interest, 0)
	want := []installment{{4, 440_177, 52_070}, {5, 445_680, 46_567}, {6, 451_251, 40_996}, {7, 456_891, 35_356},
		{8, 462_602, 29_645}, {9, 468_385, 23_862}, {10, 474_240, 18_007}, {11, 480_168, 12_079}, {12, 486_169, 6_077}}
	sameSched(t, "after paying ahead", r.Schedule, want)
	s := must(LoanStatusOf(ctx, db.R, l.Ref, april2))
	eq(t, "principal", s.OutstandingPrincipal, 4_165_563)
	mustCheck(t, db)
}
