// Package loan is the cooperative's lending: products and their schedules,
// members' applications (pengajuan), officers' maker-checker approvals,
// disbursement, repayment with late penalty (denda) allocated denda → bunga →
// pokok, reversal of a mistaken repayment, and the queries members, officers
// and the reminder planner read.
//
// It knows nothing of chat or transport. Every function takes a
// store.Queryer so the caller runs it in its own write transaction together
// with the outbox rows it causes; when a function returns an error, roll that
// transaction back.
//
// Money is decimal.Decimal in Go and INTEGER whole Rupiah in SQL; every
// rounding is explicit, half-up to whole Rupiah. Dates (due dates, value
// dates) are calendar dates taken from the time.Time the caller passes, in
// that time's own zone: pass times in the cooperative's zone.
package loan

import (
	"embed"
	"errors"

	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Schema is the loan tables' migrations. They refer to members and the
// ledger, so open with member.Schema and ledger.Schema before it.
var Schema = store.EmbeddedSchema("loan", migrations, "migrations")

// Ledger accounts the loan package posts to, besides each loan's own
// receivable PINJ-<ref>.
const (
	Cash           = savings.Cash
	InterestIncome = "PEND-BUNGA"
	PenaltyIncome  = "PEND-DENDA"
)

// Ledger transaction kinds.
const (
	KindDisbursement = "loan_disbursement"
	KindRepayment    = "loan_repayment"
)

var (
	// ErrMissing is returned when a key, an officer or a member's answer is empty.
	ErrMissing = errors.New("required field missing")
	// ErrRateCap is returned for a product above the regulator's 24%/year.
	ErrRateCap = errors.New("interest rate above the 24%/year cap")
	// ErrInvalidProduct is returned for a product or policy with a missing,
	// negative or inconsistent value.
	ErrInvalidProduct = errors.New("invalid loan product")
	// ErrUnknownProduct is returned for a product code not in the catalog.
	ErrUnknownProduct = errors.New("unknown loan product")
	// ErrAmount is returned for an amount that is not a positive whole
	// number of Rupiah, or too small to spread over the tenor.
	ErrAmount = errors.New("invalid amount")
	// ErrTenor is returned for a tenor below one month.
	ErrTenor = errors.New("invalid tenor")
	// ErrNotEligible is returned (inside a *RefusedError) when an
	// application breaks an eligibility rule.
	ErrNotEligible = errors.New("not eligible for this loan")
	// ErrKeyConflict is returned when an idempotency key was already used
	// for a different request.
	ErrKeyConflict = errors.New("idempotency key already used for a different request")
	// ErrNotFound is returned when no application, loan or payment matches.
	ErrNotFound = errors.New("not found")
	// ErrNotYours is returned when a member acts on another member's
	// application or loan.
	ErrNotYours = errors.New("belongs to another member")
	// ErrStatus is returned when an application is not in a status that
	// allows the action (adding info when none was asked, cancelling an
	// approved application, disbursing an unapproved one).
	ErrStatus = errors.New("not allowed in the current status")
	// ErrAlreadyDecided is returned (inside an *AlreadyDecidedError) when an
	// officer decides an application that is no longer open for decision.
	ErrAlreadyDecided = errors.New("application already decided")
	// ErrSameOfficer is returned when one officer gives both approvals.
	ErrSameOfficer = errors.New("the second approval must come from a different officer")
	// ErrNeedsManager is returned when the second approval is not a manajer's.
	ErrNeedsManager = errors.New("the second approval must come from a manajer")
	// ErrNeedsBoard is returned when an approval of a related party's loan
	// is not the manajer's or the pengawas's it still needs.
	ErrNeedsBoard = errors.New("a related party's loan needs one manajer and one pengawas approval")
	// ErrPengawasRelatedOnly is returned when a pengawas decides a loan of
	// no related party.
	ErrPengawasRelatedOnly = errors.New("a pengawas decides related parties' loans only")
	// ErrReasonRequired is returned for a rejection, a question to the
	// member or a reversal without a reason.
	ErrReasonRequired = errors.New("a reason is required")
	// ErrRole is returned for an unknown officer role.
	ErrRole = errors.New("unknown officer role")
	// ErrVerdict is returned for an unknown verdict.
	ErrVerdict = errors.New("unknown verdict")
	// ErrNoOpenLoan is returned when a member with no open loan pays.
	ErrNoOpenLoan = errors.New("no open loan")
	// ErrOverpayment is returned when a payment exceeds everything owed.
	ErrOverpayment = errors.New("payment exceeds everything owed")
	// ErrBackdated is returned for a payment dated before the loan's
	// disbursement or before its latest payment: allocation and denda are
	// computed forward in time.
	ErrBackdated = errors.New("payment dated before an earlier event of the loan")
)
