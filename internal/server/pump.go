package server

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/reminder"
	"github.com/kopmem/kopbot/internal/store"
)

// pumpBatch is how many messages one delivery round takes; the channel's
// own pacing decides how fast they actually go.
const pumpBatch = 50

// idlePoll is how often an idle pump looks again without being woken: held
// reminders and backed-off retries come due by the clock, not by news.
const idlePoll = 5 * time.Second

// waker fans one "the outbox has news" out to every pump, never blocking
// the transaction that caused it.
type waker struct {
	mu    sync.Mutex
	pumps []chan struct{}
}

func (w *waker) add() <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	ch := make(chan struct{}, 1)
	w.pumps = append(w.pumps, ch)
	return ch
}

func (w *waker) wake() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, ch := range w.pumps {
		select {
		case ch <- struct{}{}:
		default: // already woken
		}
	}
}

// pump delivers one channel's outbox until ctx ends. A round sends what
// its pacing lets go now; the pump then sleeps until the earliest waiting
// message may go, news arrives, or idlePoll passes.
func pump(ctx context.Context, db *store.DB, f outbox.Filter, s channel.Sender, clk clock.Clock, wake <-chan struct{}) {
	f.Limit = pumpBatch
	for {
		r, err := outbox.DeliverRound(ctx, db, f, s, clk.Now)
		if err != nil && ctx.Err() == nil {
			slog.ErrorContext(ctx, "outbox delivery", "channel", f.Channel, "err", err)
		}
		if r.Sent > 0 && err == nil {
			continue // more may be waiting
		}
		wait := idlePoll
		if !r.Next.IsZero() {
			wait = min(wait, max(r.Next.Sub(clk.Now()), minWait))
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-time.After(wait):
		}
	}
}

// minWait keeps a pump whose next message is due "now" from spinning.
const minWait = 10 * time.Millisecond

// planEvery is how often the planner looks for reminders come due; it
// queues each once, so looking often costs little and a restart loses
// nothing.
const planEvery = time.Minute

// plan runs the reminder planner until ctx ends, waking the pumps when it
// queued something.
func plan(ctx context.Context, p *reminder.Planner, wake func()) {
	for {
		res, err := p.Plan(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			slog.ErrorContext(ctx, "plan reminders", "err", err)
		case res.Queued > 0:
			slog.InfoContext(ctx, "reminders queued", "count", res.Queued)
			wake()
		}
		if clock.Sleep(ctx, planEvery) != nil {
			return
		}
	}
}
