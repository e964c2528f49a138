package server

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/store/storetest"
)

// A receipt queued to the terminal, or to WhatsApp while serve runs only
// Telegram, shows in /gagal once nothing can deliver it; what serve does
// deliver, and a terminal's reply of a moment ago, are left alone.
func TestUndeliverableNoticesShowInFailed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t, outbox.Schema)
	now := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		for _, it := range []struct {
			ch channel.Name
			at time.Time
		}{{channel.Console, now.Add(-time.Hour)}, {channel.WhatsApp, now.Add(-time.Hour)},
			{channel.Telegram, now.Add(-time.Hour)}, {channel.Console, now.Add(-time.Second)}} {
			if _, err := outbox.Enqueue(ctx, tx, outbox.Item{Reply: channel.Reply{Channel: it.ch, Chat: "x",
				Text: "Kuitansi " + string(it.ch)}}, it.at); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := giveUpUnserved(ctx, db, []channel.Name{channel.Telegram}, now); err != nil {
		t.Fatal(err)
	}
	failed, err := outbox.Failed(ctx, db.R, now.Add(-24*time.Hour), 10)
	if err != nil {
		t.Fatal(err)
	}
	got := map[channel.Name]int{}
	for _, f := range failed {
		got[f.Channel]++
		if f.LastError != whyUnserved {
			t.Errorf("%s: reason %q", f.Channel, f.LastError)
		}
	}
	if len(failed) != 2 || got[channel.Console] != 1 || got[channel.WhatsApp] != 1 {
		t.Fatalf("given up %+v, want the old console and WhatsApp notices", failed)
	}
}
