package reminder

import (
	"context"
	"log/slog"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/channel/telegram"
	"github.com/kopmem/kopbot/internal/channel/telegram/telegramtest"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/outbox"
)

// TestPacing plans 1,000 wajib reminders for members who chat on Telegram,
// five to each of 200 chats, and delivers them through the real adapter
// against the fake Bot API. Both limits bind: a round through the 200
// chats at the global rate is quicker than the per-chat interval. The
// fake's arrival times must keep both.
func TestPacing(t *testing.T) {
	t.Parallel()
	const (
		members  = 1000
		chats    = 200
		rate     = 500.0 // messages per second overall: 2ms apart
		perChat  = 500 * time.Millisecond
		jitter   = 20 * time.Millisecond // HTTP on loopback, under -race
		window   = 50                    // messages per rate check
		interval = time.Duration(float64(time.Second) / rate)
	)
	ctx := context.Background()
	db := openDB(t, telegram.Schema)
	newMembers(t, db, members, channel.Telegram, func(i int) string { return strconv.Itoa(10_000 + i%chats) })
	clk := clock.NewManual(at(time.December, 7, 9, 0))
	cfg := testConfig()
	cfg.OfficerGroup = member.Address{} // no summary: members only
	p, err := NewPlanner(db, bundle(t), clk, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := p.Plan(ctx); err != nil || res.Queued != members {
		t.Fatalf("planned %d, %v; want %d", res.Queued, err, members)
	}

	srv := telegramtest.New(t)
	bot, err := telegram.New(ctx, telegram.Config{Token: telegramtest.Token, APIEndpoint: srv.Endpoint(),
		GlobalRate: rate, PerChatInterval: perChat, Logger: slog.New(slog.DiscardHandler)}, db, clock.System{})
	if err != nil {
		t.Fatal(err)
	}
	// The outbox paces by the bot's Pacer in real time, from the manual
	// clock's morning: rounds run as serve's pump runs them.
	began := time.Now()
	now := func() time.Time { return clk.Now().Add(time.Since(began)) }
	f := outbox.Filter{Channel: channel.Telegram, Limit: 100, Vet: p.Vet, Pacer: bot.Pacer()}
	for {
		r, err := outbox.DeliverRound(ctx, db, f, bot, now)
		if err != nil {
			t.Fatal(err)
		}
		if r.Sent == 0 && r.Next.IsZero() {
			break
		}
		time.Sleep(r.Next.Sub(now()))
	}
	sent := srv.Sent()
	if len(sent) != members {
		t.Fatalf("the fake received %d, want %d", len(sent), members)
	}
	sort.SliceStable(sent, func(i, j int) bool { return sent[i].At.Before(sent[j].At) })
	last := map[int64]time.Time{}
	for _, m := range sent {
		if prev, ok := last[m.ChatID]; ok && m.At.Sub(prev) < perChat-jitter {
			t.Errorf("chat %d: %v between two messages, want at least %v", m.ChatID, m.At.Sub(prev), perChat)
		}
		last[m.ChatID] = m.At
	}
	for i := 0; i+window < len(sent); i++ {
		if d := sent[i+window].At.Sub(sent[i].At); d < window*interval-jitter {
			t.Fatalf("messages %d–%d: %d in %v, faster than %v per second", i, i+window, window, d, rate)
		}
	}
	total := sent[len(sent)-1].At.Sub(sent[0].At)
	t.Logf("%d messages to %d chats in %v", len(sent), chats, total)
}
