package whatsapp

import (
	"math/rand/v2"
	"sync"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
)

// Pacing spaces outgoing WhatsApp messages by lane. WhatsApp bans numbers
// that send like machines, above all bulk to many chats, so bulk keeps a
// slow, jittered pace across all chats and a daily cap. A reply to someone
// who just wrote goes after a short pause, as a person typing it would, and
// never sooner than ChatGap after the chat's previous message: answering
// the person in front of you quickly is what a busy office does too.
type Pacing struct {
	// MinInterval plus a random part of Jitter separates two bulk
	// messages, across all chats.
	MinInterval time.Duration
	Jitter      time.Duration
	// ChatGap is the least time between two messages to one chat, any lane.
	ChatGap time.Duration
	// TypingMin is the pause before the shortest reply, TypingMax before
	// one of typingFull runes or more, counted from the message it answers.
	TypingMin, TypingMax time.Duration
	// BulkDailyCap is the most bulk messages a day (the cooperative's
	// calendar day); what is over waits for the next day.
	BulkDailyCap int
}

// DefaultPacing: bulk a message every 8 to 15 s, at most 3,000 a day; a
// reply 1 to 3 s after the question, 3 s apart within a chat.
var DefaultPacing = Pacing{MinInterval: 8 * time.Second, Jitter: 7 * time.Second, ChatGap: 3 * time.Second,
	TypingMin: time.Second, TypingMax: 3 * time.Second, BulkDailyCap: 3000}

// typingFull is the length at which a reply takes TypingMax to "type".
const typingFull = 400

// Pacer is WhatsApp's channel.Pacer. It never waits itself: the outbox asks
// when a message may go and goes on to other chats meanwhile.
type Pacer struct {
	pacing Pacing
	loc    *time.Location
	jitter func(max time.Duration) time.Duration

	mu        sync.Mutex
	chats     map[string]time.Time // earliest next message per chat
	bulkNext  time.Time            // earliest next bulk message overall
	day       string               // the day bulkToday counts
	bulkToday int
}

var _ channel.Pacer = (*Pacer)(nil)

// NewPacer paces by p, counting days in loc (clock.Jakarta() when nil);
// zero fields of p take DefaultPacing's. jitter draws from [0, max]; nil
// means at random.
func NewPacer(p Pacing, loc *time.Location, jitter func(max time.Duration) time.Duration) *Pacer {
	d := DefaultPacing
	if p.MinInterval <= 0 {
		p.MinInterval, p.Jitter = d.MinInterval, d.Jitter
	}
	if p.ChatGap <= 0 {
		p.ChatGap = d.ChatGap
	}
	if p.TypingMax <= 0 {
		p.TypingMin, p.TypingMax = d.TypingMin, d.TypingMax
	}
	if p.BulkDailyCap <= 0 {
		p.BulkDailyCap = d.BulkDailyCap
	}
	if loc == nil {
		loc = clock.Jakarta()
	}
	if jitter == nil {
		jitter = randomUpTo
	}
	return &Pacer{pacing: p, loc: loc, jitter: jitter, chats: map[string]time.Time{}}
}

// typing is the pause before a reply of n runes.
func (p *Pacer) typing(n int) time.Duration {
	span := p.pacing.TypingMax - p.pacing.TypingMin
	return p.pacing.TypingMin + span*time.Duration(min(n, typingFull))/typingFull
}

// Ready implements channel.Pacer.
func (p *Pacer) Ready(s channel.Slot, now time.Time) time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	at := now
	if s.Lane == channel.Interactive {
		at = later(at, s.Queued.Add(p.typing(s.Runes)))
	}
	at = later(at, p.chats[s.Chat])
	if s.Lane == channel.Bulk {
		at = later(at, p.bulkNext)
		if p.dayOf(at) == p.day && p.bulkToday >= p.pacing.BulkDailyCap {
			d := at.In(p.loc)
			at = time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, p.loc)
		}
	}
	return at
}

// Sent implements channel.Pacer.
func (p *Pacer) Sent(s channel.Slot, at time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.chats[s.Chat] = later(p.chats[s.Chat], at.Add(p.pacing.ChatGap))
	if s.Lane == channel.Bulk {
		p.bulkNext = at.Add(p.pacing.MinInterval + p.jitter(p.pacing.Jitter))
		if day := p.dayOf(at); day != p.day {
			p.day, p.bulkToday = day, 0
		}
		p.bulkToday++
	}
	channel.ForgetPast(p.chats, at)
}

// Hold implements channel.Pacer.
func (p *Pacer) Hold(chat string, until time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.chats[chat] = later(p.chats[chat], until)
}

// BulkPerDay is how many bulk messages one day carries at this pacing
// within a sending window of window: the average pace or the daily cap,
// whichever binds first.
func (p *Pacer) BulkPerDay(window time.Duration) int {
	return min(p.pacing.BulkDailyCap, int(window/(p.pacing.MinInterval+p.pacing.Jitter/2)))
}

func (p *Pacer) dayOf(t time.Time) string { return t.In(p.loc).Format(time.DateOnly) }

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func randomUpTo(max time.Duration) time.Duration {
	if max <= 0 {
		return 0
	}
	return rand.N(max + 1)
}
