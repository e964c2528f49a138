package loan

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// SettlementIncome is the account an early settlement's fee is credited to.
const SettlementIncome = "PEND-PELUNASAN"

// ErrSettlementAmount is returned (inside a *SettlementError) for a payment
// that pays off all the principal and part, not all, of what settling
// costs: kopbot cannot tell a settlement from a mistake, so it asks for the
// exact amount.
var ErrSettlementAmount = errors.New("pays more than the principal but not the settlement amount")

// SettlementError carries the quote the payment fell short of.
type SettlementError struct{ Quote Quote }

func (e *SettlementError) Error() string {
	return fmt.Sprintf("to settle %s on %s pay exactly %s: %v", e.Quote.Ref, e.Quote.On.Format(ledger.DateLayout),
		e.Quote.Total, ErrSettlementAmount)
}

func (e *SettlementError) Unwrap() error { return ErrSettlementAmount }

// Quote is what closing a loan early costs on a date: whatever is already
// due (denda, interest and principal of installments due by then), the
// principal not yet due, the interest the product's policy charges for the
// current period, and the fee.
type Quote struct {
	Ref    string
	On     time.Time
	Policy SettlementPolicy
	// Denda, InterestDue and PrincipalDue are already owed.
	Denda        decimal.Decimal
	InterestDue  decimal.Decimal
	PrincipalDue decimal.Decimal
	// Outstanding is the principal not yet due.
	Outstanding decimal.Decimal
	// Days have passed since the last due date (or the disbursement), at
	// most 30; Interest is what Policy charges for them.
	Days     int
	Interest decimal.Decimal
	Fee      decimal.Decimal
	Total    decimal.Decimal
	// next is the index of the first installment not yet due; -1 when every
	// installment is due and settling is just paying what is owed.
	next int
}

// Principal is all the principal still owed.
func (q Quote) Principal() decimal.Decimal { return q.PrincipalDue.Add(q.Outstanding) }

// Settle returns what paying off the loan ref costs on date on. Paying
// exactly its Total with Repay, on that date, closes the loan.
func Settle(ctx context.Context, q store.Queryer, ref string, on time.Time) (Quote, error) {
	l, err := LoanByRef(ctx, q, ref)
	if err != nil {
		return Quote{}, err
	}
	if l.Closed {
		return Quote{}, fmt.Errorf("settle %s: closed: %w", ref, ErrStatus)
	}
	if dateOf(on).Before(l.DisbursedOn) {
		return Quote{}, fmt.Errorf("settle %s on %s: %w", ref, dateOf(on).Format(ledger.DateLayout), ErrBackdated)
	}
	lines, err := state(ctx, q, l, on, 0)
	if err != nil {
		return Quote{}, fmt.Errorf("settle %s: %w", ref, err)
	}
	return quote(l, lines, on), nil
}

// quote computes the Quote from where the installments stand on on.
//
// The current period is the first installment not yet due. Accrued: its
// interest × days since the last due date / 30, rounded half-up once, where
// an annuity's period interest is outstanding principal × monthly rate
// (exact) and a flat one's the installment's flat interest. Current period:
// that interest in full. Discount: every installment's unpaid interest from
// the current period on, less DiscountRate of it. Interest already paid on
// the current period counts towards it. The fee is FeeRate × all principal
// still owed, half-up.
func quote(l Loan, lines []InstallmentStatus, on time.Time) Quote {
	on = dateOf(on)
	s := l.Terms.Settlement
	qt := Quote{Ref: l.Ref, On: on, Policy: s.Policy, Denda: decimal.Zero, InterestDue: decimal.Zero,
		PrincipalDue: decimal.Zero, Outstanding: decimal.Zero, Interest: decimal.Zero, Fee: decimal.Zero, next: -1}
	future := decimal.Zero // unpaid interest from the current period on
	for i, ln := range lines {
		qt.Denda = qt.Denda.Add(ln.DendaDue())
		if !ln.Due.After(on) {
			qt.InterestDue = qt.InterestDue.Add(ln.UnpaidInterest())
			qt.PrincipalDue = qt.PrincipalDue.Add(ln.UnpaidPrincipal())
			continue
		}
		if qt.next < 0 {
			qt.next = i
		}
		qt.Outstanding = qt.Outstanding.Add(ln.UnpaidPrincipal())
		future = future.Add(ln.UnpaidInterest())
	}
	if qt.next >= 0 {
		cur := lines[qt.next]
		prev := l.DisbursedOn
		if qt.next > 0 {
			prev = lines[qt.next-1].Due
		}
		qt.Days = min(max(daysBetween(prev, on), 0), 30)
		period := cur.Interest
		if l.Terms.Method == Annuity {
			period = qt.Outstanding.Mul(l.Terms.RatePerMonth)
		}
		switch {
		case qt.Outstanding.IsZero():
			// Only interest is left (the principal was prepaid in full):
			// what the schedule says, no more.
			qt.Interest = future
		case s.Policy == SettleAccrued:
			qt.Interest = divRound(period.Mul(decimal.NewFromInt(int64(qt.Days))), decimal.NewFromInt(30))
		case s.Policy == SettleCurrentPeriod:
			qt.Interest = period.Round(0)
		case s.Policy == SettleDiscount:
			qt.Interest = future.Mul(decimal.NewFromInt(1).Sub(s.DiscountRate)).Round(0)
		}
		qt.Interest = decimal.Max(decimal.Zero, decimal.Min(qt.Interest.Sub(cur.PaidInterest), future))
		if !qt.Outstanding.IsZero() {
			qt.Fee = qt.Principal().Mul(s.FeeRate).Round(0)
		}
	}
	qt.Total = qt.Denda.Add(qt.InterestDue).Add(qt.PrincipalDue).Add(qt.Outstanding).Add(qt.Interest).Add(qt.Fee)
	return qt
}

// closingPlan is the schedule once every principal not yet due is paid:
// the installments already due as they were; the current one carrying all
// that principal and qt.Interest; later ones only what was already paid on
// them, or gone.
func closingPlan(lines []InstallmentStatus, qt Quote) []Installment {
	out := planOf(lines[:qt.next])
	cur := lines[qt.next]
	out = append(out, Installment{No: cur.No, Due: cur.Due, Principal: cur.PaidPrincipal.Add(qt.Outstanding),
		Interest: cur.PaidInterest.Add(qt.Interest)})
	for _, ln := range lines[qt.next+1:] {
		if ln.PaidPrincipal.IsPositive() || ln.PaidInterest.IsPositive() {
			out = append(out, Installment{No: ln.No, Due: ln.Due, Principal: ln.PaidPrincipal, Interest: ln.PaidInterest})
		}
	}
	return out
}

// reamortised is an annuity loan's schedule after x of the outstanding
// principal o not yet due is prepaid (0 < x < o), d days into the period
// of lines[from], the first installment not yet due and not yet paid. The
// installments before it stay. Its interest is the period's on the old
// outstanding O for the days before the prepayment and on the new one O′
// after: round(r × (O × d + O′ × (30 − d)) / 30); it carries x as principal
// already paid. From there the remaining principal O′ is amortised again
// over the same due dates: with ShrinkInstallment at the equal payment that
// repays O′ over the months left given the current installment's interest
// (rounded up as the product rounds), with
// ShrinkTerm at the installment the member paid so far, ending as soon as
// O′ is repaid. The last installment takes whatever principal remains.
func reamortised(t Terms, lines []InstallmentStatus, from, days int, o, x decimal.Decimal) ([]Installment, error) {
	r := t.RatePerMonth
	rest := lines[from:]
	o2 := o.Sub(x)
	d := decimal.NewFromInt(int64(days))
	first := divRound(r.Mul(o.Mul(d).Add(o2.Mul(decimal.NewFromInt(30).Sub(d)))), decimal.NewFromInt(30))
	payment := rest[0].UnpaidPrincipal().Add(rest[0].Interest)
	if t.Settlement.Prepayment != ShrinkTerm {
		var err error
		if payment, err = annuityPaymentFrom(o2, first, r, len(rest)); err != nil {
			return nil, fmt.Errorf("re-amortise: %w", err)
		}
		payment = roundUp(payment, t.Settlement.RoundTo)
	}
	out := planOf(lines[:from])
	remaining := o2
	for j, ln := range rest {
		interest := remaining.Mul(r).Round(0)
		paid := ln.PaidPrincipal
		if j == 0 {
			interest, paid = first, paid.Add(x)
		}
		principal := decimal.Max(decimal.Zero, payment.Sub(interest))
		if j == len(rest)-1 || principal.GreaterThan(remaining) {
			principal = remaining
		}
		if remaining.IsZero() {
			interest = decimal.Zero
		}
		remaining = remaining.Sub(principal)
		in := Installment{No: ln.No, Due: ln.Due, Principal: paid.Add(principal), Interest: decimal.Max(ln.PaidInterest, interest)}
		if in.Principal.IsPositive() || in.Interest.IsPositive() {
			out = append(out, in)
		}
	}
	return out, nil
}

// annuityPaymentFrom is the equal payment A that repays principal over
// months installments when the first one's interest is first and each
// later one's is the remaining principal × r: the first pays A − first of
// principal and the rest is an annuity of A over months − 1, so
// A = (principal + first) × r × g / ((1 + r) × g − 1) with g = (1+r)^(months−1),
// rounded half-up. With first = principal × r it is the ordinary annuity.
func annuityPaymentFrom(principal, first, r decimal.Decimal, months int) (decimal.Decimal, error) {
	one := decimal.NewFromInt(1)
	g, err := r.Add(one).PowInt32(int32(months - 1))
	if err != nil {
		return decimal.Zero, fmt.Errorf("(1+%s)^%d: %w", r, months-1, err)
	}
	return divRound(principal.Add(first).Mul(r).Mul(g), r.Add(one).Mul(g).Sub(one)), nil
}

// planOf is the schedule rows of lines.
func planOf(lines []InstallmentStatus) []Installment {
	out := make([]Installment, len(lines))
	for i, ln := range lines {
		out[i] = ln.Installment
	}
	return out
}

// remainingAfter fills each installment's Remaining from the principal.
func remainingAfter(principal decimal.Decimal, plan []Installment) []Installment {
	remaining := principal
	for i := range plan {
		plan[i].Total = plan[i].Principal.Add(plan[i].Interest)
		remaining = remaining.Sub(plan[i].Principal)
		plan[i].Remaining = remaining
	}
	return plan
}

// insertVersion records a new schedule for the loan, made by payment.
func insertVersion(ctx context.Context, q store.Queryer, l Loan, paymentID int64, reason string, on time.Time,
	plan []Installment) error {
	var id int64
	if err := q.QueryRowContext(ctx, `INSERT INTO loan_schedule_versions (loan_id, payment_id, reason, made_on)
		VALUES (?, ?, ?, ?) RETURNING id`, l.ID, paymentID, reason, dateOf(on).Format(ledger.DateLayout)).Scan(&id); err != nil {
		return fmt.Errorf("insert schedule version: %w", err)
	}
	args := make([]any, 0, 6*len(plan))
	values := ""
	for i, in := range plan {
		if i > 0 {
			values += ", "
		}
		values += "(?, ?, ?, ?, ?, ?)"
		args = append(args, id, l.ID, in.No, in.Due.Format(ledger.DateLayout), in.Principal.IntPart(), in.Interest.IntPart())
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO loan_schedule_rows (version_id, loan_id, no, due_on, principal, interest)
		VALUES `+values, args...); err != nil {
		return fmt.Errorf("insert schedule rows: %w", err)
	}
	return refreshCurrent(ctx, q, l.ID)
}

// refreshCurrent rewrites the loan's rows in loan_current from its newest
// schedule version whose payment is not reversed, or its original schedule.
func refreshCurrent(ctx context.Context, q store.Queryer, loanID int64) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM loan_current WHERE loan_id = ?`, loanID); err != nil {
		return fmt.Errorf("current schedule of loan %d: %w", loanID, err)
	}
	if _, err := q.ExecContext(ctx, `WITH live AS (SELECT max(v.id) AS id FROM loan_schedule_versions v
			WHERE v.loan_id = ?1 AND NOT EXISTS (SELECT 1 FROM loan_payments x WHERE x.reverses = v.payment_id))
		INSERT INTO loan_current (loan_id, no, due_on, principal, interest)
		SELECT r.loan_id, r.no, r.due_on, r.principal, r.interest FROM loan_schedule_rows r JOIN live ON r.version_id = live.id
		UNION ALL
		SELECT i.loan_id, i.no, i.due_on, i.principal, i.interest FROM loan_installments i
			WHERE i.loan_id = ?1 AND (SELECT id FROM live) IS NULL`, loanID); err != nil {
		return fmt.Errorf("current schedule of loan %d: %w", loanID, err)
	}
	return nil
}

// paymentSettlement reads the fee of a settlement payment (zero for others)
// and whether the payment made a new schedule, and why.
func paymentSettlement(ctx context.Context, q store.Queryer, paymentID int64) (fee decimal.Decimal, reason string, err error) {
	var f int64
	if err := q.QueryRowContext(ctx, `SELECT coalesce((SELECT fee FROM loan_settlements WHERE payment_id = ?1), 0),
		coalesce((SELECT reason FROM loan_schedule_versions WHERE payment_id = ?1), '')`, paymentID).Scan(&f, &reason); err != nil {
		return decimal.Zero, "", fmt.Errorf("settlement of payment %d: %w", paymentID, err)
	}
	return money.FromRupiah(f), reason, nil
}
