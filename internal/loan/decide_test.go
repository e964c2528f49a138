package loan

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/kopmem/kopbot/internal/store/storetest"
	"sync"
	"testing"
)

type step struct {
	officer string
	role    Role
	verdict Verdict
	reason  string
	want    error  // nil: accepted
	status  Status // after an accepted step
	final   bool
}

func TestMakerChecker(t *testing.T) {
	t.Parallel()
	small, large := int64(5_000_000), int64(15_000_000) // DefaultPolicy: two officers above 10.000.000
	for _, c := range []struct {
		name   string
		amount int64
		steps  []step
	}{
		{"small: one petugas approval is final", small, []step{
			{"1001", RolePetugas, Approve, "", nil, StatusApproved, true},
			{"1002", RoleManajer, Approve, "", ErrAlreadyDecided, "", false},
		}},
		{"small: a manajer alone is final", small, []step{{"2001", RoleManajer, Approve, "", nil, StatusApproved, true}}},
		{"exactly the threshold needs one", 10_000_000, []step{{"1001", RolePetugas, Approve, "", nil, StatusApproved, true}}},
		{"large: petugas then manajer", large, []step{
			{"1001", RolePetugas, Approve, "", nil, StatusAwaitingSecond, false},
			{"2001", RoleManajer, Approve, "", nil, StatusApproved, true},
		}},
		{"large: petugas then petugas is refused", large, []step{
			{"1001", RolePetugas, Approve, "", nil, StatusAwaitingSecond, false},
			{"1002", RolePetugas, Approve, "", ErrNeedsManager, "", false},
			{"2001", RoleManajer, Approve, "", nil, StatusApproved, true},
		}},
		{"large: the same officer twice is refused", large, []step{
			{"2001", RoleManajer, Approve, "", nil, StatusAwaitingSecond, false},
			{"2001", RoleManajer, Approve, "", ErrSameOfficer, "", false},
			{"1001", RolePetugas, Approve, "", ErrNeedsManager, "", false},
			{"2002", RoleManajer, Approve, "", nil, StatusApproved, true},
		}},
		{"reject needs a reason", small, []step{
			{"1001", RolePetugas, Reject, " ", ErrReasonRequired, "", false},
			{"1001", RolePetugas, Reject, "Usaha belum berjalan", nil, StatusRejected, true},
			{"2001", RoleManajer, Approve, "", ErrAlreadyDecided, "", false},
		}},
		{"the second officer may reject", large, []step{
			{"1001", RolePetugas, Approve, "", nil, StatusAwaitingSecond, false},
			{"2001", RoleManajer, Reject, "Plafon terlalu tinggi", nil, StatusRejected, true},
		}},
		{"asking for info drops a first approval", large, []step{
			{"1001", RolePetugas, Approve, "", nil, StatusAwaitingSecond, false},
			{"2001", RoleManajer, AskInfo, "Slip gaji?", nil, StatusInfoRequested, false},
			{"2001", RoleManajer, Approve, "", nil, StatusAwaitingSecond, false},
			{"2002", RoleManajer, Approve, "", nil, StatusApproved, true},
		}},
		{"bad role and verdict", small, []step{
			{"1001", "ketua", Approve, "", ErrRole, "", false},
			{"1001", RolePetugas, "maybe", "", ErrVerdict, "", false},
			{"", RolePetugas, Approve, "", ErrMissing, "", false},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			db := openTB(t)
			m := newMember(t, db, 1, c.amount)
			a := must(applyTx(t, db, Request{Key: "k", MemberID: m.ID, Product: "ANUITAS", Amount: rp(c.amount),
				Tenor: 12, Now: at(2026, 3, 1, 9)}))
			accepted := 0
			for i, s := range c.steps {
				o, err := decideTx(t, db, Decision{AppRef: a.Ref, OfficerID: s.officer, Role: s.role, Verdict: s.verdict,
					Reason: s.reason, Now: at(2026, 3, 1, 10+i)})
				if s.want != nil {
					if !errors.Is(err, s.want) {
						t.Fatalf("step %d: err = %v, want %v", i+1, err, s.want)
					}
					continue
				}
				if err != nil {
					t.Fatalf("step %d: %v", i+1, err)
				}
				accepted++
				if o.Status != s.status || o.Final != s.final || o.Application.Status != s.status {
					t.Fatalf("step %d: outcome %+v", i+1, o)
				}
			}
			hist := must(Decisions(context.Background(), db.R, a.Ref))
			if len(hist) != accepted {
				t.Errorf("%d decisions recorded, %d accepted", len(hist), accepted)
			}
		})
	}
}

func TestAlreadyDecidedNamesWho(t *testing.T) {
	t.Parallel()
	db := openTB(t)
	m := newMember(t, db, 1, 5_000_000)
	a := must(applyTx(t, db, Request{Key: "k", MemberID: m.ID, Product: "USAHA", Amount: rp(1_000_000), Tenor: 6,
		Now: at(2026, 3, 1, 9)}))
	must(decideTx(t, db, Decision{AppRef: a.Ref, OfficerID: "1001", Role: RolePetugas, Verdict: Approve, Now: at(2026, 3, 1, 10)}))
	_, err := decideTx(t, db, Decision{AppRef: a.Ref, OfficerID: "1002", Role: RolePetugas, Verdict: Reject,
		Reason: "x", Now: at(2026, 3, 1, 11)})
	var done *AlreadyDecidedError
	if !errors.As(err, &done) || done.Status != StatusApproved || done.Last.OfficerID != "1001" ||
		done.Last.Role != RolePetugas || done.Last.Verdict != Approve {
		t.Fatalf("err = %v (%+v)", err, done)
	}
}

// TestConcurrentDecisions: officers tapping at once, each in their own
// write transaction, settle the application exactly once.
func TestConcurrentDecisions(t *testing.T) {
	t.Parallel()
	db := openTB(t)
	ctx := context.Background()
	m := newMember(t, db, 1, 5_000_000)
	a := must(applyTx(t, db, Request{Key: "k", MemberID: m.ID, Product: "USAHA", Amount: rp(2_000_000), Tenor: 6,
		Now: at(2026, 3, 1, 9)}))
	const n = 12
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := Decision{AppRef: a.Ref, OfficerID: fmt.Sprintf("10%02d", i%3), Role: RolePetugas, Verdict: Approve,
				Now: at(2026, 3, 1, 10)}
			if i%2 == 1 {
				d.Verdict, d.Reason = Reject, "dobel"
			}
			errs[i] = db.Write(ctx, func(q *sql.Tx) error { _, err := Decide(ctx, q, d, DefaultPolicy()); return err })
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, ErrAlreadyDecided):
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d decisions succeeded, want 1", ok)
	}
	if n := count(t, db.R, `SELECT count(*) FROM loan_decisions`); n != 1 {
		t.Errorf("%d decisions recorded", n)
	}
	got := must(ApplicationByRef(ctx, db.R, a.Ref))
	if got.Status != StatusApproved && got.Status != StatusRejected {
		t.Errorf("status %s", got.Status)
	}
}

func TestHistoryIsAppendOnly(t *testing.T) {
	t.Parallel()
	db := openTB(t)
	l := disbursedLoan(t, db, 1, "USAHA", 1_000_000, 2, at(2026, 1, 5, 9))
	must(repayTx(t, db, Payment{Key: "p1", LoanRef: l.Ref, Amount: rp(100_000), On: at(2026, 1, 6, 9), OfficerID: "1001"}))
	for _, stmt := range []string{
		`UPDATE loan_decisions SET reason = 'x'`, `DELETE FROM loan_decisions`,
		`UPDATE loan_installments SET principal = 1`, `DELETE FROM loan_installments`,
		`UPDATE loan_payments SET amount = 1`, `DELETE FROM loan_payments`,
		`UPDATE loan_allocations SET amount = 1`, `DELETE FROM loan_allocations`,
		`UPDATE loan_loans SET principal = 1`, `UPDATE loan_applications SET amount = 1`,
	} {
		if err := db.Write(context.Background(), func(q *sql.Tx) error { _, err := q.Exec(stmt); return err }); err == nil {
			t.Errorf("%s was allowed", stmt)
		}
	}
}

// TestStaleDecisionChangesNothing: a decision based on a status read before
// another one landed changes nothing, even without the write lock's help.
func TestStaleDecisionChangesNothing(t *testing.T) {
	t.Parallel()
	db := openTB(t)
	ctx := context.Background()
	m := newMember(t, db, 1, 5_000_000)
	a := must(applyTx(t, db, Request{Key: "k", MemberID: m.ID, Product: "USAHA", Amount: rp(1_000_000), Tenor: 6,
		Now: at(2026, 3, 1, 9)}))
	for i, next := range []Status{StatusApproved, StatusRejected} {
		ok := must(storetest.Write(t, db, func(q *sql.Tx) (bool, error) { return setStatus(ctx, q, a, next, "", at(2026, 3, 1, 10)) }))
		if ok != (i == 0) {
			t.Errorf("setting %s from stale %s: changed = %v", next, a.Status, ok)
		}
	}
	if got := must(ApplicationByRef(ctx, db.R, a.Ref)); got.Status != StatusApproved {
		t.Errorf("status %s", got.Status)
	}
}
