package telegram

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	tt "github.com/kopmem/kopbot/internal/channel/telegram/telegramtest"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/store"
)

// TestSimulatedTelegramMorning is the delivery simulation on Telegram: a
// wajib H-3 morning of 2,000 members reminded on Telegram at 08:00, 50
// members asking three times each from 08:05 and one group the officers
// get a notice in every minute, sent by the real outbox, pacer and bot
// through a Bot API server at the default limits (25/s, 1/s a private
// chat), the clock jumping to what comes next. A member's answer is
// queued when the question comes in, as the router does.
func TestSimulatedTelegramMorning(t *testing.T) {
	if testing.Short() || raceOn {
		t.Skip("sends 2,000 messages through a Bot API server, each claimed and marked durably: a minute, ten under the race detector")
	}
	t.Parallel()
	ctx := context.Background()
	srv := tt.New(t)
	cfg := testConfig(srv)
	cfg.GlobalRate, cfg.PerChatInterval = 25, time.Second
	b := newBot(t, cfg, nil)
	db := outboxDB(t)
	start := time.Date(2026, 12, 7, 8, 0, 0, 0, clock.Jakarta())
	clk := clock.NewManual(start)
	const members, chatting = 2000, 50
	enqueue := func(at time.Time, its ...outbox.Item) {
		err := db.Write(ctx, func(tx *sql.Tx) error {
			for _, it := range its {
				it.Channel = channel.Telegram
				if _, err := outbox.Enqueue(ctx, tx, it, at); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	reminders := make([]outbox.Item, members)
	for i := range reminders {
		reminders[i] = outbox.Item{Reply: channel.Reply{Chat: fmt.Sprint(100000 + i), Text: "Pengingat simpanan wajib"},
			Key: fmt.Sprintf("rem:%d", i), Lane: channel.Bulk}
	}
	enqueue(start, reminders...)
	type question struct {
		at   time.Time
		item outbox.Item
	}
	var qs []question
	for i := 1; i <= chatting; i++ {
		for k := range 3 {
			qs = append(qs, question{start.Add(5*time.Minute + time.Duration(i)*7*time.Second + time.Duration(k)*20*time.Second),
				outbox.Item{Reply: channel.Reply{Chat: fmt.Sprint(100000 + i), Text: fmt.Sprintf("Saldo %d-%d", i, k)}, Lane: channel.Interactive}})
		}
	}
	for m := range 30 {
		qs = append(qs, question{start.Add(time.Duration(m) * time.Minute),
			outbox.Item{Reply: channel.Reply{Chat: "-100777", Text: fmt.Sprintf("Pemberitahuan %d", m)}, Lane: channel.Notice}})
	}
	sort.SliceStable(qs, func(i, j int) bool { return qs[i].at.Before(qs[j].at) })

	f := outbox.Filter{Channel: channel.Telegram, Limit: 100, Pacer: b.Pacer()}
	end := start.Add(time.Hour)
	for clk.Now().Before(end) {
		for len(qs) > 0 && !qs[0].at.After(clk.Now()) {
			enqueue(qs[0].at, qs[0].item)
			qs = qs[1:]
		}
		r, err := outbox.DeliverRound(ctx, db, f, b, clk.Now)
		if err != nil {
			t.Fatal(err)
		}
		if r.Sent > 0 {
			continue
		}
		next := clk.Now().Add(5 * time.Second) // the pump's idle poll
		if !r.Next.IsZero() && r.Next.Before(next) {
			next = r.Next
		}
		if len(qs) > 0 && qs[0].at.Before(next) {
			next = qs[0].at
		}
		if len(qs) == 0 && r.Next.IsZero() {
			break
		}
		clk.Set(next)
	}
	answers := waits(t, db, channel.Interactive)
	notices := waits(t, db, channel.Notice)
	var last string
	if err := db.R.QueryRow(`SELECT max(sent_at) FROM outbox WHERE lane = 3`).Scan(&last); err != nil {
		t.Fatal(err)
	}
	lastAt, _ := time.Parse(time.RFC3339Nano, last)
	t.Logf("Telegram: %d answers p50 %v p99 %v; notices p99 %v; last of %d reminders at %s",
		len(answers), pct(answers, 0.5), pct(answers, 0.99), pct(notices, 0.99), members, lastAt.In(clock.Jakarta()).Format("15:04:05"))
	if len(answers) != chatting*3 {
		t.Fatalf("%d answers sent; want %d", len(answers), chatting*3)
	}
	if p99 := pct(answers, 0.99); p99 > 1500*time.Millisecond {
		t.Errorf("a member's answer waits %v at p99 on Telegram; want at most 1.5s", p99)
	}
	if n := len(srv.Sent()); n != members+chatting*3+30 {
		t.Errorf("%d messages reached Telegram; want %d", n, members+chatting*3+30)
	}
}

// waits are how long each sent message of lane waited in the outbox.
func waits(t *testing.T, db *store.DB, lane channel.Lane) []time.Duration {
	t.Helper()
	rows, err := db.R.Query(`SELECT created_at, sent_at FROM outbox WHERE lane = ? AND status = 'sent'`, int(lane))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []time.Duration
	for rows.Next() {
		var c, s string
		if err := rows.Scan(&c, &s); err != nil {
			t.Fatal(err)
		}
		ct, err1 := time.Parse(time.RFC3339Nano, c)
		st, err2 := time.Parse(time.RFC3339Nano, s)
		if err1 != nil || err2 != nil {
			t.Fatalf("stamps %q %q", c, s)
		}
		out = append(out, st.Sub(ct))
	}
	return out
}

// pct is the p-th percentile of ds.
func pct(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(p*float64(len(s))))]
}
