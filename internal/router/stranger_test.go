package router_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
)

// TestStrangerAnsweredOncePerDay: a number that is not a member floods
// kopbot; it is told once that day that it is not registered, every message
// is still recorded, and the next day it is told once more.
func TestStrangerAnsweredOncePerDay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// 23:30 in Jakarta: the stranger's day turns half an hour later.
	clk := clock.NewManual(time.Date(2026, 12, 7, 16, 30, 0, 0, time.UTC))
	a, err := app.Open(ctx, filepath.Join(t.TempDir(), "k.db"), app.Options{Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	const stranger = "6289999999999@s.whatsapp.net"
	say := func(id, chat, text string) {
		t.Helper()
		if err := a.Router.Handle(ctx, channel.Message{Channel: channel.WhatsApp, ID: id, Chat: chat, From: chat,
			Phone: chat[:13], Text: text, Kind: channel.Text}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 20 {
		say(fmt.Sprintf("s%d", i), stranger, "halo")
		clk.Advance(time.Minute)
	}
	if got := deliver(t, a, channel.WhatsApp); len(got) != 1 {
		t.Fatalf("20 messages on one day answered %d times, want once", len(got))
	}
	var recorded int
	if err := a.DB.R.QueryRow(`SELECT count(*) FROM inbox WHERE chat = ?`, stranger).Scan(&recorded); err != nil || recorded != 20 {
		t.Fatalf("%d recorded (%v), want all 20", recorded, err)
	}
	clk.Advance(20 * time.Minute) // 00:10 the next day in Jakarta
	say("s-next", stranger, "halo lagi")
	say("s-next2", stranger, "halo?")
	if got := deliver(t, a, channel.WhatsApp); len(got) != 1 {
		t.Fatalf("the next day answered %d times, want once", len(got))
	}
}
