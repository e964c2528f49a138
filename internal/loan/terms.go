package loan

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// SettlementPolicy is what an early settlement (pelunasan dipercepat)
// charges beyond the outstanding principal and whatever is already due.
type SettlementPolicy string

// The policies a product may choose.
const (
	// SettleAccrued charges the interest accrued since the last due date:
	// the current period's interest × days / 30, rounded half-up. On an
	// annuity loan that period's interest is outstanding principal × rate;
	// on a flat loan, the installment's flat interest. The annuity default.
	SettleAccrued SettlementPolicy = "accrued"
	// SettleCurrentPeriod charges the current period's interest in full.
	// The flat default.
	SettleCurrentPeriod SettlementPolicy = "current_period"
	// SettleDiscount charges all the interest still scheduled, less
	// Settlement.DiscountRate of it.
	SettleDiscount SettlementPolicy = "discount"
)

// Prepayment is what a partial prepayment on an annuity loan shrinks when
// the remaining schedule is re-amortised.
type Prepayment string

// The two choices.
const (
	// ShrinkInstallment keeps the term and lowers the installments. The default.
	ShrinkInstallment Prepayment = "installment"
	// ShrinkTerm keeps the installment and ends the loan earlier.
	ShrinkTerm Prepayment = "term"
)

// RoundSteps are the multiples an installment may be rounded up to.
var RoundSteps = []int64{0, 100, 500, 1000}

// Settlement is a product's rules for paying early.
type Settlement struct {
	// Policy is "" for the method's default (accrued for annuity,
	// current_period for flat).
	Policy SettlementPolicy
	// FeeRate is a fee on early settlement, a fraction of the outstanding
	// principal (0.01 is 1%); zero charges none.
	FeeRate decimal.Decimal
	// DiscountRate is the part of the remaining interest SettleDiscount
	// waives (1 waives all of it).
	DiscountRate decimal.Decimal
	// Prepayment is "" for ShrinkInstallment.
	Prepayment Prepayment
	// RoundTo rounds each installment up to a multiple of this many Rupiah
	// (100, 500 or 1000), the last installment absorbing the difference; 0
	// does not round.
	RoundTo int64
}

// resolved fills the method's defaults in.
func (s Settlement) resolved(m Method) Settlement {
	if s.Policy == "" {
		s.Policy = SettleCurrentPeriod
		if m == Annuity {
			s.Policy = SettleAccrued
		}
	}
	if s.Prepayment == "" {
		s.Prepayment = ShrinkInstallment
	}
	return s
}

// Validate refuses a policy, prepayment, rate or rounding kopbot does not know.
func (s Settlement) Validate() error {
	one := decimal.NewFromInt(1)
	switch {
	case s.Policy != "" && s.Policy != SettleAccrued && s.Policy != SettleCurrentPeriod && s.Policy != SettleDiscount:
		return fmt.Errorf("settlement policy %q: want accrued, current_period or discount", s.Policy)
	case s.Prepayment != "" && s.Prepayment != ShrinkInstallment && s.Prepayment != ShrinkTerm:
		return fmt.Errorf("prepayment %q: want installment or term", s.Prepayment)
	case s.FeeRate.IsNegative() || s.FeeRate.GreaterThan(one):
		return fmt.Errorf("settlement fee %s: want 0–100%%", s.FeeRate)
	case s.DiscountRate.IsNegative() || s.DiscountRate.GreaterThan(one):
		return fmt.Errorf("settlement discount %s: want 0–100%%", s.DiscountRate)
	}
	for _, step := range RoundSteps {
		if s.RoundTo == step {
			return nil
		}
	}
	return fmt.Errorf("installment rounding %d: want 0, 100, 500 or 1000", s.RoundTo)
}
