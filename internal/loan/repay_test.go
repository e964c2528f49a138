package loan

import (
	"context"
	"errors"
	"maps"
	"reflect"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/store"
)

// postings is a transaction's raw amounts (debit positive) by account.
func postings(t *testing.T, db *store.DB, id int64) map[string]int64 {
	t.Helper()
	tx := must(ledger.TxByID(context.Background(), db.R, id))
	out := map[string]int64{}
	for _, p := range tx.Postings {
		out[p.Account] += p.Amount.IntPart()
	}
	return out
}

// wantPostings is the entry a repayment with these allocations must post.
func wantPostings(loanRef string, paid int64, allocs []Allocation) map[string]int64 {
	out := map[string]int64{Cash: paid}
	for _, a := range allocs {
		code := map[Part]string{PartDenda: PenaltyIncome, PartInterest: InterestIncome, PartPrincipal: accountCode(loanRef)}[a.Part]
		out[code] -= a.Amount.IntPart()
	}
	return out
}

func alloc(no int, part Part, amount int64) Allocation {
	return Allocation{No: no, Part: part, Amount: rp(amount)}
}

// TestAllocationOrder pays a Rp3.000.000 flat loan (6 × 500.000 principal +
// 45.000 interest, due the 10th from February, denda 0,1%/day after 3 grace
// days) in different ways. Paid on 20 February, installment 1 is 10 days
// late, 7 of them (14–20 February) penalty days: 545.000 × 0,001 × 7 = 3.815.
func TestAllocationOrder(t *testing.T) {
	t.Parallel()
	// Settling on 10 February (flat, current period policy) pays
	// installment 1 as due, the 2.500.000 principal left and installment 2's
	// 45.000 interest: 3.090.000, not the 3.270.000 every installment sums to.
	settle := []Allocation{alloc(1, PartInterest, 45_000), alloc(1, PartPrincipal, 500_000),
		alloc(2, PartInterest, 45_000), alloc(2, PartPrincipal, 2_500_000)}
	for _, c := range []struct {
		name      string
		on        time.Time
		amount    int64
		want      []Allocation
		err       error
		remaining int64
		next      *NextDue
	}{
		{name: "part of the denda", on: date(2026, 2, 20), amount: 1_000,
			want: []Allocation{alloc(1, PartDenda, 1_000)}, remaining: 3_000_000,
			next: &NextDue{No: 1, Due: date(2026, 2, 10), Amount: rp(545_000)}},
		{name: "denda and part of the interest", on: date(2026, 2, 20), amount: 20_000,
			want: []Allocation{alloc(1, PartDenda, 3_815), alloc(1, PartInterest, 16_185)}, remaining: 3_000_000,
			next: &NextDue{No: 1, Due: date(2026, 2, 10), Amount: rp(528_815)}},
		{name: "the late installment in full", on: date(2026, 2, 20), amount: 548_815,
			want:      []Allocation{alloc(1, PartDenda, 3_815), alloc(1, PartInterest, 45_000), alloc(1, PartPrincipal, 500_000)},
			remaining: 2_500_000, next: &NextDue{No: 2, Due: date(2026, 3, 10), Amount: rp(545_000)}},
		{name: "within the grace days no denda", on: date(2026, 2, 13), amount: 545_000,
			want:      []Allocation{alloc(1, PartInterest, 45_000), alloc(1, PartPrincipal, 500_000)},
			remaining: 2_500_000, next: &NextDue{No: 2, Due: date(2026, 3, 10), Amount: rp(545_000)}},
		// 11 March: installment 1 has 26 penalty days (14 Feb–11 Mar), 14.170;
		// installment 2 is a day late, within grace.
		{name: "the interest of every due installment before any principal", on: date(2026, 3, 11), amount: 204_170,
			want: []Allocation{alloc(1, PartDenda, 14_170), alloc(1, PartInterest, 45_000), alloc(2, PartInterest, 45_000),
				alloc(1, PartPrincipal, 100_000)},
			remaining: 2_900_000, next: &NextDue{No: 1, Due: date(2026, 2, 10), Amount: rp(400_000)}},
		{name: "prepayment goes to the next installments in order", on: date(2026, 2, 10), amount: 1_000_000,
			want: []Allocation{alloc(1, PartInterest, 45_000), alloc(1, PartPrincipal, 500_000),
				alloc(2, PartInterest, 45_000), alloc(2, PartPrincipal, 410_000)},
			remaining: 2_090_000, next: &NextDue{No: 2, Due: date(2026, 3, 10), Amount: rp(90_000)}},
		{name: "more than the coming installment is principal only", on: date(2026, 2, 10), amount: 1_200_000,
			want: []Allocation{alloc(1, PartInterest, 45_000), alloc(1, PartPrincipal, 500_000),
				alloc(2, PartPrincipal, 500_000), alloc(3, PartPrincipal, 155_000)},
			remaining: 1_845_000, next: &NextDue{No: 2, Due: date(2026, 3, 10), Amount: rp(45_000)}},
		{name: "all the principal leaves only the current period's interest", on: date(2026, 2, 10), amount: 3_045_000,
			want:      []Allocation{alloc(1, PartInterest, 45_000), alloc(1, PartPrincipal, 500_000), alloc(2, PartPrincipal, 2_500_000)},
			remaining: 0, next: &NextDue{No: 2, Due: date(2026, 3, 10), Amount: rp(45_000)}},
		{name: "the settlement amount closes the loan", on: date(2026, 2, 10), amount: 3_090_000, want: settle},
		{name: "the settlement amount with denda", on: date(2026, 2, 20), amount: 3_093_815,
			want: append([]Allocation{alloc(1, PartDenda, 3_815)}, settle...)},
		{name: "between the principal and the settlement amount is refused", on: date(2026, 2, 10), amount: 3_050_000,
			err: ErrSettlementAmount},
		{name: "overpayment is refused", on: date(2026, 2, 10), amount: 3_090_001, err: ErrOverpayment},
		{name: "overpayment with denda is refused", on: date(2026, 2, 20), amount: 3_093_816, err: ErrOverpayment},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			db := openTB(t)
			l := disbursedLoan(t, db, 1, "USAHA", 3_000_000, 6, at(2026, 1, 10, 10))
			before := balances(t, db, Cash, l.AccountCode())
			r, err := repayTx(t, db, Payment{Key: "pay", LoanRef: l.Ref, Amount: rp(c.amount), On: c.on, OfficerID: "1001"})
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("err = %v, want %v", err, c.err)
				}
				if after := balances(t, db, Cash, l.AccountCode()); !maps.Equal(before, after) ||
					count(t, db.R, `SELECT count(*) FROM loan_payments`) != 0 {
					t.Errorf("a refused payment left traces: %v → %v", before, after)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(r.Allocations, c.want) {
				t.Fatalf("allocations\n got %v\nwant %v", r.Allocations, c.want)
			}
			if got, want := postings(t, db, r.TxID), wantPostings(l.Ref, c.amount, c.want); !maps.Equal(got, want) {
				t.Errorf("postings %v, want %v", got, want)
			}
			denda, interest, principal := sumParts(c.want)
			if !r.Paid.Equal(rp(c.amount)) || !r.Denda.Equal(denda) || !r.Interest.Equal(interest) || !r.Principal.Equal(principal) {
				t.Errorf("receipt %+v", r)
			}
			eq(t, "remaining principal", r.RemainingPrincipal, c.remaining)
			if !reflect.DeepEqual(r.NextDue, c.next) {
				t.Errorf("next due %+v, want %+v", r.NextDue, c.next)
			}
			closed := c.next == nil
			if r.Closed != closed || must(LoanByRef(context.Background(), db.R, l.Ref)).Closed != closed {
				t.Errorf("closed: receipt %v, loan %v; want %v", r.Closed, !closed, closed)
			}
			mustCheck(t, db)
		})
	}
}

func TestRepayIdempotent(t *testing.T) {
	t.Parallel()
	db := openTB(t)
	l := disbursedLoan(t, db, 1, "USAHA", 3_000_000, 6, at(2026, 1, 10, 10))
	p := Payment{Key: "wa:77", LoanRef: l.Ref, Amount: rp(545_000), On: at(2026, 2, 9, 14), OfficerID: "1001"}
	first := must(repayTx(t, db, p))
	must(repayTx(t, db, Payment{Key: "wa:78", LoanRef: l.Ref, Amount: rp(545_000), On: at(2026, 3, 9, 9), OfficerID: "1001"}))
	again, err := repayTx(t, db, p)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Replayed || first.Replayed {
		t.Errorf("replayed: first %v, again %v", first.Replayed, again.Replayed)
	}
	again.Replayed = false
	if !reflect.DeepEqual(first, again) {
		t.Errorf("replay differs:\n%+v\n%+v", first, again)
	}
	byMember := p
	byMember.LoanRef, byMember.MemberID = "", l.MemberID
	if r, err := repayTx(t, db, byMember); err != nil || !r.Replayed {
		t.Errorf("replay by member: %+v, %v", r, err)
	}
	p.Amount = rp(545_001)
	if _, err := repayTx(t, db, p); !errors.Is(err, ErrKeyConflict) {
		t.Errorf("same key, other amount: err = %v", err)
	}
	if n := count(t, db.R, `SELECT count(*) FROM ledger_transactions WHERE kind = ?`, KindRepayment); n != 2 {
		t.Errorf("%d repayments posted", n)
	}
	mustCheck(t, db)
}

func TestRepayRefuses(t *testing.T) {
	t.Parallel()
	db := openTB(t)
	l := disbursedLoan(t, db, 1, "USAHA", 3_000_000, 6, at(2026, 1, 10, 10))
	stranger := newMember(t, db, 2, 1_000_000)
	must(repayTx(t, db, Payment{Key: "p1", LoanRef: l.Ref, Amount: rp(1_000), On: date(2026, 2, 20), OfficerID: "1"}))
	for _, c := range []struct {
		name string
		p    Payment
		want error
	}{
		{"before the latest payment", Payment{Key: "a", LoanRef: l.Ref, Amount: rp(1_000), On: date(2026, 2, 19)}, ErrBackdated},
		{"before disbursement", Payment{Key: "b", LoanRef: l.Ref, Amount: rp(1_000), On: date(2026, 1, 9)}, ErrBackdated},
		{"someone else's loan", Payment{Key: "c", LoanRef: l.Ref, MemberID: stranger.ID, Amount: rp(1_000), On: date(2026, 2, 21)}, ErrNotYours},
		{"no open loan", Payment{Key: "d", MemberID: stranger.ID, Amount: rp(1_000), On: date(2026, 2, 21)}, ErrNoOpenLoan},
		{"unknown loan", Payment{Key: "e", LoanRef: "PJ-0000-0000", Amount: rp(1_000), On: date(2026, 2, 21)}, ErrNotFound},
		{"zero", Payment{Key: "f", LoanRef: l.Ref, Amount: rp(0), On: date(2026, 2, 21)}, ErrAmount},
		{"no key", Payment{LoanRef: l.Ref, Amount: rp(1), On: date(2026, 2, 21)}, ErrMissing},
		{"taken from savings short of the amount", Payment{Key: "h", LoanRef: l.Ref, Amount: rp(1_000), On: date(2026, 2, 21),
			From: []ledger.Posting{{Account: "S-A0001-SKR", Amount: rp(999)}}}, ErrAmount},
		{"taken from savings, a leg of nothing", Payment{Key: "i", LoanRef: l.Ref, Amount: rp(1_000), On: date(2026, 2, 21),
			From: []ledger.Posting{{Account: "S-A0001-SKR", Amount: rp(1_000)}, {Account: "S-A0001-WJB", Amount: rp(0)}}}, ErrAmount},
	} {
		if c.p.OfficerID == "" && c.p.Key != "" {
			c.p.OfficerID = "1001"
		}
		if _, err := repayTx(t, db, c.p); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
	r := must(repayTx(t, db, Payment{Key: "g", MemberID: l.MemberID, Amount: rp(1_000), On: date(2026, 2, 20), OfficerID: "1"}))
	if r.Ref != l.Ref || !r.Denda.Equal(rp(1_000)) {
		t.Errorf("paying the member's open loan: %+v", r)
	}
}
