package loan

import (
	"context"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// DueInstallment is an installment of an open loan not fully paid.
type DueInstallment struct {
	LoanID    int64
	LoanRef   string
	MemberID  int64
	No        int
	Due       time.Time
	Principal decimal.Decimal // as scheduled
	Interest  decimal.Decimal // as scheduled
	// Unpaid is the principal and interest still owed on it, by the
	// records now; denda is not included.
	Unpaid decimal.Decimal
}

// dueRows is the installments of open loans due from ?1 to ?2 that are not
// fully paid, with what has been paid on their principal and interest: what
// EachDue walks and DueTotal sums, so both count the same way. from names
// the installments i to look at; it may narrow them down, not widen them.
func dueRows(from string) string {
	return `(SELECT i.loan_id, l.ref, l.member_id, i.no, i.due_on, i.principal, i.interest,
			(SELECT coalesce(sum(x.amount), 0) FROM loan_allocations x
				WHERE x.loan_id = i.loan_id AND x.installment_no = i.no AND x.part <> 'denda') AS paid
		FROM ` + from + ` JOIN loan_loans l ON l.id = i.loan_id
		WHERE i.due_on BETWEEN ?1 AND ?2 AND l.status = 'open')
		WHERE principal + interest > paid`
}

// EachDue calls fn for each not fully paid installment of an open loan due
// from from to to (dates, both included), by due date. Rows stream from the
// database, so a month of installments is never held in memory; fn may read
// through q meanwhile. An error from fn stops the walk and is returned.
func EachDue(ctx context.Context, q store.Queryer, from, to time.Time, fn func(DueInstallment) error) error {
	rows, err := q.QueryContext(ctx, `SELECT loan_id, ref, member_id, no, due_on, principal, interest, paid FROM `+
		dueRows(`loan_current i`)+` ORDER BY due_on, loan_id, no`, dateOf(from).Format(ledger.DateLayout), dateOf(to).Format(ledger.DateLayout))
	if err != nil {
		return fmt.Errorf("installments due %s–%s: %w", from.Format(ledger.DateLayout), to.Format(ledger.DateLayout), err)
	}
	defer rows.Close()
	for rows.Next() {
		var d DueInstallment
		var due string
		var principal, interest, paid int64
		if err := rows.Scan(&d.LoanID, &d.LoanRef, &d.MemberID, &d.No, &due, &principal, &interest, &paid); err != nil {
			return fmt.Errorf("installments due: %w", err)
		}
		if d.Due, err = time.Parse(ledger.DateLayout, due); err != nil {
			return fmt.Errorf("installments due: date %q: %w", due, err)
		}
		d.Principal, d.Interest = money.FromRupiah(principal), money.FromRupiah(interest)
		d.Unpaid = money.FromRupiah(principal + interest - paid)
		if err := fn(d); err != nil {
			return fmt.Errorf("installment %d of %s: %w", d.No, d.LoanRef, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("installments due: %w", err)
	}
	return nil
}
