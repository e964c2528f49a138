package loan

import (
	"context"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// LoanStatus is an open loan as of a date: what it still owes, what is next,
// what is late, and every installment with what has been paid on it.
type LoanStatus struct {
	Loan
	OutstandingPrincipal decimal.Decimal
	OutstandingInterest  decimal.Decimal
	Denda                decimal.Decimal // accrued and not yet paid
	NextDue              *NextDue        // nil when everything is paid
	// Overdue is the principal and interest past due; OverdueDays how long
	// the oldest of it has been.
	Overdue     decimal.Decimal
	OverdueDays int
	Schedule    []InstallmentStatus
}

// Overview is a member's lending as they ask about it.
type Overview struct {
	Loans []LoanStatus // open loans, oldest first
	// Applications are the member's applications still in progress
	// (undecided, or approved and not yet disbursed), oldest first.
	Applications []Application
}

// MemberLoans returns the member's open loans and applications in progress
// as of asOf.
func MemberLoans(ctx context.Context, q store.Queryer, memberID int64, asOf time.Time) (Overview, error) {
	var o Overview
	open, err := loans(ctx, q, `WHERE l.member_id = ? AND l.status = 'open' ORDER BY l.id`, memberID)
	if err != nil {
		return Overview{}, fmt.Errorf("loans of member %d: %w", memberID, err)
	}
	for _, l := range open {
		s, err := loanStatus(ctx, q, l, asOf)
		if err != nil {
			return Overview{}, fmt.Errorf("loans of member %d: %w", memberID, err)
		}
		o.Loans = append(o.Loans, s)
	}
	o.Applications, err = applications(ctx, q, `WHERE member_id = ? AND status IN ('pending', 'info_requested',
		'awaiting_second', 'approved') ORDER BY id`, memberID)
	if err != nil {
		return Overview{}, fmt.Errorf("applications of member %d: %w", memberID, err)
	}
	return o, nil
}

// LoanStatusOf returns one loan as of asOf, for officers looking it up by
// reference.
func LoanStatusOf(ctx context.Context, q store.Queryer, ref string, asOf time.Time) (LoanStatus, error) {
	l, err := LoanByRef(ctx, q, ref)
	if err != nil {
		return LoanStatus{}, err
	}
	s, err := loanStatus(ctx, q, l, asOf)
	if err != nil {
		return LoanStatus{}, fmt.Errorf("loan %s: %w", ref, err)
	}
	return s, nil
}

func loanStatus(ctx context.Context, q store.Queryer, l Loan, asOf time.Time) (LoanStatus, error) {
	lines, err := state(ctx, q, l, asOf, 0)
	if err != nil {
		return LoanStatus{}, err
	}
	s := LoanStatus{Loan: l, Schedule: lines}
	s.OutstandingPrincipal, s.OutstandingInterest, s.Denda = owed(lines)
	s.Overdue, s.OverdueDays = arrears(lines)
	if next, ok := nextUnpaid(lines); ok {
		s.NextDue = &NextDue{No: next.No, Due: next.Due, Amount: next.Unpaid()}
	}
	return s, nil
}

// Overdue returns the open loans with principal or interest past due on
// asOf (normally today), oldest loan first.
func Overdue(ctx context.Context, q store.Queryer, asOf time.Time) ([]LoanStatus, error) {
	late, err := loans(ctx, q, `WHERE l.status = 'open' AND EXISTS (SELECT 1 FROM loan_current i
		WHERE i.loan_id = l.id AND i.due_on < ? AND i.principal + i.interest > (SELECT coalesce(sum(x.amount), 0)
			FROM loan_allocations x WHERE x.loan_id = i.loan_id AND x.installment_no = i.no AND x.part <> 'denda'))
		ORDER BY l.id`, dateOf(asOf).Format(time.DateOnly))
	if err != nil {
		return nil, fmt.Errorf("overdue loans: %w", err)
	}
	out := make([]LoanStatus, 0, len(late))
	for _, l := range late {
		s, err := loanStatus(ctx, q, l, asOf)
		if err != nil {
			return nil, fmt.Errorf("overdue loans: %w", err)
		}
		out = append(out, s)
	}
	return out, nil
}
