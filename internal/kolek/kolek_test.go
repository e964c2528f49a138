package kolek

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/books"
	"github.com/kopmem/kopbot/internal/duty"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/ledger/ledgertest"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/kopmem/kopbot/internal/store/storetest"
	"github.com/shopspring/decimal"
)

func rp(n int64) decimal.Decimal { return decimal.NewFromInt(n) }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestClassBoundaries(t *testing.T) {
	t.Parallel()
	asOf := day(2026, 12, 31)
	recent := asOf.AddDate(0, -1, 0)
	for _, tc := range []struct {
		profile    string
		dpd        int
		collateral int64 // per 1.000.000 outstanding
		lastPaid   time.Time
		want       string
	}{
		{"ksp", 0, 0, recent, "L"},
		{"ksp", 90, 0, recent, "L"},
		{"ksp", 91, 0, recent, "KL"},
		{"ksp", 180, 0, recent, "KL"},
		{"ksp", 181, 0, recent, "M"},
		{"ksp", 181, 749_999, recent, "M"},
		{"ksp", 181, 750_000, recent, "D"},
		{"ksp", 400, 1_000_000, asOf.AddDate(-1, 0, 0), "D"},
		{"ksp", 400, 1_000_000, asOf.AddDate(-1, 0, -1), "M"},
		{"bank5", 0, 0, recent, "L"},
		{"bank5", 1, 0, recent, "DPK"},
		{"bank5", 90, 0, recent, "DPK"},
		{"bank5", 91, 0, recent, "KL"},
		{"bank5", 120, 0, recent, "KL"},
		{"bank5", 121, 0, recent, "D"},
		{"bank5", 180, 0, recent, "D"},
		{"bank5", 181, 0, recent, "M"},
	} {
		p, err := Lookup(tc.profile)
		if err != nil {
			t.Fatal(err)
		}
		f := Facts{DPD: tc.dpd, Outstanding: rp(1_000_000), Collateral: rp(tc.collateral), LastPaid: tc.lastPaid}
		if got := p.Classes[p.Classify(f, asOf)].Code; got != tc.want {
			t.Errorf("%s: %d days, collateral %d, last paid %s: %s, want %s", tc.profile, tc.dpd, tc.collateral,
				tc.lastPaid.Format(time.DateOnly), got, tc.want)
		}
	}
}

func TestParseProfilesRefuses(t *testing.T) {
	t.Parallel()
	for name, text := range map[string]string{
		"one class":       "[x]\n[[x.class]]\ncode=\"L\"\nname=\"L\"\nmax_days=-1\n",
		"last bounded":    "[x]\n[[x.class]]\ncode=\"L\"\nname=\"L\"\nmax_days=10\n[[x.class]]\ncode=\"M\"\nname=\"M\"\nmax_days=20\n",
		"days shrink":     "[x]\n[[x.class]]\ncode=\"L\"\nname=\"L\"\nmax_days=10\n[[x.class]]\ncode=\"K\"\nname=\"K\"\nmax_days=5\n[[x.class]]\ncode=\"M\"\nname=\"M\"\nmax_days=-1\n",
		"rate above one":  "[x]\n[[x.class]]\ncode=\"L\"\nname=\"L\"\nmax_days=10\nallowance=\"1.5\"\n[[x.class]]\ncode=\"M\"\nname=\"M\"\nmax_days=-1\n",
		"nowhere to fall": "[x]\n[[x.class]]\ncode=\"L\"\nname=\"L\"\nmax_days=10\n[[x.class]]\ncode=\"M\"\nname=\"M\"\nmax_days=-1\nmin_collateral=\"0.5\"\n",
	} {
		if _, err := ParseProfiles([]byte(text)); !errors.Is(err, ErrProfile) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if _, err := Lookup("bank7"); !errors.Is(err, ErrProfile) {
		t.Errorf("unknown profile: %v", err)
	}
}

type fixture struct {
	t  *testing.T
	db *store.DB
	l  loan.Loan
}

// newLoan disburses Rp12.000.000 over 12 months (USAHA, flat 1,5%: 1.180.000 a month) on 10/01/2026.
func newLoan(t *testing.T) *fixture {
	t.Helper()
	db := storetest.Open(t, member.Schema, ledger.Schema, savings.Schema, duty.Schema, loan.Schema, books.Schema, Schema)
	ctx := context.Background()
	on := day(2026, 1, 10)
	cat, err := loan.NewCatalog(loan.DefaultProducts()...)
	if err != nil {
		t.Fatal(err)
	}
	l, err := storetest.Write(t, db, func(tx *sql.Tx) (loan.Loan, error) {
		m, err := member.Create(ctx, tx, member.Member{Number: "A001", Name: "Siti", Phone: "6281200000001", JoinedOn: day(2025, 1, 1)})
		if err != nil {
			return loan.Loan{}, err
		}
		if _, err := savings.Deposit(ctx, tx, savings.Movement{Key: "s", MemberID: m.ID, Kind: savings.Wajib,
			Amount: rp(12_000_000), ValueDate: day(2025, 12, 1), Actor: "t"}); err != nil {
			return loan.Loan{}, err
		}
		a, err := loan.Apply(ctx, tx, loan.Request{Key: "a", MemberID: m.ID, Product: "USAHA", Amount: rp(12_000_000),
			Tenor: 12, Purpose: "warung", Now: on}, cat, loan.DefaultPolicy())
		if err != nil {
			return loan.Loan{}, err
		}
		for _, d := range []loan.Decision{{AppRef: a.Ref, OfficerID: "1", Role: loan.RolePetugas, Verdict: loan.Approve, Now: on},
			{AppRef: a.Ref, OfficerID: "2", Role: loan.RoleManajer, Verdict: loan.Approve, Now: on}} {
			if o, err := loan.Decide(ctx, tx, d, loan.DefaultPolicy()); err != nil || o.Final {
				if err != nil {
					return loan.Loan{}, err
				}
				break
			}
		}
		l, _, err := loan.Disburse(ctx, tx, a.Ref, "3", on)
		return l, err
	})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, db: db, l: l}
}

func (f *fixture) pay(key string, amount int64, on time.Time) {
	f.t.Helper()
	if _, err := storetest.Write(f.t, f.db, func(tx *sql.Tx) (loan.Receipt, error) {
		return loan.Repay(context.Background(), tx, loan.Payment{Key: key, LoanRef: f.l.Ref, Amount: rp(amount), On: on, OfficerID: "1"})
	}); err != nil {
		f.t.Fatal(err)
	}
}

// refresh records the class at asOf and returns the loan's standing.
func (f *fixture) refresh(asOf time.Time) Loan {
	f.t.Helper()
	p, _ := Lookup("ksp")
	pf, err := storetest.Write(f.t, f.db, func(tx *sql.Tx) (Portfolio, error) {
		return Refresh(context.Background(), tx, p, asOf)
	})
	if err != nil {
		f.t.Fatal(err)
	}
	if len(pf.Loans) != 1 {
		f.t.Fatalf("%d loans outstanding", len(pf.Loans))
	}
	return pf.Loans[0]
}

func TestKolekWalkThroughPartialPaymentsAndAReversal(t *testing.T) {
	t.Parallel()
	f := newLoan(t)
	ctx := context.Background()
	steps := []struct {
		do    func()
		asOf  time.Time
		dpd   int
		class string
	}{
		{nil, day(2026, 2, 10), 0, "L"},  // first installment due today
		{nil, day(2026, 5, 11), 90, "L"}, // three months unpaid, not yet over 90 days
		{nil, day(2026, 5, 12), 91, "KL"},
		// A partial payment leaves the oldest installment unpaid: the count goes on.
		{func() { f.pay("p1", 100_000, day(2026, 5, 12)) }, day(2026, 5, 12), 91, "KL"},
		// Paying the arrears moves the oldest unpaid installment to June.
		{func() { f.pay("p2", 5_000_000, day(2026, 5, 13)) }, day(2026, 5, 13), 0, "L"},
		// Reversing that payment brings the February installment back.
		{func() {
			if _, err := storetest.Write(t, f.db, func(tx *sql.Tx) (loan.Reversal, error) {
				return loan.ReverseRepayment(ctx, tx, "p2", "2", "salah catat", day(2026, 5, 14))
			}); err != nil {
				t.Fatal(err)
			}
		}, day(2026, 5, 14), 93, "KL"},
		{nil, day(2026, 8, 8), 179, "KL"},
		// No collateral recorded: past 180 days is Macet.
		{nil, day(2026, 8, 10), 181, "M"},
		// Collateral worth 75% of the outstanding allows Diragukan.
		{func() {
			if _, err := storetest.Write(t, f.db, func(tx *sql.Tx) (int, error) {
				return 0, RecordCollateral(ctx, tx, f.l.ID, rp(9_000_000), "BPKB motor", "1", day(2026, 8, 10))
			}); err != nil {
				t.Fatal(err)
			}
		}, day(2026, 8, 10), 181, "D"},
	}
	for i, s := range steps {
		if s.do != nil {
			s.do()
		}
		got := f.refresh(s.asOf)
		if code := Profiles()["ksp"].Classes[got.Class].Code; got.DPD != s.dpd || code != s.class {
			t.Fatalf("step %d (%s): %d days, %s; want %d days, %s", i+1, s.asOf.Format(time.DateOnly), got.DPD, code, s.dpd, s.class)
		}
	}
	h, err := History(ctx, f.db.R, f.l.ID)
	if err != nil {
		t.Fatal(err)
	}
	var path []string
	for _, m := range h {
		path = append(path, m.To)
	}
	if fmt.Sprint(path) != "[L KL L KL M D]" {
		t.Errorf("history %v, want each change once", path)
	}
	movers, err := Movers(ctx, f.db.R, day(2026, 5, 13), day(2026, 5, 19))
	if err != nil {
		t.Fatal(err)
	}
	if len(movers) != 2 || movers[0].From != "KL" || movers[0].To != "L" || movers[1].To != "KL" {
		t.Errorf("movers of that week: %+v", movers)
	}
	ledgertest.MustCheck(t, f.db.R)
}

func TestAllowanceIsPostedOncePerMonth(t *testing.T) {
	t.Parallel()
	f := newLoan(t)
	ctx := context.Background()
	c := books.DefaultChart()
	p, _ := Lookup("ksp")
	post := func(asOf time.Time) Posting {
		t.Helper()
		r, err := storetest.Write(t, f.db, func(tx *sql.Tx) (Posting, error) {
			pf, err := Assess(ctx, tx, p, asOf)
			if err != nil {
				return Posting{}, err
			}
			return PostAllowance(ctx, tx, c, pf, "2")
		})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	// 31/01: Lancar, 0,5% of 12.000.000.
	if r := post(day(2026, 1, 31)); !r.Amount.Equal(rp(60_000)) || r.Replayed {
		t.Fatalf("January: %+v", r)
	}
	if r := post(day(2026, 1, 31)); !r.Replayed || !r.Amount.Equal(rp(60_000)) {
		t.Fatalf("January again: %+v", r)
	}
	// 31/05: 110 days past due, Kurang Lancar: 10% of 12.000.000, less what is booked.
	if r := post(day(2026, 5, 31)); !r.Required.Equal(rp(1_200_000)) || !r.Booked.Equal(rp(60_000)) || !r.Amount.Equal(rp(1_140_000)) {
		t.Fatalf("May: %+v", r)
	}
	booked, err := Booked(ctx, f.db.R, c, day(2026, 5, 31))
	if err != nil {
		t.Fatal(err)
	}
	if !booked.Equal(rp(1_200_000)) {
		t.Errorf("booked %s", booked)
	}
	pf, err := Assess(ctx, f.db.R, p, day(2026, 5, 31))
	if err != nil {
		t.Fatal(err)
	}
	if !pf.NPLRatio().Equal(rp(100)) || !pf.Risk.Equal(rp(6_000_000)) {
		t.Errorf("NPL %s%%, RPM %s", pf.NPLRatio(), pf.Risk)
	}
	ledgertest.MustCheck(t, f.db.R)
}

// TestJudgedInAReadRecordsWhatCameMeanwhile: /kolek judges the book in a
// read and records it under the writer; a loan whose facts changed in
// between is judged again in the write, so its class in the history and
// the figures are the book's as written, not as read.
func TestJudgedInAReadRecordsWhatCameMeanwhile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p, _ := Lookup("ksp")
	for _, tc := range []struct {
		name      string
		asOf      time.Time
		meanwhile func(f *fixture)
		want      string // the latest class recorded, "" for a loan no longer outstanding
	}{
		{"nothing", day(2026, 5, 13), func(*fixture) {}, "KL"},
		{"a partial payment", day(2026, 5, 13), func(f *fixture) { f.pay("p", 100_000, day(2026, 5, 13)) }, "KL"},
		{"the arrears paid", day(2026, 5, 13), func(f *fixture) { f.pay("p", 5_000_000, day(2026, 5, 13)) }, "L"},
		{"paid off", day(2026, 5, 13), func(f *fixture) { f.pay("p", 13_112_400, day(2026, 5, 13)) }, ""},
		{"a payment dated after the day", day(2026, 5, 13), func(f *fixture) { f.pay("p", 5_000_000, day(2026, 5, 14)) }, "KL"},
		{"collateral", day(2026, 8, 10), func(f *fixture) {
			if _, err := storetest.Write(t, f.db, func(tx *sql.Tx) (int, error) {
				return 0, RecordCollateral(ctx, tx, f.l.ID, rp(9_000_000), "BPKB", "1", day(2026, 8, 10))
			}); err != nil {
				t.Fatal(err)
			}
		}, "D"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newLoan(t)
			f.refresh(day(2026, 5, 12)) // KL recorded
			j, err := Judge(ctx, f.db.R, p, tc.asOf)
			if err != nil {
				t.Fatal(err)
			}
			tc.meanwhile(f)
			got, err := storetest.Write(t, f.db, func(tx *sql.Tx) (Portfolio, error) { return j.Record(ctx, tx) })
			if err != nil {
				t.Fatal(err)
			}
			want, err := Assess(ctx, f.db.R, p, tc.asOf)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := summary(got), summary(want); g != w {
				t.Errorf("book recorded %s, want %s", g, w)
			}
			h, err := History(ctx, f.db.R, f.l.ID)
			if err != nil {
				t.Fatal(err)
			}
			latest := h[len(h)-1].To
			if tc.want == "" {
				if len(got.Loans) != 0 || latest != "KL" {
					t.Errorf("paid off: %d loans in the book, history ends %s", len(got.Loans), latest)
				}
				return
			}
			if latest != tc.want || p.Classes[got.Loans[0].Class].Code != tc.want {
				t.Errorf("history ends %s, book has %s; want %s", latest, p.Classes[got.Loans[0].Class].Code, tc.want)
			}
		})
	}
}

// summary is a portfolio's loans and buckets as text, to compare two.
func summary(pf Portfolio) string {
	s := fmt.Sprintf("out %s npl %s risk %s req %s;", pf.Outstanding, pf.NPL, pf.Risk, pf.Required)
	for _, b := range pf.Buckets {
		s += fmt.Sprintf(" %s %d %s %s;", b.Class.Code, b.Count, b.Outstanding, b.Required)
	}
	for _, l := range pf.Loans {
		s += fmt.Sprintf(" %s %d d%d %s;", l.Ref, l.Class, l.DPD, l.Outstanding)
	}
	return s
}

// TestStoreDayFromARead: the daily job judges a finished day in a read and
// stores it under the writer with what was paid on that day meanwhile; a
// second run judged before the first stored leaves the day as stored.
func TestStoreDayFromARead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p, _ := Lookup("ksp")
	f := newLoan(t)
	f.refresh(day(2026, 5, 12)) // KL recorded
	var judged [2]Judged
	for i := range judged {
		j, err := Judge(ctx, f.db.R, p, day(2026, 5, 13))
		if err != nil {
			t.Fatal(err)
		}
		judged[i] = j
	}
	f.pay("p", 5_000_000, day(2026, 5, 13)) // the arrears, paid while the job read
	for i, want := range []bool{true, false} {
		var stored bool
		err := f.db.Write(ctx, func(tx *sql.Tx) error {
			var err error
			_, stored, err = judged[i].StoreDay(ctx, tx)
			return err
		})
		if err != nil || stored != want {
			t.Fatalf("run %d stored %v, want %v (%v)", i+1, stored, want, err)
		}
	}
	snap, ok, err := Snapshot(ctx, f.db.R, p, day(2026, 5, 13))
	if err != nil || !ok {
		t.Fatalf("no snapshot of the day: %v", err)
	}
	if snap.Buckets[p.index("L")].Count != 1 || snap.Buckets[p.index("KL")].Count != 0 {
		t.Errorf("stored %s, want the loan Lancar after the payment of the day", summary(snap))
	}
	var rows int
	if err := f.db.R.QueryRowContext(ctx, `SELECT count(*) FROM kolek_daily`).Scan(&rows); err != nil || rows != len(p.Classes) {
		t.Errorf("%d snapshot rows, want one day of %d classes (%v)", rows, len(p.Classes), err)
	}
	h, err := History(ctx, f.db.R, f.l.ID)
	if err != nil || h[len(h)-1].To != "L" {
		t.Errorf("history %+v, want it to end Lancar (%v)", h, err)
	}
}
