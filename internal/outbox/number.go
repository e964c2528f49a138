package outbox

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/phone"
	"github.com/kopmem/kopbot/internal/store"
)

// FirstUse records that number sends on ch from now, unless it did
// before, and says since when it does: a fresh number's bulk cap warms up
// from that day.
func FirstUse(ctx context.Context, db *store.DB, ch channel.Name, number string, now time.Time) (time.Time, error) {
	var first string
	err := db.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sender_numbers (channel, number, first_used) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, string(ch), number, store.Stamp(now)); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT first_used FROM sender_numbers WHERE channel = ? AND number = ?`,
			string(ch), number).Scan(&first)
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("first use of %s number %s: %w", ch, phone.Last4(number), err)
	}
	t, err := time.Parse(time.RFC3339Nano, first)
	if err != nil {
		return time.Time{}, fmt.Errorf("first use of %s number %s: %q: %w", ch, phone.Last4(number), first, err)
	}
	return t, nil
}

// BulkSentSince counts the bulk messages sent on ch from since: what a
// restarted sender has already spent of the day's cap.
func BulkSentSince(ctx context.Context, q store.Queryer, ch channel.Name, since time.Time) (int, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE channel = ? AND lane = 3 AND status = 'sent' AND sent_at >= ?`,
		string(ch), store.Stamp(since)).Scan(&n); err != nil {
		return 0, fmt.Errorf("bulk sent on %s since %s: %w", ch, since.Format(time.RFC3339), err)
	}
	return n, nil
}
