package outbox

import (
	"context"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/store"
)

// Backlog is how many messages wait to go on one channel, by lane.
type Backlog struct {
	Interactive int `json:"interactive"`
	Notice      int `json:"notice"`
	Bulk        int `json:"bulk"`
}

// BulkDays is how many sending days n bulk messages take from the day of
// from, when the day of d carries perDay(d): each day a channel carries is
// counted at its own capacity, so a fresh WhatsApp number's backlog is
// told in the days its warm-up really needs, not at today's low cap. The
// last day counts as the part of it used. A day carrying nothing counts as
// carrying one, as a channel's pace never stops for good.
func BulkDays(n int, from time.Time, perDay func(day time.Time) int) float64 {
	days := 0.0
	for d := 0; n > 0; d++ {
		c := max(perDay(from.AddDate(0, 0, d)), 1)
		if n <= c {
			return days + float64(n)/float64(c)
		}
		days, n = days+1, n-c
	}
	return days
}

// Waiting counts ch's pending messages by lane, off the pending index.
func Waiting(ctx context.Context, q store.Queryer, ch channel.Name) (Backlog, error) {
	var b Backlog
	err := q.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE lane = 1), count(*) FILTER (WHERE lane = 2),
		count(*) FILTER (WHERE lane = 3) FROM outbox WHERE channel = ? AND status = 'pending'`, string(ch)).
		Scan(&b.Interactive, &b.Notice, &b.Bulk)
	if err != nil {
		return Backlog{}, fmt.Errorf("backlog of %s: %w", ch, err)
	}
	return b, nil
}
