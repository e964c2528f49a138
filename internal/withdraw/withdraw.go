// Package withdraw is a member taking money out of their simpanan
// sukarela: the checks before a request (only sukarela; the minimum balance
// stays; arrears block it; requests still open count against the balance),
// the request kept with how the member wants the money (cash at the office
// or a transfer to their bank account), the officers' decision, and the
// posting, once per request under its own ledger key however often a button
// is pressed or a message redelivered. It knows no transport: the member's
// dialog calls its actions, the officers' desk its decisions.
package withdraw

import (
	"embed"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Schema is the withdrawals' table; it refers to members and the ledger.
var Schema = store.EmbeddedSchema("withdraw", migrations, "migrations")

// Errors of a request or a decision.
var (
	// ErrLocked is asking for pokok or wajib, which stay until the member
	// leaves the cooperative.
	ErrLocked = errors.New("only simpanan sukarela can be withdrawn while a member")
	// ErrArrears is a member with a late installment or unpaid denda, when
	// the cooperative blocks withdrawals then.
	ErrArrears = errors.New("arrears block withdrawals")
	// ErrBelowMinimum is an amount that would leave less than the minimum
	// balance, counting the requests still open.
	ErrBelowMinimum = errors.New("withdrawal would leave less than the minimum balance")
	// ErrAmount is an amount that is not whole and positive.
	ErrAmount = errors.New("amount must be whole and positive")
	// ErrMethod is neither cash nor a transfer with an account.
	ErrMethod = errors.New("cash, or a transfer to a bank account")
	// ErrAccountChanged is a transfer to the account on file asked for
	// after the account shown to the member was changed in the register.
	ErrAccountChanged = errors.New("the bank account on file changed since it was shown")
	// ErrNotFound is an unknown request.
	ErrNotFound = errors.New("no such withdrawal")
	// ErrNeedsManager is an approval above the manager limit by a petugas.
	ErrNeedsManager = errors.New("a manajer approves withdrawals above the limit")
)

// Rules are the cooperative's settings for withdrawals.
type Rules struct {
	// Minimum is what stays in a member's sukarela after a withdrawal.
	Minimum decimal.Decimal
	// BlockArrears refuses withdrawals to a member with a late
	// installment or unpaid denda.
	BlockArrears bool
	// ManagerLimit is the largest withdrawal a petugas approves; above it a
	// manajer does.
	ManagerLimit decimal.Decimal
	// BankAccount is the ledger account transfers are paid from (a BANK-…
	// code of the chart).
	BankAccount string
}

// DefaultRules keep Rp10.000 in the account, block on arrears, need a
// manajer above Rp5.000.000 and pay transfers from BANK-UTAMA.
func DefaultRules() Rules {
	return Rules{Minimum: decimal.NewFromInt(10_000), BlockArrears: true, ManagerLimit: decimal.NewFromInt(5_000_000),
		BankAccount: "BANK-UTAMA"}
}

// Validate checks the rules can be applied.
func (r Rules) Validate() error {
	switch {
	case r.Minimum.IsNegative() || !r.Minimum.IsInteger():
		return fmt.Errorf("minimum balance %s: want whole Rupiah, 0 or more", r.Minimum)
	case !r.ManagerLimit.IsPositive() || !r.ManagerLimit.IsInteger():
		return fmt.Errorf("manager limit %s: want whole Rupiah above 0", r.ManagerLimit)
	case !strings.HasPrefix(r.BankAccount, savings.BankPrefix) || len(r.BankAccount) == len(savings.BankPrefix):
		return fmt.Errorf("bank account %q: want a ledger code BANK-…", r.BankAccount)
	}
	return nil
}

// Method is how the member receives the money.
type Method string

// The methods.
const (
	Cash     Method = "cash"
	Transfer Method = "transfer"
)

// Status is where a request stands.
type Status string

// The statuses: pending waits for an officer; approved (cash only) waits to
// be paid out at the office; posted is in the ledger; rejected by an
// officer; cancelled by the member.
const (
	Pending   Status = "pending"
	Approved  Status = "approved"
	Posted    Status = "posted"
	Rejected  Status = "rejected"
	Cancelled Status = "cancelled"
)

// Open reports that the request still holds its amount against the balance.
func (s Status) Open() bool { return s == Pending || s == Approved }

// Withdrawal is one request: what the member asked, and when (At), with
// what the officers made of it.
type Withdrawal struct {
	ID int64
	Request
	Status     Status
	ApprovedBy string
	DecidedBy  string
	TxID       int64
	Reason     string
}

// Ref is how officers and members name a request: W-17.
func (w Withdrawal) Ref() string { return "W-" + strconv.FormatInt(w.ID, 10) }

// LedgerKey is the idempotency key of the request's posting.
func (w Withdrawal) LedgerKey() string { return "withdraw:" + w.Ref() }

// NeedsManager reports that the amount is above what a petugas approves.
func (w Withdrawal) NeedsManager(r Rules) bool { return w.Amount.GreaterThan(r.ManagerLimit) }

// ParseRef reads "W-17" (any case, "#" allowed) as a request id.
func ParseRef(s string) (int64, bool) {
	s = strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "#")
	rest, ok := strings.CutPrefix(s, "W-")
	id, err := strconv.ParseInt(rest, 10, 64)
	return id, ok && err == nil && id > 0
}

// DecidedError is a decision on a request no longer waiting for it.
type DecidedError struct{ W Withdrawal }

func (e *DecidedError) Error() string {
	return fmt.Sprintf("withdrawal %s already %s", e.W.Ref(), e.W.Status)
}
