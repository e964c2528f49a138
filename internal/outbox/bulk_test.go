package outbox

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
)

// TestBulkGoesWhenItMay: bulk spread over the day is read in the order it
// may go, so messages due now are not kept behind a batch of later ones,
// and a withheld message is recorded but never sent.
func TestBulkGoesWhenItMay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	clk := clock.NewManual(time.Date(2026, 12, 4, 8, 0, 0, 0, clock.Jakarta()))
	later := clk.Now().Add(time.Hour)
	err := db.Write(ctx, func(tx *sql.Tx) error {
		for i := 1; i <= 6; i++ {
			it := Item{Reply: channel.Reply{Channel: channel.WhatsApp, Chat: fmt.Sprintf("chat-%d", i), Text: "pengingat"},
				Key: fmt.Sprintf("rem:%d", i), Lane: channel.Bulk}
			if i == 6 {
				it.Withheld = WithheldNoConsent
			}
			if _, err := Enqueue(ctx, tx, it, clk.Now()); err != nil {
				return err
			}
			if i <= 3 {
				if err := NotBefore(ctx, tx, it.Key, later); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s := &flaky{}
	r, err := DeliverRound(ctx, db, Filter{Channel: channel.WhatsApp, Limit: 2}, s, clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	if got := chats(s.sent); !slices.Equal(got, []string{"chat-4", "chat-5"}) {
		t.Fatalf("sent %v at 08:00; want chat-4 and chat-5, due now, ahead of the three due at 09:00", got)
	}
	if !r.Next.IsZero() {
		t.Errorf("next = %v; want none read (the batch of 2 held only what was due)", r.Next)
	}
	r, err = DeliverRound(ctx, db, Filter{Channel: channel.WhatsApp, Limit: 10}, s, clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.sent) != 2 || !r.Next.Equal(later) {
		t.Fatalf("at 08:00 again: %d sent, next %v; want 2 and %v", len(s.sent), r.Next, later)
	}
	clk.Set(later)
	if _, err := DeliverRound(ctx, db, Filter{Channel: channel.WhatsApp, Limit: 10}, s, clk.Now); err != nil {
		t.Fatal(err)
	}
	if got := chats(s.sent); !slices.Equal(got, []string{"chat-4", "chat-5", "chat-1", "chat-2", "chat-3"}) {
		t.Fatalf("sent %v by 09:00; want the three spread ones then, never the withheld chat-6", got)
	}
	b, err := Waiting(ctx, db.R, channel.WhatsApp)
	if err != nil {
		t.Fatal(err)
	}
	if b.Bulk != 0 {
		t.Errorf("bulk waiting = %d; want 0 (a withheld message does not wait)", b.Bulk)
	}
}

func chats(rs []channel.Reply) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Chat)
	}
	return out
}
