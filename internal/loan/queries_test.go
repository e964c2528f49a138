package loan

import (
	"context"
	"database/sql"
	"errors"
	"github.com/kopmem/kopbot/internal/store/storetest"
	"testing"
	"time"
)

func TestEachDueAndOverdue(t *testing.T) {
	t.Parallel()
	db := openTB(t)
	ctx := context.Background()
	a := disbursedLoan(t, db, 1, "USAHA", 3_000_000, 6, at(2026, 1, 10, 10)) // due the 10th: 545.000
	b := disbursedLoan(t, db, 2, "USAHA", 1_200_000, 3, at(2026, 1, 31, 10)) // due 28 Feb, 31 Mar: 418.000
	must(repayTx(t, db, Payment{Key: "a1", LoanRef: a.Ref, Amount: rp(545_000), On: date(2026, 2, 10), OfficerID: "1"}))
	must(repayTx(t, db, Payment{Key: "a2", LoanRef: a.Ref, Amount: rp(45_000), On: date(2026, 3, 1), OfficerID: "1"}))

	type due struct {
		ref    string
		no     int
		unpaid int64
	}
	var got []due
	err := EachDue(ctx, db.R, date(2026, 2, 1), date(2026, 3, 31), func(d DueInstallment) error {
		got = append(got, due{d.LoanRef, d.No, d.Unpaid.IntPart()})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []due{{b.Ref, 1, 418_000}, {a.Ref, 2, 500_000}, {b.Ref, 2, 418_000}}
	if len(got) != len(want) {
		t.Fatalf("due %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("due %d: %v, want %v", i, got[i], want[i])
		}
	}
	stop := errors.New("enough")
	calls := 0
	if err := EachDue(ctx, db.R, date(2026, 1, 1), date(2026, 12, 31), func(DueInstallment) error {
		calls++
		return stop
	}); !errors.Is(err, stop) || calls != 1 {
		t.Errorf("stopping: %v after %d calls", err, calls)
	}

	late := must(Overdue(ctx, db.R, date(2026, 3, 5)))
	if len(late) != 1 || late[0].Ref != b.Ref || late[0].OverdueDays != 5 {
		t.Fatalf("overdue on 5 March: %+v", late)
	}
	eq(t, "overdue", late[0].Overdue, 418_000)
	eq(t, "denda (4–5 March)", late[0].Denda, 836)
	if late := must(Overdue(ctx, db.R, date(2026, 3, 11))); len(late) != 2 {
		t.Errorf("overdue on 11 March: %d loans", len(late))
	}
}

func TestTodayTotals(t *testing.T) {
	t.Parallel()
	db := openTB(t)
	ctx := context.Background()
	wib := time.FixedZone("WIB", 7*3600)
	// Applied at 06:30 WIB on 10 January (23:30 UTC the day before) and
	// disbursed that day; a second application on 11 January stays pending.
	l := disbursedLoan(t, db, 1, "USAHA", 3_000_000, 6, time.Date(2026, 1, 10, 6, 30, 0, 0, wib))
	m := newMember(t, db, 2, 1_000_000)
	must(applyTx(t, db, Request{Key: "k2", MemberID: m.ID, Product: "USAHA", Amount: rp(600_000), Tenor: 3, Now: at(2026, 1, 11, 8)}))
	must(repayTx(t, db, Payment{Key: "p1", LoanRef: l.Ref, Amount: rp(548_815), On: date(2026, 2, 20), OfficerID: "1"}))
	must(repayTx(t, db, Payment{Key: "p2", LoanRef: l.Ref, Amount: rp(45_000), On: date(2026, 2, 20), OfficerID: "1"}))

	day := must(TodayTotals(ctx, db.R, time.Date(2026, 1, 10, 21, 0, 0, 0, wib), wib))
	if day.Applications != 1 || !day.Applied.Equal(rp(3_000_000)) || day.Approvals != 1 || day.Disbursements != 1 ||
		!day.Disbursed.Equal(rp(3_000_000)) || day.Repayments != 0 {
		t.Errorf("10 January: %+v", day)
	}
	if next := must(TodayTotals(ctx, db.R, time.Date(2026, 1, 11, 9, 0, 0, 0, wib), wib)); next.Applications != 1 || next.Approvals != 0 {
		t.Errorf("11 January: %+v", next)
	}
	pay := must(TodayTotals(ctx, db.R, date(2026, 2, 20), wib))
	if pay.Repayments != 2 || !pay.Repaid.Equal(rp(593_815)) {
		t.Errorf("20 February: %+v", pay)
	}
	eq(t, "denda", pay.Denda, 3_815)
	eq(t, "bunga", pay.Interest, 90_000)
	eq(t, "pokok", pay.Principal, 500_000)

	// The two payments were one, typed in two: both taken back and posted
	// again as one the same day. The day's figures count the money once,
	// its denda too.
	must(storetest.Write(t, db, func(q *sql.Tx) (Reversal, error) {
		return ReverseRepayment(ctx, q, "p1", "1", "salah input", date(2026, 2, 20))
	}))
	must(storetest.Write(t, db, func(q *sql.Tx) (Reversal, error) {
		return ReverseRepayment(ctx, q, "p2", "1", "salah input", date(2026, 2, 20))
	}))
	must(repayTx(t, db, Payment{Key: "p3", LoanRef: l.Ref, Amount: rp(593_815), On: date(2026, 2, 20), OfficerID: "1"}))
	net := must(TodayTotals(ctx, db.R, date(2026, 2, 20), wib))
	if net.Reversals != 2 || !net.Reversed.Equal(rp(593_815)) {
		t.Errorf("20 February after the correction: %+v", net)
	}
	eq(t, "net repaid", net.Repaid, 593_815)
	eq(t, "net denda", net.Denda, 3_815)
	eq(t, "net bunga", net.Interest, 90_000)
	eq(t, "net pokok", net.Principal, 500_000)
	mustCheck(t, db)
}

func TestPayingOffClosesAndReversalReopens(t *testing.T) {
	t.Parallel()
	db := openTB(t)
	ctx := context.Background()
	l := disbursedLoan(t, db, 1, "ANUITAS", 1_000_000, 3, at(2026, 1, 10, 10))
	// Paying it off ten days in costs the principal and ten days' interest:
	// 1.000.000 × 1,25% × 10 / 30 = 4.166,67 → 4.167.
	qt := must(Settle(ctx, db.R, l.Ref, date(2026, 1, 20)))
	eq(t, "settlement", qt.Total, 1_004_167)
	r := must(repayTx(t, db, Payment{Key: "all", LoanRef: l.Ref, Amount: qt.Total, On: date(2026, 1, 20), OfficerID: "1"}))
	if !r.Closed || !r.Settled || r.NextDue != nil || !r.RemainingPrincipal.IsZero() {
		t.Fatalf("receipt %+v", r)
	}
	eq(t, "interest paid", r.Interest, 4_167)
	if got := must(LoanByRef(ctx, db.R, l.Ref)); !got.Closed || !got.ClosedOn.Equal(date(2026, 1, 20)) {
		t.Fatalf("loan %+v", got)
	}
	if ov := must(MemberLoans(ctx, db.R, l.MemberID, date(2026, 1, 21))); len(ov.Loans) != 0 {
		t.Errorf("closed loan listed: %+v", ov.Loans)
	}
	if _, err := repayTx(t, db, Payment{Key: "more", LoanRef: l.Ref, Amount: rp(1), On: date(2026, 1, 21), OfficerID: "1"}); !errors.Is(err, ErrOverpayment) {
		t.Errorf("paying a closed loan: err = %v", err)
	}
	rev := must(storetest.Write(t, db, func(q *sql.Tx) (Reversal, error) {
		return ReverseRepayment(ctx, q, "all", "2001", "transfer ditolak bank", date(2026, 1, 22))
	}))
	eq(t, "remaining", rev.RemainingPrincipal, 1_000_000)
	if got := must(LoanByRef(ctx, db.R, l.Ref)); got.Closed || !got.ClosedOn.IsZero() {
		t.Errorf("after reversal %+v", got)
	}
	if _, err := storetest.Write(t, db, func(q *sql.Tx) (Reversal, error) {
		return ReverseRepayment(ctx, q, "nope", "2001", "x", date(2026, 1, 22))
	}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown payment: err = %v", err)
	}
	if b := balances(t, db, l.AccountCode(), InterestIncome); b[l.AccountCode()] != 1_000_000 || b[InterestIncome] != 0 {
		t.Errorf("balances %v", b)
	}
	mustCheck(t, db)
}
