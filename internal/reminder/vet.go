package reminder

import (
	"context"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/period"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/store"
)

// Reasons recorded on a dropped reminder.
const (
	DropOptedOut = "opted out"
	DropPaid     = "paid"
)

// Vet is outbox.Filter.Vet: it looks at a reminder again just before it
// goes. A member who opted out since it was queued, or paid what it is
// about, is not written to; outside the sending window it waits for the
// next one. Anything that is not a reminder (receipts, answers) goes.
func (p *Planner) Vet(ctx context.Context, it outbox.Item) (outbox.Verdict, error) {
	k, ok := parseKey(it.Key)
	if !ok {
		return outbox.Verdict{Action: outbox.Send}, nil
	}
	now := p.clk.Now()
	if k.kind != KindSummary {
		why, err := p.moot(ctx, p.db.R, k, now)
		if err != nil {
			return outbox.Verdict{}, fmt.Errorf("vet %s: %w", it.Key, err)
		}
		if why != "" {
			return outbox.Verdict{Action: outbox.Drop, Reason: why}, nil
		}
	}
	if !p.cfg.open(now) {
		return outbox.Verdict{Action: outbox.Hold, Until: p.cfg.nextOpen(now)}, nil
	}
	return outbox.Verdict{Action: outbox.Send}, nil
}

// moot says why a member's reminder should no longer go, or "".
func (p *Planner) moot(ctx context.Context, q store.Queryer, k parsedKey, now time.Time) (string, error) {
	var memberID int64
	paid := false
	switch k.kind {
	case KindInstallment:
		s, err := loan.LoanStatusOf(ctx, q, k.ref, p.cfg.today(now))
		if err != nil {
			return "", err
		}
		memberID, paid = s.MemberID, s.Closed
		for _, in := range s.Schedule {
			if in.No == k.no {
				paid = paid || !in.Unpaid().IsPositive()
			}
		}
	case KindWajib:
		m, err := member.ByNumber(ctx, q, k.ref)
		if err != nil {
			return "", err
		}
		c, err := savings.WajibOf(ctx, q, m.ID, period.Of(k.month), p.cfg.WajibAmount)
		if err != nil {
			return "", err
		}
		memberID, paid = m.ID, c.Covered()
	}
	out, err := OptedOut(ctx, q, memberID)
	switch {
	case err != nil:
		return "", err
	case out:
		return DropOptedOut, nil
	case paid:
		return DropPaid, nil
	}
	return "", nil
}
