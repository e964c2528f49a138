package duty

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/store/storetest"
)

func TestRules(t *testing.T) {
	t.Parallel()
	r := DefaultRules()
	r.Own = map[string]string{"7": "kmm\u201100007"} // a non-breaking hyphen, lower case
	for _, c := range []struct {
		name   string
		amount int64
		second bool
		err    error
	}{
		{"at the limit", 10_000_000, false, nil},
		{"above the limit", 10_000_001, true, nil},
		{"at the ceiling", 1_000_000_000, true, nil},
		{"above the ceiling", 1_000_000_001, false, ErrAboveCeiling},
	} {
		second, err := r.NeedsChecker(decimal.NewFromInt(c.amount))
		if second != c.second || !errors.Is(err, c.err) {
			t.Errorf("%s: %v %v, want %v %v", c.name, second, err, c.second, c.err)
		}
	}
	for _, c := range []struct {
		officer, number string
		err             error
	}{
		{"7", "KMM-00007", ErrOwnAccount},
		{"7", "ＫＭＭ－００００７", ErrOwnAccount}, // full width
		{"7", "KMM-00008", nil},
		{"8", "KMM-00007", nil},
	} {
		if err := r.CheckOwn(c.officer, member.Member{Number: c.number}); !errors.Is(err, c.err) {
			t.Errorf("officer %s on %s: %v, want %v", c.officer, c.number, err, c.err)
		}
	}
	if err := r.CheckDisburser("7", []string{"5", "7"}); !errors.Is(err, ErrApproverPays) {
		t.Errorf("approver disburses: %v", err)
	}
	r.SoloDisbursement = true
	if err := r.CheckDisburser("7", []string{"7"}); err != nil {
		t.Errorf("solo disbursement refused: %v", err)
	}
	bad := DefaultRules()
	bad.Ceiling = decimal.NewFromInt(5)
	if bad.Validate() == nil {
		t.Error("a ceiling below the limit passed")
	}
}

func TestProposalConfirmedOnceByAnother(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t, member.Schema, ledger.Schema, Schema)
	now := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	var p Proposal
	posted := 0
	var tx *sql.Tx
	post := func(p Proposal) (int64, error) {
		posted++
		for _, code := range []string{"KAS", "SIMP"} {
			if _, err := ledger.EnsureAccount(ctx, tx, code, code, ledger.Asset); err != nil {
				return 0, err
			}
		}
		l, err := ledger.Post(ctx, tx, ledger.Entry{Key: p.Key, Kind: "deposit", ValueDate: now, Actor: "2",
			Postings: []ledger.Posting{{Account: "KAS", Amount: p.Amount}, {Account: "SIMP", Amount: p.Amount.Neg()}}})
		return l.ID, err
	}
	steps := []struct {
		name string
		do   func(tx *sql.Tx) error
		want error
	}{
		{"propose", func(tx *sql.Tx) error {
			m, err := member.Create(ctx, tx, member.Member{Number: "A1", Name: "A", Phone: "6281", JoinedOn: now})
			if err != nil {
				return err
			}
			p, err = Propose(ctx, tx, Proposal{Key: "k", Kind: "deposit", MemberID: m.ID, Amount: decimal.NewFromInt(20_000_000),
				Maker: "1", MadeAt: now})
			return err
		}, nil},
		{"propose again", func(tx *sql.Tx) error {
			again, err := Propose(ctx, tx, Proposal{Key: "k", Kind: "deposit", MemberID: p.MemberID, Amount: p.Amount,
				Maker: "1", MadeAt: now})
			if err == nil && (!again.Replayed || again.ID != p.ID) {
				t.Errorf("replayed proposal %+v, want #%d replayed", again, p.ID)
			}
			return err
		}, nil},
		{"maker confirms", func(tx *sql.Tx) error { _, err := Confirm(ctx, tx, p.ID, "1", now, post); return err }, ErrSameOfficer},
		{"unknown", func(tx *sql.Tx) error { _, err := Confirm(ctx, tx, p.ID+1, "2", now, post); return err }, ErrNotFound},
		{"checker confirms", func(tx *sql.Tx) error { _, err := Confirm(ctx, tx, p.ID, "2", now, post); return err }, nil},
		{"confirmed twice", func(tx *sql.Tx) error { _, err := Confirm(ctx, tx, p.ID, "3", now, post); return err }, ErrSettled},
	}
	for _, s := range steps {
		err := db.Write(ctx, func(q *sql.Tx) error { tx = q; return s.do(q) })
		if !errors.Is(err, s.want) {
			t.Fatalf("%s: %v, want %v", s.name, err, s.want)
		}
	}
	if posted != 1 {
		t.Fatalf("posted %d times, want once", posted)
	}
}

func TestRelatedPartyCap(t *testing.T) {
	t.Parallel()
	r := DefaultRules()
	r.Own = map[string]string{"7": "KMM-00007", "8": ""}
	if !r.Related(member.Member{Number: "kmm-00007"}) || r.Related(member.Member{Number: "KMM-00008"}) {
		t.Error("related parties are the officers' own member numbers")
	}
	rp := func(n int64) decimal.Decimal { return decimal.NewFromInt(n) }
	for _, c := range []struct {
		name                        string
		outstanding, amount, equity int64
		refused                     bool
	}{
		{"at 10% of modal sendiri", 60_000_000, 40_000_000, 1_000_000_000, false},
		{"a rupiah above", 60_000_000, 40_000_001, 1_000_000_000, true},
		{"no equity", 0, 1, 0, true},
		{"negative equity", 0, 1, -5, true},
	} {
		err := r.CheckRelatedCap(rp(c.outstanding), rp(c.amount), rp(c.equity))
		var e *RelatedCapError
		if errors.As(err, &e) != c.refused {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	bad := DefaultRules()
	bad.RelatedCap = decimal.Zero
	if bad.Validate() == nil {
		t.Error("a zero related-party cap passed")
	}
}

// TestDetailOf: a proposal's detail comes back as its package wrote it, a
// proposal of another kind is the caller's error, a broken detail an error.
func TestDetailOf(t *testing.T) {
	t.Parallel()
	type detail struct{ Ref string }
	errKind := errors.New("not mine")
	for _, tc := range []struct {
		name string
		p    Proposal
		want detail
		err  error // nil: none; errKind or any error
	}{
		{"its kind", Proposal{ID: 1, Kind: "mine", Detail: `{"Ref":"PJ-1"}`}, detail{Ref: "PJ-1"}, nil},
		{"another kind", Proposal{ID: 2, Kind: "deposit", Detail: `{"Ref":"PJ-1"}`}, detail{}, errKind},
		{"a broken detail", Proposal{ID: 3, Kind: "mine", Detail: `{"Ref":`}, detail{}, errors.New("any")},
	} {
		got, err := DetailOf[detail](tc.p, "mine", errKind)
		switch {
		case tc.err == nil && (err != nil || got != tc.want):
			t.Errorf("%s: %+v, %v; want %+v", tc.name, got, err, tc.want)
		case tc.err == errKind && !errors.Is(err, errKind):
			t.Errorf("%s: %v; want %v", tc.name, err, errKind)
		case tc.err != nil && err == nil:
			t.Errorf("%s: no error", tc.name)
		}
	}
}
