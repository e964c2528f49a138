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

// DueSum counts installments not fully paid and what is still owed on them,
// principal and interest; denda is not included.
type DueSum struct {
	Count  int
	Unpaid decimal.Decimal
}

// DueTotal sums the installments EachDue would walk from from to to (dates,
// both included) in the database, for a summary that needs no row of them.
func DueTotal(ctx context.Context, q store.Queryer, from, to time.Time) (DueSum, error) {
	var s DueSum
	var unpaid int64
	// The due date index gives installments in date order, a loan's pages
	// apart from the next one's; looked up in loan order instead, each page
	// of the schedules, loans and allocations is read once, not once per
	// due date, which halves the time over a month of loans. CROSS JOIN
	// keeps that order: SQLite never puts its right side in the outer loop.
	if err := q.QueryRowContext(ctx, `WITH due AS MATERIALIZED (SELECT loan_id, no FROM loan_current
		WHERE due_on BETWEEN ?1 AND ?2 ORDER BY loan_id, no)
		SELECT count(*), coalesce(sum(principal + interest - paid), 0) FROM `+
		dueRows(`due CROSS JOIN loan_current i ON i.loan_id = due.loan_id AND i.no = due.no`),
		dateOf(from).Format(ledger.DateLayout), dateOf(to).Format(ledger.DateLayout)).Scan(&s.Count, &unpaid); err != nil {
		return DueSum{}, fmt.Errorf("total due %s–%s: %w", from.Format(ledger.DateLayout), to.Format(ledger.DateLayout), err)
	}
	s.Unpaid = money.FromRupiah(unpaid)
	return s, nil
}
