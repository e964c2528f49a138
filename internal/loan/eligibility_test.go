package loan

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
)

func reasons(c Check) []Reason {
	var out []Reason
	for _, r := range c.Refusals {
		out = append(out, r.Reason)
	}
	return out
}

func eligible(t *testing.T, db *sql.DB, memberID int64, product string, amount int64, tenor int) Check {
	t.Helper()
	c, err := Eligibility(context.Background(), db, memberID, product, rp(amount), tenor, at(2026, 3, 2, 9),
		catalog(t), DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestEligibilityAmountAndTenor(t *testing.T) {
	t.Parallel()
	db := openTB(t)
	m := newMember(t, db, 1, 2_000_000) // plafon 3 × 2.000.000 = 6.000.000
	for _, c := range []struct {
		name    string
		product string
		amount  int64
		tenor   int
		want    []Reason
		check   func(*testing.T, Check)
	}{
		{name: "within every limit", product: "USAHA", amount: 5_000_000, tenor: 12, check: func(t *testing.T, c Check) {
			eq(t, "savings", c.Savings, 2_000_000)
			eq(t, "plafon", c.Plafon, 6_000_000)
			eq(t, "max amount", c.MaxAmount, 6_000_000)
		}},
		{name: "nothing asked yet", product: "usaha"},
		{name: "unknown product", product: "KONSUMTIF", amount: 5_000_000, tenor: 12,
			want: []Reason{ReasonUnknownProduct}, check: func(t *testing.T, c Check) {
				if c.Refusals[0].Product != "KONSUMTIF" {
					t.Errorf("refusal %+v", c.Refusals[0])
				}
			}},
		{name: "below minimum", product: "USAHA", amount: 100_000, tenor: 12, want: []Reason{ReasonAmountBelowMin},
			check: func(t *testing.T, c Check) { eq(t, "limit", c.Refusals[0].Limit, 500_000) }},
		{name: "above maximum and plafon", product: "USAHA", amount: 25_000_000, tenor: 12,
			want: []Reason{ReasonAmountAboveMax, ReasonAbovePlafon}, check: func(t *testing.T, c Check) {
				eq(t, "max", c.Refusals[0].Limit, 20_000_000)
				eq(t, "plafon", c.Refusals[1].Limit, 6_000_000)
			}},
		{name: "tenor too long", product: "USAHA", amount: 1_000_000, tenor: 30, want: []Reason{ReasonTenorOutOfRange},
			check: func(t *testing.T, c Check) {
				if r := c.Refusals[0]; r.Tenor != 30 || r.MinTenor != 1 || r.MaxTenor != 24 {
					t.Errorf("refusal %+v", r)
				}
			}},
		{name: "tenor too short", product: "ANUITAS", amount: 1_000_000, tenor: 2, want: []Reason{ReasonTenorOutOfRange}},
		{name: "above plafon", product: "USAHA", amount: 6_000_001, tenor: 12, want: []Reason{ReasonAbovePlafon},
			check: func(t *testing.T, c Check) {
				r := c.Refusals[0]
				eq(t, "amount", r.Amount, 6_000_001)
				eq(t, "savings", r.Savings, 2_000_000)
				eq(t, "multiple", r.Multiple, 3)
			}},
	} {
		got := eligible(t, db.R, m.ID, c.product, c.amount, c.tenor)
		if !slices.Equal(reasons(got), c.want) {
			t.Errorf("%s: reasons %v, want %v", c.name, reasons(got), c.want)
			continue
		}
		if got.OK() != (len(c.want) == 0) {
			t.Errorf("%s: OK() = %v", c.name, got.OK())
		}
		if c.check != nil {
			c.check(t, got)
		}
	}
}

func TestEligibilityNoSavingsNoLoan(t *testing.T) {
	t.Parallel()
	db := openTB(t)
	m := newMember(t, db, 1, 0)
	c := eligible(t, db.R, m.ID, "USAHA", 500_000, 6)
	if !slices.Equal(reasons(c), []Reason{ReasonAbovePlafon}) || !c.MaxAmount.IsZero() {
		t.Errorf("reasons %v, max %s", reasons(c), c.MaxAmount)
	}
	if _, err := Eligibility(context.Background(), db.R, 999, "USAHA", decimal.Zero, 0, at(2026, 3, 2, 9),
		catalog(t), DefaultPolicy()); err == nil {
		t.Error("an unknown member was checked")
	}
}

func TestEligibilityHistory(t *testing.T) {
	t.Parallel()
	db := openTB(t)
	ctx := context.Background()
	on := at(2026, 1, 10, 10)

	// A member with an application in progress may not make another.
	m := newMember(t, db, 1, 5_000_000)
	a := must(applyTx(t, db, Request{Key: "k1", MemberID: m.ID, Product: "USAHA", Amount: rp(1_000_000), Tenor: 6, Now: on}))
	c := eligible(t, db.R, m.ID, "USAHA", 1_000_000, 6)
	if !slices.Equal(reasons(c), []Reason{ReasonPendingRequest}) || c.Refusals[0].Ref != a.Ref ||
		c.Refusals[0].Status != StatusPending {
		t.Errorf("pending: %+v", c.Refusals)
	}

	// One open loan at a time; and one in arrears says so.
	l := disbursedLoan(t, db, 2, "USAHA", 3_000_000, 6, at(2026, 1, 10, 10)) // first due 10 February
	for _, c := range []struct {
		asOf    int // day of February 2026
		want    []Reason
		overdue int64
		days    int
	}{
		{10, []Reason{ReasonOpenLoan}, 0, 0},
		{11, []Reason{ReasonArrears, ReasonOpenLoan}, 545_000, 1},
		{20, []Reason{ReasonArrears, ReasonOpenLoan}, 545_000, 10},
	} {
		got, err := Eligibility(ctx, db.R, l.MemberID, "USAHA", rp(1_000_000), 6, at(2026, 2, c.asOf, 9), catalog(t), DefaultPolicy())
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(reasons(got), c.want) {
			t.Errorf("%d February: reasons %v, want %v", c.asOf, reasons(got), c.want)
			continue
		}
		if len(c.want) == 2 {
			r := got.Refusals[0]
			eq(t, "overdue", r.Outstanding, c.overdue)
			if r.Days != c.days || r.Ref != l.Ref {
				t.Errorf("%d February: arrears %+v", c.asOf, r)
			}
		}
		eq(t, "outstanding principal", got.Refusals[len(got.Refusals)-1].Outstanding, 3_000_000)
	}
}

func TestReasonMessageIDs(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, r := range []Reason{ReasonUnknownProduct, ReasonPendingRequest, ReasonArrears, ReasonOpenLoan,
		ReasonAmountBelowMin, ReasonAmountAboveMax, ReasonTenorOutOfRange, ReasonAbovePlafon} {
		id := r.MessageID()
		if id != "loan.refuse."+string(r) || seen[id] {
			t.Errorf("%s: message id %q", r, id)
		}
		seen[id] = true
	}
}

func TestApplyRefusedExplains(t *testing.T) {
	t.Parallel()
	db := openTB(t)
	m := newMember(t, db, 1, 1_000_000)
	_, err := applyTx(t, db, Request{Key: "k", MemberID: m.ID, Product: "USAHA", Amount: rp(4_000_000), Tenor: 30,
		Now: at(2026, 3, 1, 9)})
	var refused *RefusedError
	if !errors.As(err, &refused) || !errors.Is(err, ErrNotEligible) {
		t.Fatalf("err = %v", err)
	}
	if got := reasons(refused.Check); !slices.Equal(got, []Reason{ReasonTenorOutOfRange, ReasonAbovePlafon}) {
		t.Errorf("reasons %v", got)
	}
	if n := count(t, db.R, `SELECT count(*) FROM loan_applications`); n != 0 {
		t.Errorf("%d applications stored", n)
	}
}

func count(t *testing.T, db interface {
	QueryRow(string, ...any) *sql.Row
}, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
