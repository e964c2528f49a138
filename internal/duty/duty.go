// Package duty keeps any one officer from moving money alone: the limits
// above which a second officer confirms (maker-checker) and the ceiling
// above which nothing is posted at all, the rule that whoever approved a
// loan does not also pay it out, and the officers' own member accounts,
// which they never act on. The officer desk and the payment desk both ask
// it; it knows no transport.
package duty

import (
	"embed"
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Schema is the proposals' migrations; it refers to members and the ledger.
var Schema = store.EmbeddedSchema("duty", migrations, "migrations")

var (
	// ErrOwnAccount is returned when an officer acts on their own member
	// account: nobody approves, pays out, deposits to, collects from or
	// corrects their own money.
	ErrOwnAccount = errors.New("an officer cannot act on their own member account")
	// ErrAboveCeiling is returned for an amount above Rules.Ceiling, which
	// is a typing slip or worse, never a deposit.
	ErrAboveCeiling = errors.New("amount above the ceiling")
	// ErrApproverPays is returned when the officer who approved a loan
	// also records its disbursement, unless Rules.SoloDisbursement.
	ErrApproverPays = errors.New("the approver cannot also disburse")
	// ErrSameOfficer is returned when the officer who proposed a movement
	// confirms it.
	ErrSameOfficer = errors.New("the officer who proposed cannot confirm")
	// ErrNotFound is returned for an unknown proposal.
	ErrNotFound = errors.New("proposal not found")
	// ErrSettled is returned for a proposal already confirmed or cancelled.
	ErrSettled = errors.New("proposal already settled")
)

// Rules are the cooperative's limits on what one officer may do.
type Rules struct {
	// DepositLimit is the largest deposit one officer posts alone; above
	// it a second officer confirms first.
	DepositLimit decimal.Decimal
	// JournalLimit is the largest journal entry (an operating income or
	// expense, /jurnal) one officer posts alone; above it a second officer
	// confirms first.
	JournalLimit decimal.Decimal
	// Ceiling is the largest amount posted at all, confirmed or not.
	Ceiling decimal.Decimal
	// SoloDisbursement lets the approver of a loan also disburse it, for a
	// cooperative with one officer at the desk.
	SoloDisbursement bool
	// Pokok is the simpanan pokok every member pays, once.
	Pokok decimal.Decimal
	// Own maps an officer's id to their own member number, if they are a
	// member too.
	Own map[string]string
	// RelatedCap is the most that loans to related parties (members who
	// are pengurus or pengawas: the officers' own member numbers) may
	// total, as a share of modal sendiri (Permenkop 8/2023: 10%).
	RelatedCap decimal.Decimal
}

// DefaultRules are the limits when the config says nothing: a second
// officer above Rp10.000.000 for a deposit and above Rp5.000.000 for a
// journal entry (the cooperative's own cash leaves with no member to
// notice), nothing above Rp1.000.000.000, the approver never disburses,
// pokok Rp100.000.
func DefaultRules() Rules {
	return Rules{DepositLimit: decimal.NewFromInt(10_000_000), JournalLimit: decimal.NewFromInt(5_000_000),
		Ceiling: decimal.NewFromInt(1_000_000_000), Pokok: decimal.NewFromInt(100_000),
		RelatedCap: decimal.New(10, -2)}
}

// Validate checks the limits make sense together.
func (r Rules) Validate() error {
	switch {
	case !r.DepositLimit.IsPositive():
		return fmt.Errorf("deposit limit %s: want more than 0", r.DepositLimit)
	case !r.JournalLimit.IsPositive():
		return fmt.Errorf("journal limit %s: want more than 0", r.JournalLimit)
	case r.Ceiling.LessThan(r.DepositLimit):
		return fmt.Errorf("ceiling %s below the deposit limit %s", r.Ceiling, r.DepositLimit)
	case r.Ceiling.LessThan(r.JournalLimit):
		return fmt.Errorf("ceiling %s below the journal limit %s", r.Ceiling, r.JournalLimit)
	case !r.Pokok.IsPositive():
		return fmt.Errorf("simpanan pokok %s: want more than 0", r.Pokok)
	case !r.RelatedCap.IsPositive() || r.RelatedCap.GreaterThan(decimal.NewFromInt(1)):
		return fmt.Errorf("related-party cap %s: want more than 0 and at most 1", r.RelatedCap)
	}
	return nil
}

// NeedsChecker tells whether a deposit of amount needs a second officer,
// and refuses what is above the ceiling.
func (r Rules) NeedsChecker(amount decimal.Decimal) (bool, error) {
	return r.above(amount, r.DepositLimit)
}

// JournalNeedsChecker is NeedsChecker for a journal entry.
func (r Rules) JournalNeedsChecker(amount decimal.Decimal) (bool, error) {
	return r.above(amount, r.JournalLimit)
}

func (r Rules) above(amount, limit decimal.Decimal) (bool, error) {
	if amount.GreaterThan(r.Ceiling) {
		return false, fmt.Errorf("%s above %s: %w", amount, r.Ceiling, ErrAboveCeiling)
	}
	return amount.GreaterThan(limit), nil
}

// CheckOwn refuses officerID acting on m when m is the officer's own
// member record. Numbers are compared as member.NormalNumber gives them,
// so a look-alike spelling in the config still matches.
func (r Rules) CheckOwn(officerID string, m member.Member) error {
	own, ok := r.Own[officerID]
	if ok && own != "" && member.NormalNumber(own) == member.NormalNumber(m.Number) {
		return fmt.Errorf("officer %s on member %s: %w", officerID, m.Number, ErrOwnAccount)
	}
	return nil
}

// Related reports whether m is a related party: an officer's own member
// record.
func (r Rules) Related(m member.Member) bool {
	for _, own := range r.Own {
		if own != "" && member.NormalNumber(own) == member.NormalNumber(m.Number) {
			return true
		}
	}
	return false
}

// CheckRelatedCap refuses a loan of amount to a related party when the
// related parties' loans, outstanding plus this one, would pass RelatedCap
// of modal sendiri (equity); with no positive equity nothing is lent to
// them.
func (r Rules) CheckRelatedCap(outstanding, amount, equity decimal.Decimal) error {
	limit := equity.Mul(r.RelatedCap).Floor()
	if total := outstanding.Add(amount); !equity.IsPositive() || total.GreaterThan(limit) {
		return &RelatedCapError{Outstanding: outstanding, Amount: amount, Equity: equity, Limit: decimal.Max(limit, decimal.Zero)}
	}
	return nil
}

// RelatedCapError is a related-party loan above the cap, with the figures
// that say why.
type RelatedCapError struct {
	Outstanding, Amount, Equity, Limit decimal.Decimal
}

func (e *RelatedCapError) Error() string {
	return fmt.Sprintf("related-party loans %s + %s above %s of modal sendiri %s", e.Outstanding, e.Amount, e.Limit, e.Equity)
}

// CheckDisburser refuses officerID paying out a loan they approved, unless
// the cooperative allows it.
func (r Rules) CheckDisburser(officerID string, approvers []string) error {
	if r.SoloDisbursement {
		return nil
	}
	for _, a := range approvers {
		if strings.TrimSpace(a) == officerID {
			return fmt.Errorf("officer %s: %w", officerID, ErrApproverPays)
		}
	}
	return nil
}
