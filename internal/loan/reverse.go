package loan

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// Reversal is the undoing of a mistaken repayment.
type Reversal struct {
	Ref                string // the loan's
	Key                string // the reversed payment's
	Amount             decimal.Decimal
	TxID               int64 // the reversing ledger transaction
	RemainingPrincipal decimal.Decimal
	Replayed           bool
}

// ReverseRepayment undoes the repayment recorded under paymentKey (the Key
// given to Repay): ledger.Reverse negates its posting, and the negation of
// each of its allocations is appended, dated for the outstanding state by
// the original payment, so the loan owes exactly what it would have owed
// without it — denda included. A closed loan opens again. Reversing again
// replays. It takes no role: the caller lets only a manajer do it. Reversing
// an older payment leaves later payments where they were allocated; a
// payment that re-planned the loan (a prepayment or settlement) can be
// reversed only while no later one has (ErrStatus), and its reversal puts
// the schedule before it back.
func ReverseRepayment(ctx context.Context, q store.Queryer, paymentKey, officerID, reason string, on time.Time) (Reversal, error) {
	r, err := reverseRepayment(ctx, q, paymentKey, officerID, reason, on)
	if err != nil {
		return Reversal{}, fmt.Errorf("reverse repayment %s: %w", paymentKey, err)
	}
	return r, nil
}

func reverseRepayment(ctx context.Context, q store.Queryer, key, officerID, reason string, on time.Time) (Reversal, error) {
	if strings.TrimSpace(officerID) == "" {
		return Reversal{}, fmt.Errorf("officer: %w", ErrMissing)
	}
	if strings.TrimSpace(reason) == "" {
		return Reversal{}, ErrReasonRequired
	}
	var paymentID, txID, amount int64
	var ref string
	var reversedBy sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT p.id, p.tx_id, p.amount, l.ref, r.tx_id FROM loan_payments p
		JOIN loan_loans l ON l.id = p.loan_id LEFT JOIN loan_payments r ON r.reverses = p.id
		WHERE p.idem_key = ? AND p.reverses IS NULL`, key).Scan(&paymentID, &txID, &amount, &ref, &reversedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return Reversal{}, ErrNotFound
	}
	if err != nil {
		return Reversal{}, err
	}
	l, err := LoanByRef(ctx, q, ref)
	if err != nil {
		return Reversal{}, err
	}
	rev := Reversal{Ref: ref, Key: key, Amount: money.FromRupiah(amount)}
	if reversedBy.Valid {
		rev.TxID, rev.Replayed = reversedBy.Int64, true
		return withRemaining(ctx, q, l, rev, on)
	}
	// A later schedule was computed on top of this payment's: undoing this
	// one first would leave the later one standing on nothing.
	var later int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM loan_schedule_versions v
		WHERE v.loan_id = ?1 AND v.id > (SELECT id FROM loan_schedule_versions WHERE payment_id = ?2)
		AND NOT EXISTS (SELECT 1 FROM loan_payments r WHERE r.reverses = v.payment_id)`, l.ID, paymentID).Scan(&later); err != nil {
		return Reversal{}, fmt.Errorf("later schedules: %w", err)
	}
	if later > 0 {
		return Reversal{}, fmt.Errorf("a later prepayment re-planned the loan; reverse it first: %w", ErrStatus)
	}
	tx, err := ledger.Reverse(ctx, q, txID, "reverse:repay:"+key, officerID, strings.TrimSpace(reason), on)
	if err != nil {
		return Reversal{}, err
	}
	rev.TxID = tx.ID
	var reversalID int64
	if err := q.QueryRowContext(ctx, `INSERT INTO loan_payments (loan_id, idem_key, tx_id, paid_on, amount, officer_id,
		reverses, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, l.ID, "reverse:"+key, tx.ID,
		dateOf(on).Format(ledger.DateLayout), -amount, officerID, paymentID, strings.TrimSpace(reason)).
		Scan(&reversalID); err != nil {
		return Reversal{}, fmt.Errorf("insert reversal: %w", err)
	}
	allocs, err := paymentAllocations(ctx, q, paymentID)
	if err != nil {
		return Reversal{}, err
	}
	if err := insertAllocations(ctx, q, l.ID, reversalID, allocs, true); err != nil {
		return Reversal{}, err
	}
	if err := refreshCurrent(ctx, q, l.ID); err != nil {
		return Reversal{}, err
	}
	if l.Closed {
		if err := setLoanClosed(ctx, q, l, time.Time{}); err != nil {
			return Reversal{}, err
		}
	}
	return withRemaining(ctx, q, l, rev, on)
}

func withRemaining(ctx context.Context, q store.Queryer, l Loan, rev Reversal, on time.Time) (Reversal, error) {
	lines, err := state(ctx, q, l, on, 0)
	if err != nil {
		return Reversal{}, err
	}
	rev.RemainingPrincipal, _, _ = owed(lines)
	return rev, nil
}
