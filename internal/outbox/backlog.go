package outbox

import (
	"context"
	"fmt"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/store"
)

// Backlog is how many messages wait to go on one channel, by lane.
type Backlog struct {
	Interactive int `json:"interactive"`
	Notice      int `json:"notice"`
	Bulk        int `json:"bulk"`
}

// Days is how many days of capacity the waiting bulk needs when perDay
// bulk messages go a day.
func (b Backlog) Days(perDay int) float64 { return float64(b.Bulk) / float64(max(perDay, 1)) }

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
