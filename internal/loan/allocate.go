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

// allocator hands a payment out part by part.
type allocator struct {
	left decimal.Decimal
	out  []Allocation
}

func (a *allocator) take(no int, part Part, owed decimal.Decimal) {
	x := decimal.Min(a.left, owed)
	if x.IsPositive() {
		a.out = append(a.out, Allocation{No: no, Part: part, Amount: x})
		a.left = a.left.Sub(x)
	}
}

// allocateDue spreads amount over what lines owe by date on: first all
// unpaid denda, oldest installment first; then the interest of the
// installments due by on, oldest first; then their principal, oldest first.
// It returns what is left beyond that: money that can only reduce the
// principal not yet due, never pay interest that has not accrued.
func allocateDue(lines []InstallmentStatus, amount decimal.Decimal, on time.Time) ([]Allocation, decimal.Decimal) {
	on = dateOf(on)
	a := &allocator{left: amount}
	due := func(l InstallmentStatus) bool { return !l.Due.After(on) }
	for _, l := range lines {
		a.take(l.No, PartDenda, l.DendaDue())
	}
	for _, l := range lines {
		if due(l) {
			a.take(l.No, PartInterest, l.UnpaidInterest())
		}
	}
	for _, l := range lines {
		if due(l) {
			a.take(l.No, PartPrincipal, l.UnpaidPrincipal())
		}
	}
	return a.out, a.left
}

// allocateAll is allocateDue followed by the installments not yet due in
// order, each interest then principal: for a schedule that an early
// settlement has just cut down to exactly what closing the loan costs.
// More than everything owed is ErrOverpayment.
func allocateAll(lines []InstallmentStatus, amount decimal.Decimal, on time.Time) ([]Allocation, error) {
	out, left := allocateDue(lines, amount, on)
	a := &allocator{left: left, out: out}
	for _, l := range lines {
		if l.Due.After(dateOf(on)) {
			a.take(l.No, PartInterest, l.UnpaidInterest())
			a.take(l.No, PartPrincipal, l.UnpaidPrincipal())
		}
	}
	if a.left.IsPositive() {
		return nil, fmt.Errorf("paying %s, %s more than everything owed: %w", amount, a.left, ErrOverpayment)
	}
	return a.out, nil
}

// prepayPrincipal puts x on the principal of the installments from
// lines[from] on, nearest first: a flat loan's prepayment. The caller has
// checked x is at most their unpaid principal.
func prepayPrincipal(lines []InstallmentStatus, from int, x decimal.Decimal) []Allocation {
	a := &allocator{left: x}
	for _, l := range lines[from:] {
		a.take(l.No, PartPrincipal, l.UnpaidPrincipal())
	}
	return a.out
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
