package loan

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// Loan is a disbursed loan.
type Loan struct {
	ID            int64
	Ref           string // its application's ref
	ApplicationID int64
	MemberID      int64
	Product       string
	ProductName   string
	Terms         Terms
	Principal     decimal.Decimal
	Tenor         int
	DisbursedOn   time.Time // a date, midnight UTC
	TxID          int64     // the disbursement's ledger transaction
	OfficerID     string
	Closed        bool
	ClosedOn      time.Time // zero while open
}

// AccountCode is the ledger code of the loan's receivable: PINJ-<ref>.
func (l Loan) AccountCode() string { return accountCode(l.Ref) }

func accountCode(ref string) string { return "PINJ-" + ref }

var loanColumns = `l.id, l.ref, l.application_id, l.member_id, a.product, a.product_name, ` +
	prefixed("a", termColumns) + `, l.principal, a.tenor, l.disbursed_on, l.tx_id, l.officer_id, l.status,
	coalesce(l.closed_on, '')`

const loanFrom = ` FROM loan_loans l JOIN loan_applications a ON a.id = l.application_id `

func scanLoan(row scanner) (Loan, error) {
	var l Loan
	var disbursed, status, closed string
	var principal int64
	terms, parseTerms := termsScan(&l.Terms)
	targets := append(append([]any{&l.ID, &l.Ref, &l.ApplicationID, &l.MemberID, &l.Product, &l.ProductName}, terms...),
		&principal, &l.Tenor, &disbursed, &l.TxID, &l.OfficerID, &status, &closed)
	if err := row.Scan(targets...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return Loan{}, ErrNotFound
		}
		return Loan{}, err
	}
	l.Principal = money.FromRupiah(principal)
	l.Closed = status == "closed"
	err := parseTerms()
	if err == nil {
		l.DisbursedOn, err = time.Parse(ledger.DateLayout, disbursed)
	}
	if err == nil && closed != "" {
		l.ClosedOn, err = time.Parse(ledger.DateLayout, closed)
	}
	if err != nil {
		return Loan{}, fmt.Errorf("loan %s: %w", l.Ref, err)
	}
	return l, nil
}

// LoanByRef returns the loan with the given reference.
func LoanByRef(ctx context.Context, q store.Queryer, ref string) (Loan, error) {
	l, err := scanLoan(q.QueryRowContext(ctx, `SELECT `+loanColumns+loanFrom+`WHERE l.ref = ?`, ref))
	if err != nil {
		return Loan{}, fmt.Errorf("loan %s: %w", ref, err)
	}
	return l, nil
}

// loans reads the loans the SQL tail selects.
func loans(ctx context.Context, q store.Queryer, tail string, args ...any) ([]Loan, error) {
	return collect(ctx, q, `SELECT `+loanColumns+loanFrom+tail, scanLoan, args...)
}

// plan reads the schedule the loan follows now (its newest version),
// computing each Remaining.
func plan(ctx context.Context, q store.Queryer, l Loan) ([]Installment, error) {
	byLoan, err := installmentRows(ctx, q, `loan_id = ?`, l.ID)
	if err != nil {
		return nil, fmt.Errorf("schedule of %s: %w", l.Ref, err)
	}
	return remainingAfter(l.Principal, byLoan[l.ID]), nil
}

// state is where each installment of the loan stands on asOf, counting the
// payments up to uptoPayment (0: all).
func state(ctx context.Context, q store.Queryer, l Loan, asOf time.Time, uptoPayment int64) ([]InstallmentStatus, error) {
	_, _, lines, err := records(ctx, q, l, asOf, uptoPayment)
	return lines, err
}

// records reads the loan's schedule and allocations, and where each
// installment stands on asOf given them.
func records(ctx context.Context, q store.Queryer, l Loan, asOf time.Time, uptoPayment int64) ([]Installment, []allocRow, []InstallmentStatus, error) {
	p, err := plan(ctx, q, l)
	if err != nil {
		return nil, nil, nil, err
	}
	as, err := allocRows(ctx, q, []int64{l.ID}, uptoPayment)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("allocations of %s: %w", l.Ref, err)
	}
	return p, as[l.ID], position(l.Terms, p, as[l.ID], asOf), nil
}
