package reminder

import (
	"context"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// Summary is the officers' morning view of one day.
type Summary struct {
	// DueCount installments fall due today, DueAmount still unpaid on them.
	DueCount  int
	DueAmount decimal.Decimal
	// OverdueCount installments are past due and unpaid, OverdueAmount on
	// them (principal and interest; denda apart).
	OverdueCount  int
	OverdueAmount decimal.Decimal
	// SentYesterday reminders went out yesterday (local day);
	// FailedYesterday, queued yesterday, were given up on.
	SentYesterday   int
	FailedYesterday int
}

// Summarize reads the summary of day (a calendar date) in the cooperative's
// zone. The database sums the installments, so it costs no memory per loan.
func (p *Planner) Summarize(ctx context.Context, q store.Queryer, day time.Time) (Summary, error) {
	day = date(day)
	yesterday := day.AddDate(0, 0, -1)
	due, err := loan.DueTotal(ctx, q, day, day)
	if err != nil {
		return Summary{}, fmt.Errorf("summary of %s: %w", day.Format(time.DateOnly), err)
	}
	overdue, err := loan.DueTotal(ctx, q, time.Time{}, yesterday)
	if err != nil {
		return Summary{}, fmt.Errorf("summary of %s: %w", day.Format(time.DateOnly), err)
	}
	s := Summary{DueCount: due.Count, DueAmount: due.Unpaid, OverdueCount: overdue.Count, OverdueAmount: overdue.Unpaid}
	// Outbox instants are fixed-width stamps, so text order is time order.
	from := store.Stamp(p.cfg.at(yesterday, TimeOfDay{}))
	to := store.Stamp(p.cfg.at(day, TimeOfDay{}))
	if err := q.QueryRowContext(ctx, `SELECT
		count(*) FILTER (WHERE status = 'sent' AND sent_at >= ?1 AND sent_at < ?2),
		count(*) FILTER (WHERE status = 'failed' AND created_at >= ?1 AND created_at < ?2)
		FROM outbox WHERE key >= 'rem:' AND key < 'rem;' AND key NOT GLOB 'rem:summary:*'`, from, to).
		Scan(&s.SentYesterday, &s.FailedYesterday); err != nil {
		return Summary{}, fmt.Errorf("reminders of %s: %w", yesterday.Format(time.DateOnly), err)
	}
	return s, nil
}
