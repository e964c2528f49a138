package telegram

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	tt "github.com/kopmem/kopbot/internal/channel/telegram/telegramtest"
)

// sendAll sends n replies concurrently, to chat(i), and returns how long
// they took.
func sendAll(t *testing.T, b *Bot, n int, chat func(i int) string) time.Duration {
	t.Helper()
	began := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			errs <- b.Send(context.Background(), channel.Reply{Chat: chat(i), Text: "pesan " + strconv.Itoa(i)})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return time.Since(began)
}

func TestPacingPerChat(t *testing.T) {
	t.Parallel()
	const n, interval = 50, 20 * time.Millisecond
	srv := tt.New(t)
	cfg := testConfig(srv)
	cfg.PerChatInterval = interval
	d := sendAll(t, newBot(t, cfg, nil), n, func(int) string { return "42" })
	if min := (n - 1) * interval; d < min {
		t.Errorf("%d messages to one chat took %v, want at least %v", n, d, min)
	}
	if got := len(srv.Sent()); got != n {
		t.Errorf("sent %d, want %d", got, n)
	}
}

func TestPacingGlobal(t *testing.T) {
	t.Parallel()
	const n, rate = 30, 100.0 // 10ms apart
	srv := tt.New(t)
	cfg := testConfig(srv)
	cfg.GlobalRate, cfg.PerChatInterval = rate, time.Second
	d := sendAll(t, newBot(t, cfg, nil), n, func(i int) string { return strconv.Itoa(1000 + i) })
	if min := time.Duration(float64(n-1) / rate * float64(time.Second)); d < min {
		t.Errorf("%d messages to different chats took %v, want at least %v", n, d, min)
	}
	// Different chats do not wait for each other's per-chat second.
	if d > 900*time.Millisecond {
		t.Errorf("%d messages to different chats took %v: the per-chat interval leaked across chats", n, d)
	}
}

// TestPacingNoHeadOfLineBlocking: a message waiting for its busy chat must
// not hold the global slot that another chat's message could use.
func TestPacingNoHeadOfLineBlocking(t *testing.T) {
	t.Parallel()
	srv := tt.New(t)
	cfg := testConfig(srv)
	cfg.GlobalRate, cfg.PerChatInterval = 100, 500*time.Millisecond
	b := newBot(t, cfg, nil)
	ctx := context.Background()
	if err := b.Send(ctx, channel.Reply{Chat: "1", Text: "a1"}); err != nil {
		t.Fatal(err)
	}
	go func() { _ = b.Send(ctx, channel.Reply{Chat: "1", Text: "a2"}) }()
	time.Sleep(20 * time.Millisecond) // let a2 start waiting
	began := time.Now()
	if err := b.Send(ctx, channel.Reply{Chat: "2", Text: "b1"}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(began); d > 200*time.Millisecond {
		t.Errorf("message to an idle chat waited %v behind a busy chat", d)
	}
	srv.WaitSent(3, waitLong)
}

func TestPacer429HoldsChat(t *testing.T) {
	t.Parallel()
	p := newPacer(1000, time.Millisecond)
	p.hold("42", time.Now().Add(100*time.Millisecond))
	began := time.Now()
	if err := p.wait(context.Background(), "43"); err != nil || time.Since(began) > 50*time.Millisecond {
		t.Errorf("other chat waited %v (%v)", time.Since(began), err)
	}
	if err := p.wait(context.Background(), "42"); err != nil || time.Since(began) < 100*time.Millisecond {
		t.Errorf("held chat went after %v (%v), want ≥100ms", time.Since(began), err)
	}
}

// BenchmarkSendDefaultPacing measures the production limits (25 msg/s
// overall, 1 s per chat) on 50 chats; see the msgs/s metric.
func BenchmarkSendDefaultPacing(b *testing.B) {
	srv := tt.New(b)
	cfg := testConfig(srv)
	cfg.GlobalRate, cfg.PerChatInterval = 0, 0 // defaults
	bot := newBot(b, cfg, nil)
	ctx := context.Background()
	b.ResetTimer()
	var wg sync.WaitGroup
	for i := range b.N {
		wg.Go(func() {
			if err := bot.Send(ctx, channel.Reply{Chat: strconv.Itoa(1 + i%50), Text: "pesan"}); err != nil {
				b.Error(err)
			}
		})
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
