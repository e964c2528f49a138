package outbox

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
)

type refusing struct{}

func (refusing) Send(context.Context, channel.Reply) error {
	return fmt.Errorf("bot was blocked: %w", channel.ErrPermanent)
}

func TestFailedListsGivenUpMessages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	queued := time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC)
	long := "Yth. Anggota 1,\nangsuran ke-1 pinjaman PJ-2611-0001 sebesar *Rp118.000* akan jatuh tempo pada *07/12/2026*."
	err := db.Write(ctx, func(q *sql.Tx) error {
		for i, it := range []Item{
			{Reply: channel.Reply{Channel: channel.Telegram, Chat: "1", Text: long}, Key: "rem:inst:PJ-2611-0001:1:-3"},
			{Reply: channel.Reply{Channel: channel.Telegram, Chat: "2", Text: "Tanda terima"}},
		} {
			if _, err := Enqueue(ctx, q, it, queued.Add(time.Duration(i)*time.Second)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Deliver(ctx, db, Filter{Channel: channel.Telegram, Limit: 10}, refusing{}, time.Now); err != nil {
		t.Fatal(err)
	}
	got, err := Failed(ctx, db.R, queued, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Chat != "2" || got[1].Key != "rem:inst:PJ-2611-0001:1:-3" {
		t.Fatalf("Failed = %+v", got)
	}
	r := got[1]
	if r.Attempts != 1 || !strings.Contains(r.LastError, "blocked") || !r.Created.Equal(queued) ||
		strings.Contains(r.Excerpt, "\n") || !strings.HasSuffix(r.Excerpt, "…") || len([]rune(r.Excerpt)) != excerptRunes {
		t.Errorf("failed reminder = %+v", r)
	}
	if later, err := Failed(ctx, db.R, queued.Add(time.Second), 10); err != nil || len(later) != 1 {
		t.Errorf("since a second later: %d, %v; want the receipt only", len(later), err)
	}
	if one, err := Failed(ctx, db.R, queued, 1); err != nil || len(one) != 1 {
		t.Errorf("limit 1: %d, %v", len(one), err)
	}
}
