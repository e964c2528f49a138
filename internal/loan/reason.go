package loan

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Reason is why an application cannot be made.
type Reason string

// The eligibility rules, in the order Eligibility checks them.
const (
	ReasonUnknownProduct  Reason = "unknown_product"
	ReasonPendingRequest  Reason = "pending_request"
	ReasonArrears         Reason = "arrears"
	ReasonOpenLoan        Reason = "open_loan"
	ReasonAmountBelowMin  Reason = "amount_below_min"
	ReasonAmountAboveMax  Reason = "amount_above_max"
	ReasonTenorOutOfRange Reason = "tenor_out_of_range"
	ReasonAbovePlafon     Reason = "above_plafon"
)

// MessageID names the locale message that explains r to a member. The ids
// are literals because the locale test looks for each id in code.
func (r Reason) MessageID() string {
	switch r {
	case ReasonUnknownProduct:
		return "loan.refuse.unknown_product"
	case ReasonPendingRequest:
		return "loan.refuse.pending_request"
	case ReasonArrears:
		return "loan.refuse.arrears"
	case ReasonOpenLoan:
		return "loan.refuse.open_loan"
	case ReasonAmountBelowMin:
		return "loan.refuse.amount_below_min"
	case ReasonAmountAboveMax:
		return "loan.refuse.amount_above_max"
	case ReasonTenorOutOfRange:
		return "loan.refuse.tenor_out_of_range"
	default:
		// ReasonAbovePlafon, and the cautious answer for a Reason this
		// package never produces.
		return "loan.refuse.above_plafon"
	}
}

// Refusal is one broken rule with the figures a message needs to explain
// it. Which fields are set depends on Reason:
//
//	unknown_product     Product
//	pending_request     Ref, Status
//	arrears             Ref, Outstanding (the overdue amount), Days (the oldest overdue installment's)
//	open_loan           Ref, Outstanding (principal still owed)
//	amount_below_min    Amount, Limit (the product's minimum)
//	amount_above_max    Amount, Limit (the product's maximum)
//	tenor_out_of_range  Tenor, MinTenor, MaxTenor
//	above_plafon        Amount, Limit (the plafon), Savings, Multiple
type Refusal struct {
	Reason      Reason
	Product     string
	Amount      decimal.Decimal
	Limit       decimal.Decimal
	Tenor       int
	MinTenor    int
	MaxTenor    int
	Savings     decimal.Decimal
	Multiple    decimal.Decimal
	Ref         string
	Status      Status
	Outstanding decimal.Decimal
	Days        int
}

// Check is what Eligibility found.
type Check struct {
	Product Product // zero when the code is unknown
	// Savings is the member's total savings; Plafon is Savings ×
	// Policy.PlafonMultiple.
	Savings decimal.Decimal
	Plafon  decimal.Decimal
	// MaxAmount is the most the member may ask for with this product: the
	// lower of the product's maximum and the plafon.
	MaxAmount decimal.Decimal
	Refusals  []Refusal
}

// OK reports whether no rule was broken.
func (c Check) OK() bool { return len(c.Refusals) == 0 }

// RefusedError is Apply's answer to an application that breaks a rule; the
// chat explains each refusal with its Reason's message.
type RefusedError struct {
	Check Check
}

func (e *RefusedError) Error() string {
	reasons := make([]string, len(e.Check.Refusals))
	for i, r := range e.Check.Refusals {
		reasons[i] = string(r.Reason)
	}
	return fmt.Sprintf("%s: %s", ErrNotEligible, strings.Join(reasons, ", "))
}

// Unwrap makes errors.Is(err, ErrNotEligible) hold.
func (e *RefusedError) Unwrap() error { return ErrNotEligible }
