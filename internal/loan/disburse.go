package loan

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/store"
)

// Disburse pays out an approved application on date on: it creates the loan
// and its fixed schedule (the first installment Terms.FirstDueAfterMonths
// after on) and posts debit PINJ-<ref> (the receivable), credit KAS, under
// the key "disburse:<ref>". Disbursing again returns the same loan and
// transaction with Replayed set, whoever asks and whenever: a loan is paid
// out once. Any status but approved or disbursed is ErrStatus.
func Disburse(ctx context.Context, q store.Queryer, ref, officerID string, on time.Time) (Loan, ledger.Tx, error) {
	l, tx, err := disburse(ctx, q, ref, officerID, on)
	if err != nil {
		return Loan{}, ledger.Tx{}, fmt.Errorf("disburse %s: %w", ref, err)
	}
	return l, tx, nil
}

func disburse(ctx context.Context, q store.Queryer, ref, officerID string, on time.Time) (Loan, ledger.Tx, error) {
	if strings.TrimSpace(officerID) == "" {
		return Loan{}, ledger.Tx{}, fmt.Errorf("officer: %w", ErrMissing)
	}
	a, err := ApplicationByRef(ctx, q, ref)
	if err != nil {
		return Loan{}, ledger.Tx{}, err
	}
	if a.Status == StatusDisbursed {
		return disbursed(ctx, q, ref)
	}
	if a.Status != StatusApproved {
		return Loan{}, ledger.Tx{}, fmt.Errorf("status %s: %w", a.Status, ErrStatus)
	}
	plan, err := schedule(a.Terms.Method, a.Terms.RatePerMonth, a.Amount, a.Tenor, on, a.Terms.FirstDueAfterMonths,
		a.Terms.Settlement.RoundTo)
	if err != nil {
		return Loan{}, ledger.Tx{}, err
	}
	if _, err := ledger.EnsureAccount(ctx, q, Cash, "Kas", ledger.Asset); err != nil {
		return Loan{}, ledger.Tx{}, err
	}
	acct, err := ledger.EnsureAccount(ctx, q, accountCode(ref), "Piutang pinjaman "+ref, ledger.Asset)
	if err != nil {
		return Loan{}, ledger.Tx{}, err
	}
	tx, err := ledger.Post(ctx, q, ledger.Entry{Key: "disburse:" + ref, Kind: KindDisbursement, ValueDate: on,
		Actor: officerID, Memo: "Pencairan " + ref, Postings: []ledger.Posting{
			{Account: acct.Code, Amount: a.Amount}, {Account: Cash, Amount: a.Amount.Neg()}}})
	if err != nil {
		return Loan{}, ledger.Tx{}, err
	}
	var loanID int64
	if err := q.QueryRowContext(ctx, `INSERT INTO loan_loans (application_id, ref, member_id, principal, account_id,
		disbursed_on, tx_id, officer_id, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open') RETURNING id`,
		a.ID, ref, a.MemberID, a.Amount.IntPart(), acct.ID, dateOf(on).Format(ledger.DateLayout), tx.ID, officerID).
		Scan(&loanID); err != nil {
		return Loan{}, ledger.Tx{}, fmt.Errorf("insert loan: %w", err)
	}
	if err := insertPlan(ctx, q, loanID, plan); err != nil {
		return Loan{}, ledger.Tx{}, err
	}
	ok, err := setStatus(ctx, q, a, StatusDisbursed, "", on)
	if err != nil {
		return Loan{}, ledger.Tx{}, err
	}
	if !ok {
		return Loan{}, ledger.Tx{}, fmt.Errorf("changed meanwhile: %w", ErrStatus)
	}
	l, err := LoanByRef(ctx, q, ref)
	return l, tx, err
}

// disbursed answers a repeated disbursement with what the first one did.
func disbursed(ctx context.Context, q store.Queryer, ref string) (Loan, ledger.Tx, error) {
	l, err := LoanByRef(ctx, q, ref)
	if err != nil {
		return Loan{}, ledger.Tx{}, err
	}
	tx, err := ledger.TxByID(ctx, q, l.TxID)
	if err != nil {
		return Loan{}, ledger.Tx{}, err
	}
	tx.Replayed = true
	return l, tx, nil
}

// insertPlan writes the schedule in one statement.
func insertPlan(ctx context.Context, q store.Queryer, loanID int64, plan []Installment) error {
	args := make([]any, 0, 5*len(plan))
	for _, in := range plan {
		args = append(args, loanID, in.No, in.Due.Format(ledger.DateLayout), in.Principal.IntPart(), in.Interest.IntPart())
	}
	values := strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?), ", len(plan)), ", ")
	if _, err := q.ExecContext(ctx, `INSERT INTO loan_installments (loan_id, no, due_on, principal, interest) VALUES `+
		values, args...); err != nil {
		return fmt.Errorf("insert schedule: %w", err)
	}
	return refreshCurrent(ctx, q, loanID)
}
