package loan

import (
	"context"
	"database/sql"
	"errors"
	"github.com/kopmem/kopbot/internal/store/storetest"
	"testing"
	"time"
)

func TestApplyIdempotent(t *testing.T) {
	t.Parallel()
	db := openTB(t)
	m := newMember(t, db, 1, 5_000_000)
	r := Request{Key: "wa:msg-1", MemberID: m.ID, Product: "usaha", Amount: rp(2_000_000), Tenor: 10,
		Purpose: " modal warung ", Now: at(2026, 11, 3, 9)}
	first, err := applyTx(t, db, r)
	if err != nil {
		t.Fatal(err)
	}
	if first.Replayed || first.Ref != "PJ-2611-0001" || first.Status != StatusPending || first.Product != "USAHA" ||
		first.Purpose != "modal warung" || first.Terms.Method != Flat || !first.Terms.RatePerMonth.Equal(dec("0.015")) ||
		first.Terms.FirstDueAfterMonths != 1 {
		t.Fatalf("first = %+v", first)
	}
	again, err := applyTx(t, db, r)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Replayed || again.ID != first.ID || again.Ref != first.Ref {
		t.Errorf("again = %+v", again)
	}
	other := r
	other.Amount = rp(3_000_000)
	if _, err := applyTx(t, db, other); !errors.Is(err, ErrKeyConflict) {
		t.Errorf("same key, other amount: err = %v", err)
	}
	if n := count(t, db.R, `SELECT count(*) FROM loan_applications`); n != 1 {
		t.Errorf("%d applications", n)
	}
	stored, err := ApplicationByRef(context.Background(), db.R, first.Ref)
	if err != nil || !stored.AppliedAt.Equal(first.AppliedAt) || !stored.Amount.Equal(first.Amount) {
		t.Errorf("stored = %+v, %v", stored, err)
	}
}

func TestApplyReferencesCountPerMonth(t *testing.T) {
	t.Parallel()
	db := openTB(t)
	for i, c := range []struct {
		now  time.Time
		want string
	}{
		{at(2026, 11, 1, 9), "PJ-2611-0001"},
		{at(2026, 11, 30, 20), "PJ-2611-0002"},
		{at(2026, 12, 1, 8), "PJ-2612-0001"},
		{at(2026, 11, 15, 8), "PJ-2611-0003"},
	} {
		m := newMember(t, db, i+1, 1_000_000)
		a, err := applyTx(t, db, Request{Key: c.want, MemberID: m.ID, Product: "USAHA", Amount: rp(500_000), Tenor: 2, Now: c.now})
		if err != nil || a.Ref != c.want {
			t.Errorf("ref %q, %v; want %s", a.Ref, err, c.want)
		}
	}
}

func TestApplyRefusesBadInput(t *testing.T) {
	t.Parallel()
	db := openTB(t)
	m := newMember(t, db, 1, 1_000_000)
	for _, c := range []struct {
		r    Request
		want error
	}{
		{Request{Key: "", MemberID: m.ID, Product: "USAHA", Amount: rp(500_000), Tenor: 2}, ErrMissing},
		{Request{Key: "a", MemberID: m.ID, Product: "USAHA", Amount: rp(0), Tenor: 2}, ErrAmount},
		{Request{Key: "b", MemberID: m.ID, Product: "USAHA", Amount: dec("500000.50"), Tenor: 2}, ErrAmount},
		{Request{Key: "c", MemberID: m.ID, Product: "USAHA", Amount: rp(500_000), Tenor: 0}, ErrTenor},
	} {
		c.r.Now = at(2026, 1, 1, 9)
		if _, err := applyTx(t, db, c.r); !errors.Is(err, c.want) {
			t.Errorf("%+v: err = %v, want %v", c.r, err, c.want)
		}
	}
}

func TestInfoRoundTripAndCancel(t *testing.T) {
	t.Parallel()
	db := openTB(t)
	ctx := context.Background()
	m := newMember(t, db, 1, 5_000_000)
	a := must(applyTx(t, db, Request{Key: "k", MemberID: m.ID, Product: "USAHA", Amount: rp(2_000_000), Tenor: 10,
		Now: at(2026, 3, 1, 9)}))
	now := at(2026, 3, 1, 10)
	addInfo := func(memberID int64, text string) (Application, error) {
		return storetest.Write(t, db, func(q *sql.Tx) (Application, error) { return AddInfo(ctx, q, a.Ref, memberID, text, now) })
	}
	cancel := func(memberID int64) (Application, error) {
		return storetest.Write(t, db, func(q *sql.Tx) (Application, error) { return Cancel(ctx, q, a.Ref, memberID, now) })
	}
	if _, err := addInfo(m.ID, "foto KTP"); !errors.Is(err, ErrStatus) {
		t.Errorf("info nobody asked for: err = %v", err)
	}
	if _, err := decideTx(t, db, Decision{AppRef: a.Ref, OfficerID: "1001", Role: RolePetugas, Verdict: AskInfo, Now: now}); !errors.Is(err, ErrReasonRequired) {
		t.Errorf("question without text: err = %v", err)
	}
	o := must(decideTx(t, db, Decision{AppRef: a.Ref, OfficerID: "1001", Role: RolePetugas, Verdict: AskInfo,
		Reason: "Mohon kirim foto usaha", Now: now}))
	if o.Final || o.Status != StatusInfoRequested {
		t.Errorf("ask info: %+v", o)
	}
	if _, err := addInfo(m.ID+1, "bukan saya"); !errors.Is(err, ErrNotYours) {
		t.Errorf("someone else's answer: err = %v", err)
	}
	if _, err := addInfo(m.ID, "  "); !errors.Is(err, ErrMissing) {
		t.Errorf("empty answer: err = %v", err)
	}
	back, err := addInfo(m.ID, "Foto terlampir")
	if err != nil || back.Status != StatusPending {
		t.Fatalf("answer: %+v, %v", back, err)
	}
	if n := count(t, db.R, `SELECT count(*) FROM loan_info WHERE text = 'Foto terlampir'`); n != 1 {
		t.Errorf("%d answers stored", n)
	}
	if got, err := cancel(m.ID); err != nil || got.Status != StatusCancelled {
		t.Fatalf("cancel: %+v, %v", got, err)
	}
	if got, err := cancel(m.ID); err != nil || got.Status != StatusCancelled {
		t.Errorf("cancel again: %+v, %v", got, err)
	}
	_, err = decideTx(t, db, Decision{AppRef: a.Ref, OfficerID: "1001", Role: RolePetugas, Verdict: Approve, Now: now})
	var done *AlreadyDecidedError
	if !errors.As(err, &done) || done.Status != StatusCancelled || done.Last.Verdict != AskInfo {
		t.Errorf("deciding a cancelled application: err = %v", err)
	}
}
