package loan

import (
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// Part is what a payment pays within an installment.
type Part string

// The three parts, in the order a payment pays them.
const (
	PartDenda     Part = "denda"
	PartInterest  Part = "bunga"
	PartPrincipal Part = "pokok"
)

// InstallmentStatus is an installment with what has been paid on it and the
// denda it has accrued, as of a date.
type InstallmentStatus struct {
	Installment
	PaidPrincipal decimal.Decimal
	PaidInterest  decimal.Decimal
	PaidDenda     decimal.Decimal
	// DendaAccrued is all denda the installment has accrued, paid or not.
	DendaAccrued decimal.Decimal
	// DaysLate counts the days past its due date it is unpaid; 0 when paid
	// or not yet late.
	DaysLate int
}

// UnpaidPrincipal is the principal of the installment still owed.
func (s InstallmentStatus) UnpaidPrincipal() decimal.Decimal { return s.Principal.Sub(s.PaidPrincipal) }

// UnpaidInterest is the interest of the installment still owed.
func (s InstallmentStatus) UnpaidInterest() decimal.Decimal { return s.Interest.Sub(s.PaidInterest) }

// Unpaid is the installment's principal and interest still owed, denda aside.
func (s InstallmentStatus) Unpaid() decimal.Decimal {
	return s.UnpaidPrincipal().Add(s.UnpaidInterest())
}

// DendaDue is the accrued denda not yet paid.
func (s InstallmentStatus) DendaDue() decimal.Decimal { return s.DendaAccrued.Sub(s.PaidDenda) }

// Settled reports whether nothing is owed on the installment.
func (s InstallmentStatus) Settled() bool { return s.Unpaid().IsZero() && s.DendaDue().IsZero() }

// allocRow is one stored allocation, dated by the payment it belongs to (a
// reversal's rows by the payment it reverses, so the two cancel on one day
// and the loan reads as if the mistaken payment never happened).
type allocRow struct {
	no     int
	part   Part
	amount decimal.Decimal
	on     time.Time
}

// position is where each installment of plan stands on asOf given the
// allocations made by then.
//
// Denda: each calendar day d with due+grace < d ≤ asOf is a penalty day of an
// installment, charged PenaltyPerDay × the installment's principal and
// interest unpaid at the start of d (paid by payments dated before d). The
// installment's denda is the sum over its penalty days, rounded half-up to
// whole Rupiah once. A payment dated d therefore still pays day d's denda,
// and an installment paid in full within its grace days accrues none.
func position(t Terms, plan []Installment, allocs []allocRow, asOf time.Time) []InstallmentStatus {
	asOf = dateOf(asOf)
	allocs = slices.Clone(allocs)
	slices.SortStableFunc(allocs, func(a, b allocRow) int { return a.on.Compare(b.on) })
	out := make([]InstallmentStatus, len(plan))
	for i, in := range plan {
		s := InstallmentStatus{Installment: in, PaidPrincipal: decimal.Zero, PaidInterest: decimal.Zero,
			PaidDenda: decimal.Zero}
		var repaid []allocRow
		for _, a := range allocs {
			if a.no != in.No || a.on.After(asOf) {
				continue
			}
			switch a.part {
			case PartDenda:
				s.PaidDenda = s.PaidDenda.Add(a.amount)
			case PartInterest:
				s.PaidInterest = s.PaidInterest.Add(a.amount)
				repaid = append(repaid, a)
			case PartPrincipal:
				s.PaidPrincipal = s.PaidPrincipal.Add(a.amount)
				repaid = append(repaid, a)
			}
		}
		s.DendaAccrued = accrueDenda(t, in, repaid, asOf)
		if s.Unpaid().IsPositive() && asOf.After(in.Due) {
			s.DaysLate = daysBetween(in.Due, asOf)
		}
		out[i] = s
	}
	return out
}

// accrueDenda sums the installment's unpaid amount over its penalty days,
// walking the repayments (date order) that lower it.
func accrueDenda(t Terms, in Installment, repaid []allocRow, asOf time.Time) decimal.Decimal {
	first := in.Due.AddDate(0, 0, t.GraceDays+1)
	if !t.PenaltyPerDay.IsPositive() || asOf.Before(first) {
		return decimal.Zero
	}
	unpaid := in.Total
	from := first // the first penalty day not yet summed
	sum := decimal.Zero
	for _, a := range repaid {
		if !a.on.Before(from) {
			sum = sum.Add(unpaid.Mul(decimal.NewFromInt(int64(daysBetween(from, a.on) + 1))))
			from = a.on.AddDate(0, 0, 1)
		}
		unpaid = unpaid.Sub(a.amount)
	}
	if !asOf.Before(from) {
		sum = sum.Add(unpaid.Mul(decimal.NewFromInt(int64(daysBetween(from, asOf) + 1))))
	}
	return sum.Mul(t.PenaltyPerDay).Round(0)
}

// owed sums what the installments still owe.
func owed(lines []InstallmentStatus) (principal, interest, denda decimal.Decimal) {
	principal, interest, denda = decimal.Zero, decimal.Zero, decimal.Zero
	for _, l := range lines {
		principal = principal.Add(l.UnpaidPrincipal())
		interest = interest.Add(l.UnpaidInterest())
		denda = denda.Add(l.DendaDue())
	}
	return principal, interest, denda
}

// nextUnpaid is the first installment with principal or interest unpaid.
func nextUnpaid(lines []InstallmentStatus) (InstallmentStatus, bool) {
	for _, l := range lines {
		if l.Unpaid().IsPositive() {
			return l, true
		}
	}
	return InstallmentStatus{}, false
}

// arrears sums what is overdue (unpaid past its due date) and how late the
// oldest overdue installment is.
func arrears(lines []InstallmentStatus) (amount decimal.Decimal, days int) {
	amount = decimal.Zero
	for _, l := range lines {
		if l.DaysLate > 0 {
			amount = amount.Add(l.Unpaid())
			days = max(days, l.DaysLate)
		}
	}
	return amount, days
}
