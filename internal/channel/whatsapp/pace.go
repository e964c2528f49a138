package whatsapp

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/kopmem/kopbot/internal/clock"
)

// Pacing spaces outgoing WhatsApp messages. WhatsApp bans numbers that
// send like machines, so every message waits at least MinInterval after
// the one before it, plus a random part of Jitter, across all chats.
type Pacing struct {
	MinInterval time.Duration
	Jitter      time.Duration
}

// DefaultPacing is a few messages a minute: slow enough to look like a
// busy office, fast enough for replies to arrive while the member waits.
var DefaultPacing = Pacing{MinInterval: 8 * time.Second, Jitter: 7 * time.Second}

// pacer hands out send slots one at a time.
type pacer struct {
	pacing Pacing
	clock  clock.Clock
	sleep  func(ctx context.Context, d time.Duration) error
	jitter func(max time.Duration) time.Duration
	// turn holds one token while a sender waits for its slot, so waiting
	// stays ctx-aware where a mutex would not.
	turn chan struct{}
	next time.Time
}

func newPacer(p Pacing, clk clock.Clock) *pacer {
	return &pacer{pacing: p, clock: clk, sleep: clock.Sleep, jitter: randomUpTo, turn: make(chan struct{}, 1)}
}

// wait blocks until the next message may go, or ctx ends. The first
// message goes at once.
func (p *pacer) wait(ctx context.Context) error {
	select {
	case p.turn <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-p.turn }()
	if d := p.next.Sub(p.clock.Now()); d > 0 {
		if err := p.sleep(ctx, d); err != nil {
			return err
		}
	}
	p.next = p.clock.Now().Add(p.pacing.MinInterval + p.jitter(p.pacing.Jitter))
	return nil
}

func randomUpTo(max time.Duration) time.Duration {
	if max <= 0 {
		return 0
	}
	return rand.N(max + 1)
}
