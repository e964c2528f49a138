package outbox

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/store"
)

func TestFirstUseIsKeptAndBulkSentIsCounted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	day1 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		number string
		now    time.Time
		want   time.Time
	}{
		{"6281100000001", day1, day1},
		{"6281100000001", day1.AddDate(0, 0, 5), day1}, // a restart: the warm-up goes on
		{"6281100000002", day1.AddDate(0, 0, 5), day1.AddDate(0, 0, 5)},
	} {
		got, err := FirstUse(ctx, db, channel.WhatsApp, c.number, c.now)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(c.want) {
			t.Errorf("first use of %s at %v = %v; want %v", c.number, c.now, got, c.want)
		}
	}
	err := db.Write(ctx, func(tx *sql.Tx) error {
		for i, lane := range []channel.Lane{channel.Bulk, channel.Bulk, channel.Interactive, channel.Bulk} {
			if _, err := Enqueue(ctx, tx, Item{Reply: channel.Reply{Channel: channel.WhatsApp, Chat: "c", Text: "x"}, Lane: lane}, day1); err != nil {
				return err
			}
			sentAt := day1.Add(time.Duration(i) * time.Hour)
			if i == 0 {
				sentAt = day1.Add(-24 * time.Hour) // yesterday's
			}
			if _, err := tx.Exec(`UPDATE outbox SET status = 'sent', sent_at = ? WHERE id = ?`, store.Stamp(sentAt), i+1); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	n, err := BulkSentSince(ctx, db.R, channel.WhatsApp, day1)
	if err != nil || n != 2 {
		t.Errorf("bulk sent since %v = %d (%v); want 2: today's bulk, not yesterday's or a reply", day1, n, err)
	}
}
