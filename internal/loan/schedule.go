package loan

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// Installment is one month of a repayment schedule. Remaining is the
// principal still owed after it is paid.
type Installment struct {
	No        int
	Due       time.Time // a date, midnight UTC
	Principal decimal.Decimal
	Interest  decimal.Decimal
	Total     decimal.Decimal
	Remaining decimal.Decimal
}

// Schedule is the repayment schedule of principal over tenor months at
// product p's rate and method, the first installment due one month after
// disbursed. Due dates keep the day of the month of disbursement, clamped to
// the month's last day (31 January → 28/29 February → 31 March).
//
// Flat: the total interest is round(principal × rate × tenor); each month
// charges round(principal × rate) of it and pays round(principal / tenor)
// of principal, and the last installment absorbs both rounding rests, so Σ
// interest is exactly the total (1.234.567 over 24 months at 1,5%: 444.444,
// not 24 × 18.519). Annuity: the payment is round(P·r/(1−(1+r)^−n)),
// computed exactly; each month's interest is round(remaining × r) and its
// principal the payment less that interest, except the last, whose
// principal is whatever remains, so the balance ends at exactly zero.
// Rounding is half-up to whole Rupiah. With p.Settlement.RoundTo set, each
// installment (flat) or the payment (annuity) is rounded up to that
// multiple, as many KSPs print them, and the last installment absorbs the
// difference.
func Schedule(p Product, principal decimal.Decimal, tenor int, disbursed time.Time) ([]Installment, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("schedule: %w", err)
	}
	return schedule(p.Method, p.RatePerMonth, principal, tenor, disbursed, 1, p.Settlement.RoundTo)
}

// schedule is Schedule with the first installment firstDue months after
// disbursement, for a rate and method already validated.
func schedule(m Method, rate, principal decimal.Decimal, tenor int, disbursed time.Time, firstDue int, roundTo int64) ([]Installment, error) {
	if !wholePositive(principal) {
		return nil, fmt.Errorf("schedule: principal %s: %w", principal, ErrAmount)
	}
	if tenor < 1 {
		return nil, fmt.Errorf("schedule: %d months: %w", tenor, ErrTenor)
	}
	payment := decimal.Zero
	if m == Annuity {
		var err error
		if payment, err = annuityPayment(principal, rate, tenor); err != nil {
			return nil, fmt.Errorf("schedule: %w", err)
		}
		payment = roundUp(payment, roundTo)
	}
	flatPrincipal := divRound(principal, decimal.NewFromInt(int64(tenor)))
	flatInterest := principal.Mul(rate).Round(0)
	flatTotalInterest := principal.Mul(rate).Mul(decimal.NewFromInt(int64(tenor))).Round(0)
	flatLastInterest := flatTotalInterest.Sub(flatInterest.Mul(decimal.NewFromInt(int64(tenor - 1))))
	if flatLastInterest.IsNegative() {
		return nil, fmt.Errorf("schedule: %s over %d months: last interest %s: %w", principal, tenor, flatLastInterest, ErrAmount)
	}
	flatPrincipal = roundUp(flatPrincipal.Add(flatInterest), roundTo).Sub(flatInterest)

	out := make([]Installment, tenor)
	remaining := principal
	for i := range out {
		in := Installment{No: i + 1, Due: addMonths(disbursed, firstDue+i)}
		switch m {
		case Flat:
			in.Interest, in.Principal = flatInterest, flatPrincipal
			if i == tenor-1 {
				in.Interest = flatLastInterest
			}
		default:
			in.Interest = remaining.Mul(rate).Round(0)
			in.Principal = payment.Sub(in.Interest)
		}
		if i == tenor-1 || in.Principal.GreaterThan(remaining) {
			in.Principal = remaining
		}
		remaining = remaining.Sub(in.Principal)
		if !in.Principal.IsPositive() || remaining.IsNegative() {
			return nil, fmt.Errorf("schedule: %s over %d months leaves installment %d with principal %s: %w",
				principal, tenor, in.No, in.Principal, ErrAmount)
		}
		in.Total = in.Principal.Add(in.Interest)
		in.Remaining = remaining
		out[i] = in
	}
	return out, nil
}

// annuityPayment is round(P·r/(1−(1+r)^−n)), exactly.
func annuityPayment(principal, rate decimal.Decimal, months int) (decimal.Decimal, error) {
	f, err := rate.Add(decimal.NewFromInt(1)).PowInt32(int32(months))
	if err != nil {
		return decimal.Zero, fmt.Errorf("(1+%s)^%d: %w", rate, months, err)
	}
	// P·r/(1−(1+r)^−n) = P·r·f/(f−1) with f = (1+r)^n, which keeps the
	// exponent positive so f is exact.
	return divRound(principal.Mul(rate).Mul(f), f.Sub(decimal.NewFromInt(1))), nil
}

// roundUp is x rounded up to a multiple of step; step 0 leaves x alone.
func roundUp(x decimal.Decimal, step int64) decimal.Decimal {
	if step <= 0 {
		return x
	}
	s := decimal.NewFromInt(step)
	q, r := x.QuoRem(s, 0)
	if r.IsPositive() {
		q = q.Add(decimal.NewFromInt(1))
	}
	return q.Mul(s)
}

// divRound is n/d rounded half-up to whole Rupiah, exactly: a rounded
// intermediate quotient could round a second time the wrong way.
func divRound(n, d decimal.Decimal) decimal.Decimal {
	q, r := n.QuoRem(d, 0)
	if r.Add(r).GreaterThanOrEqual(d) {
		q = q.Add(decimal.NewFromInt(1))
	}
	return q
}

// addMonths is the date months after t's date with t's day of the month,
// clamped to the last day of that month. It counts from t every time, so a
// 31st stays the 31st wherever the month allows it.
func addMonths(t time.Time, months int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(months), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(d, last)-1)
}

// dateOf keeps only t's calendar date in its own zone, as midnight UTC: the
// form every stored date takes, so days between dates are exact.
func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// daysBetween counts calendar days from a to b (negative when b is earlier).
func daysBetween(a, b time.Time) int {
	return int(dateOf(b).Sub(dateOf(a)) / (24 * time.Hour))
}
