package reminder

import (
	"context"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// Summary is the officers' morning view of one sending day: it covers the
// days since the last one, so Monday's covers Saturday and Sunday too, and
// the day after a holiday covers the holiday.
type Summary struct {
	// Since is the previous sending day: what happened after its start
	// and before today's is reported here.
	Since time.Time
	// DueCount installments fell due after Since, up to today; DueAmount
	// is still unpaid on them.
	DueCount  int
	DueAmount decimal.Decimal
	// OverdueCount installments fell due by Since and are unpaid,
	// OverdueAmount on them (principal and interest; denda apart).
	OverdueCount  int
	OverdueAmount decimal.Decimal
	// Sent reminders went out from Since's start to today's (local time);
	// Failed, queued then, were given up on.
	Sent   int
	Failed int
}

// Summarize reads the summary of day (a calendar date) in the cooperative's
// zone. The database sums the installments, so it costs no memory per loan.
func (p *Planner) Summarize(ctx context.Context, q store.Queryer, day time.Time) (Summary, error) {
	day = date(day)
	since := p.cfg.previousDay(day)
	due, err := loan.DueTotal(ctx, q, since.AddDate(0, 0, 1), day)
	if err != nil {
		return Summary{}, fmt.Errorf("summary of %s: %w", day.Format(time.DateOnly), err)
	}
	overdue, err := loan.DueTotal(ctx, q, time.Time{}, since)
	if err != nil {
		return Summary{}, fmt.Errorf("summary of %s: %w", day.Format(time.DateOnly), err)
	}
	s := Summary{Since: since, DueCount: due.Count, DueAmount: due.Unpaid, OverdueCount: overdue.Count, OverdueAmount: overdue.Unpaid}
	// Outbox instants are fixed-width stamps, so text order is time order.
	from := store.Stamp(p.cfg.at(since, TimeOfDay{}))
	to := store.Stamp(p.cfg.at(day, TimeOfDay{}))
	if err := q.QueryRowContext(ctx, `SELECT
		count(*) FILTER (WHERE status = 'sent' AND sent_at >= ?1 AND sent_at < ?2),
		count(*) FILTER (WHERE status = 'failed' AND created_at >= ?1 AND created_at < ?2)
		FROM outbox WHERE key >= 'rem:' AND key < 'rem;' AND key NOT GLOB 'rem:summary:*'`, from, to).
		Scan(&s.Sent, &s.Failed); err != nil {
		return Summary{}, fmt.Errorf("reminders since %s: %w", since.Format(time.DateOnly), err)
	}
	return s, nil
}
