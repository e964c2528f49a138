package telegram

import (
	"context"
	"sync"
	"time"

	"github.com/kopmem/kopbot/internal/clock"
)

// pacer spaces sends to stay inside Telegram's flood limits: one send per
// gap overall (a token bucket holding one token) and one per perChat in each
// chat. A send first waits until its chat is free and only then takes a
// global slot, so a chat that must wait a second never holds up the others.
type pacer struct {
	gap, perChat time.Duration

	mu     sync.Mutex
	global time.Time            // earliest next send overall
	chats  map[string]time.Time // earliest next send per chat
}

// pruneAt bounds the chats map: past entries are dropped once it is this big.
const pruneAt = 4096

func newPacer(rate float64, perChat time.Duration) *pacer {
	return &pacer{gap: time.Duration(float64(time.Second) / rate), perChat: perChat, chats: map[string]time.Time{}}
}

// wait blocks until chat may receive one more message, and books it.
func (p *pacer) wait(ctx context.Context, chat string) error {
	for {
		p.mu.Lock()
		now := time.Now()
		if next := p.chats[chat]; next.After(now) {
			p.mu.Unlock()
			if err := clock.Sleep(ctx, next.Sub(now)); err != nil {
				return err
			}
			continue
		}
		at := now
		if p.global.After(at) {
			at = p.global
		}
		p.global = at.Add(p.gap)
		p.chats[chat] = at.Add(p.perChat)
		p.prune(now)
		p.mu.Unlock()
		return clock.Sleep(ctx, at.Sub(now))
	}
}

// hold keeps chat quiet until t, after Telegram answered 429 for it.
func (p *pacer) hold(chat string, t time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if t.After(p.chats[chat]) {
		p.chats[chat] = t
	}
}

func (p *pacer) prune(now time.Time) {
	if len(p.chats) < pruneAt {
		return
	}
	for c, t := range p.chats {
		if !t.After(now) {
			delete(p.chats, c)
		}
	}
}
