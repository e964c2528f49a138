package loan

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// Allocation is the part of a payment that paid one part of one installment.
type Allocation struct {
	No     int
	Part   Part
	Amount decimal.Decimal
}

// allocate spreads amount over what lines owe on date on: first all unpaid
// denda, oldest installment first; then the interest of the installments
// due by on, oldest first; then their principal, oldest first; then, as
// prepayment, the installments not yet due in order, each interest then
// principal. More than everything owed is ErrOverpayment.
func allocate(lines []InstallmentStatus, amount decimal.Decimal, on time.Time) ([]Allocation, error) {
	on = dateOf(on)
	left := amount
	var out []Allocation
	take := func(no int, part Part, owed decimal.Decimal) {
		x := decimal.Min(left, owed)
		if x.IsPositive() {
			out = append(out, Allocation{No: no, Part: part, Amount: x})
			left = left.Sub(x)
		}
	}
	due := func(l InstallmentStatus) bool { return !l.Due.After(on) }
	for _, l := range lines {
		take(l.No, PartDenda, l.DendaDue())
	}
	for _, l := range lines {
		if due(l) {
			take(l.No, PartInterest, l.UnpaidInterest())
		}
	}
	for _, l := range lines {
		if due(l) {
			take(l.No, PartPrincipal, l.UnpaidPrincipal())
		}
	}
	for _, l := range lines {
		if !due(l) {
			take(l.No, PartInterest, l.UnpaidInterest())
			take(l.No, PartPrincipal, l.UnpaidPrincipal())
		}
	}
	if left.IsPositive() {
		return nil, fmt.Errorf("paying %s, %s more than everything owed: %w", amount, left, ErrOverpayment)
	}
	return out, nil
}

// sumParts totals allocations by part.
func sumParts(as []Allocation) (denda, interest, principal decimal.Decimal) {
	denda, interest, principal = decimal.Zero, decimal.Zero, decimal.Zero
	for _, a := range as {
		switch a.Part {
		case PartDenda:
			denda = denda.Add(a.Amount)
		case PartInterest:
			interest = interest.Add(a.Amount)
		case PartPrincipal:
			principal = principal.Add(a.Amount)
		}
	}
	return denda, interest, principal
}
