package telegram

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
)

// Pacer is Telegram's channel.Pacer: one message per gap overall, one per
// perChat in a private chat and one per perGroup in a group (Telegram's
// limits: about 30 a second overall, one a second per chat, 20 a minute per
// group), and a chat Telegram answered 429 for stays quiet for as long as
// it asked, while the other chats go on.
type Pacer struct {
	gap, perChat, perGroup time.Duration

	mu     sync.Mutex
	global time.Time            // earliest next send overall
	chats  map[string]time.Time // earliest next send per chat
}

var _ channel.Pacer = (*Pacer)(nil)

func newPacer(rate float64, perChat, perGroup time.Duration) *Pacer {
	return &Pacer{gap: time.Duration(float64(time.Second) / rate), perChat: perChat, perGroup: perGroup,
		chats: map[string]time.Time{}}
}

// Ready implements channel.Pacer.
func (p *Pacer) Ready(s channel.Slot, now time.Time) time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	at := now
	for _, t := range []time.Time{p.global, p.chats[s.Chat]} {
		if t.After(at) {
			at = t
		}
	}
	return at
}

// Sent implements channel.Pacer.
func (p *Pacer) Sent(_ context.Context, s channel.Slot, at time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.global = at.Add(p.gap)
	every := p.perChat
	if strings.HasPrefix(s.Chat, "-") { // groups and channels have negative ids
		every = p.perGroup
	}
	if next := at.Add(every); next.After(p.chats[s.Chat]) {
		p.chats[s.Chat] = next
	}
	channel.ForgetPast(p.chats, at)
}

// Hold implements channel.Pacer.
func (p *Pacer) Hold(chat string, until time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if until.After(p.chats[chat]) {
		p.chats[chat] = until
	}
}
