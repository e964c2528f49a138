package loan

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/kopmem/kopbot/internal/store/storetest"
)

func disburseTx(t *testing.T, db *store.DB, ref, officer string, on time.Time) (Loan, ledger.Tx, error) {
	t.Helper()
	var l Loan
	var tx ledger.Tx
	err := db.Write(context.Background(), func(q *sql.Tx) error {
		var err error
		l, tx, err = Disburse(context.Background(), q, ref, officer, on)
		return err
	})
	return l, tx, err
}

func TestDisburseOnceOnlyWhenApproved(t *testing.T) {
	t.Parallel()
	db := openTB(t)
	ctx := context.Background()
	m := newMember(t, db, 1, 2_000_000)
	a := must(applyTx(t, db, Request{Key: "k", MemberID: m.ID, Product: "USAHA", Amount: rp(5_000_000), Tenor: 12,
		Now: at(2026, 1, 30, 9)}))
	on := at(2026, 1, 31, 10)
	if _, _, err := disburseTx(t, db, a.Ref, "1001", on); !errors.Is(err, ErrStatus) {
		t.Fatalf("pending disbursed: err = %v", err)
	}
	must(decideTx(t, db, Decision{AppRef: a.Ref, OfficerID: "1001", Role: RolePetugas, Verdict: Approve, Now: on}))
	if _, _, err := disburseTx(t, db, a.Ref, "", on); !errors.Is(err, ErrMissing) {
		t.Fatalf("no officer: err = %v", err)
	}
	l, tx, err := disburseTx(t, db, a.Ref, "1001", on)
	if err != nil {
		t.Fatal(err)
	}
	if tx.Replayed || tx.Key != "disburse:"+a.Ref || l.Ref != a.Ref || l.AccountCode() != "PINJ-"+a.Ref ||
		!l.DisbursedOn.Equal(date(2026, 1, 31)) || l.Closed || l.Tenor != 12 || !l.Principal.Equal(rp(5_000_000)) {
		t.Fatalf("loan %+v, tx %+v", l, tx)
	}
	again, tx2, err := disburseTx(t, db, a.Ref, "1002", on.AddDate(0, 0, 1))
	if err != nil || !tx2.Replayed || tx2.ID != tx.ID || again.ID != l.ID {
		t.Fatalf("second disbursement: %+v, %+v, %v", again, tx2, err)
	}
	b := balances(t, db, l.AccountCode(), Cash)
	if b[l.AccountCode()] != 5_000_000 || b[Cash] != 2_000_000-5_000_000 {
		t.Errorf("balances %v", b)
	}
	if n := count(t, db.R, `SELECT count(*) FROM ledger_transactions WHERE kind = ?`, KindDisbursement); n != 1 {
		t.Errorf("%d disbursements posted", n)
	}
	if got := must(ApplicationByRef(ctx, db.R, a.Ref)); got.Status != StatusDisbursed {
		t.Errorf("application %s", got.Status)
	}
	// The stored schedule is the product's, from the disbursement date.
	want := must(Schedule(catalog(t).products[0], rp(5_000_000), 12, on))
	got := must(LoanStatusOf(ctx, db.R, l.Ref, on)).Schedule
	for i := range want {
		if !got[i].Due.Equal(want[i].Due) || !got[i].Total.Equal(want[i].Total) || !got[i].Remaining.Equal(want[i].Remaining) {
			t.Errorf("installment %d: stored %+v, want %+v", i+1, got[i].Installment, want[i])
		}
	}
	if !got[0].Due.Equal(date(2026, 2, 28)) {
		t.Errorf("first due %s", got[0].Due)
	}
	mustCheck(t, db)
}

func TestFirstDueAfterMonths(t *testing.T) {
	t.Parallel()
	db := openTB(t)
	ctx := context.Background()
	m := newMember(t, db, 1, 2_000_000)
	pol := DefaultPolicy()
	pol.FirstDueAfterMonths = 2
	a := must(storetest.Write(t, db, func(q *sql.Tx) (Application, error) {
		return Apply(ctx, q, Request{Key: "k", MemberID: m.ID, Product: "USAHA", Amount: rp(1_200_000), Tenor: 3,
			Now: at(2026, 1, 15, 9)}, catalog(t), pol)
	}))
	must(storetest.Write(t, db, func(q *sql.Tx) (Outcome, error) {
		return Decide(ctx, q, Decision{AppRef: a.Ref, OfficerID: "1", Role: RoleManajer, Verdict: Approve,
			Now: at(2026, 1, 15, 9)}, pol)
	}))
	l, _, err := disburseTx(t, db, a.Ref, "1", at(2026, 1, 15, 10))
	if err != nil {
		t.Fatal(err)
	}
	s := must(LoanStatusOf(ctx, db.R, l.Ref, at(2026, 1, 15, 10)))
	if !s.Schedule[0].Due.Equal(date(2026, 3, 15)) || !s.Schedule[2].Due.Equal(date(2026, 5, 15)) {
		t.Errorf("due dates %s … %s", s.Schedule[0].Due, s.Schedule[2].Due)
	}
}
