package whatsapp

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/phone"
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
	// A number that never sent in bulk is watched by WhatsApp: its daily
	// cap starts at WarmupStartCap on its first day of use and rises evenly
	// to BulkDailyCap over WarmupDays. WarmupDays 0 means no warm-up;
	// NewPacer does not fill these in (the settings' defaults do).
	WarmupStartCap int
	WarmupDays     int
}

// DefaultPacing: bulk a message every 8 to 15 s, at most 3,000 a day; a
// reply 1 to 3 s after the question, 3 s apart within a chat.
var DefaultPacing = Pacing{MinInterval: 8 * time.Second, Jitter: 7 * time.Second, ChatGap: 3 * time.Second,
	TypingMin: time.Second, TypingMax: 3 * time.Second, BulkDailyCap: 3000}

// Back-off after WhatsApp refused bulk. A contact who never wrote first
// (error 463) or who drew a rate error is left alone for an hour, doubling
// with each refusal up to two days: until they write, sending again only
// adds to the number's bad record. Rate errors twice in a row mean the
// number itself is over its limit: all bulk waits 15 minutes, doubling up
// to a day. Replies to people who write are never held by either.
const (
	contactBackoff    = time.Hour
	contactBackoffMax = 48 * time.Hour
	numberBackoff     = 15 * time.Minute
	numberBackoffMax  = 24 * time.Hour
	// rateStrikesForNumber rate errors in a row hold the whole number.
	rateStrikesForNumber = 2
	// forgiveAfter is how long after its hold ended a refusal is
	// forgotten: the next one waits an hour again, and a restart drops it.
	forgiveAfter = contactBackoffMax
)

// numberChat is the chat under which Holds keeps the number's own hold.
const numberChat = ""

// Holds keeps what WhatsApp's refusals hold across restarts (in kopbot
// serve, outbox.Holds on the cooperative's number).
type Holds interface {
	// Load drops the holds that ended before forgetBefore and hands each
	// other one to each.
	Load(ctx context.Context, forgetBefore time.Time, each func(chat string, refusals int, until time.Time)) error
	// Put records the hold on bulk to chat (numberChat: the number's)
	// after refusals in a row, until until; refusals 0 removes it.
	Put(ctx context.Context, chat string, refusals int, until time.Time) error
}

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
	firstUse  time.Time // the number's first day of use (midnight, loc); zero: today
	// held are the contacts WhatsApp refused bulk to, with their refusals.
	held        map[string]refusals
	rateStrikes int       // rate errors since the last bulk that went
	numberHeld  time.Time // no bulk at all before this
	// onTyping, when set, is told once per reply that waits out its typing
	// pause, so the member sees "typing…" meanwhile; typed is the reply
	// (by when it was queued) each chat was shown typing for.
	onTyping func(chat string)
	typed    map[string]time.Time
	// keep, when set, is told every change to held, rateStrikes and
	// numberHeld (see Keep); log hears when it fails.
	keep Holds
	log  *slog.Logger
}

type refusals struct {
	until time.Time
	n     int
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
	return &Pacer{pacing: p, loc: loc, jitter: jitter, chats: map[string]time.Time{}, held: map[string]refusals{},
		typed: map[string]time.Time{}, log: slog.Default()}
}

// Keep takes up the holds that WhatsApp's refusals left in h before a
// restart (a contact refused an hour ago is still left alone, a number
// told to slow down still waits) and records every change to them in h
// from now on. Holds that ended more than forgiveAfter before now are
// dropped.
func (p *Pacer) Keep(ctx context.Context, h Holds, now time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	err := h.Load(ctx, now.Add(-forgiveAfter), func(chat string, n int, until time.Time) {
		if chat == numberChat {
			p.rateStrikes, p.numberHeld = n, until
			return
		}
		p.held[chat] = refusals{until: until, n: n}
	})
	if err != nil {
		return err
	}
	p.keep = h
	return nil
}

// kept records chat's hold r (numberChat: the number's) where Keep said.
// A failure is logged, not returned: the hold holds all the same until
// the next restart.
func (p *Pacer) kept(ctx context.Context, chat string, r refusals) {
	if p.keep == nil {
		return
	}
	if err := p.keep.Put(ctx, chat, r.n, r.until); err != nil {
		p.log.WarnContext(ctx, "whatsapp hold not kept for a restart", "chat", phone.Last4(chat), "err", err)
	}
}

// FirstUsed tells the pacer the number's first day of bulk sending (kept
// in the database, so a restart does not start the warm-up again).
func (p *Pacer) FirstUsed(day time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	d := day.In(p.loc)
	p.firstUse = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, p.loc)
}

// SentToday tells the pacer how many bulk messages already went on the day
// of at (before a restart), so the daily cap holds across restarts.
func (p *Pacer) SentToday(at time.Time, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if day := p.dayOf(at); day != p.day || n > p.bulkToday {
		p.day, p.bulkToday = day, n
	}
}

// CapOn is the bulk daily cap on the day of t: the warm-up's while the
// number is fresh, BulkDailyCap after.
func (p *Pacer) CapOn(t time.Time) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.capOn(t)
}

func (p *Pacer) capOn(t time.Time) int {
	full, days := p.pacing.BulkDailyCap, p.pacing.WarmupDays
	if days <= 0 || p.pacing.WarmupStartCap >= full {
		return full
	}
	d := t.In(p.loc)
	n := 0 // days since first use; an unknown first use is today
	if !p.firstUse.IsZero() {
		n = int(time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, p.loc).Sub(p.firstUse).Hours() / 24)
	}
	if n >= days {
		return full
	}
	start := p.pacing.WarmupStartCap
	return start + (full-start)*max(n, 0)/days
}

// Refused books WhatsApp's refusal of bulk to chat at at and says until
// when bulk to it waits: error 463 (the contact never wrote first) or a
// rate error (rate true), which held often enough holds the whole number.
func (p *Pacer) Refused(ctx context.Context, chat string, rate bool, at time.Time) time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	r := p.held[chat]
	if at.Sub(r.until) > forgiveAfter {
		r.n = 0
	}
	r.n++
	r.until = at.Add(doubling(contactBackoff, r.n, contactBackoffMax))
	p.held[chat] = r
	p.kept(ctx, chat, r)
	until := r.until
	if rate {
		p.rateStrikes++
		if k := p.rateStrikes - rateStrikesForNumber + 1; k > 0 {
			p.numberHeld = at.Add(doubling(numberBackoff, k, numberBackoffMax))
			until = later(until, p.numberHeld)
		}
		// A first strike holds nothing yet: kept as held until now.
		p.kept(ctx, numberChat, refusals{n: p.rateStrikes, until: later(p.numberHeld, at)})
	}
	return until
}

// Wrote clears what WhatsApp's refusals held for chat: the contact wrote
// to the number, so messages to them are welcome again.
func (p *Pacer) Wrote(ctx context.Context, chat string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.held[chat]; ok {
		delete(p.held, chat)
		p.kept(ctx, chat, refusals{})
	}
}

// doubling is base after the first of n refusals, doubled for each
// further one, at most ceiling.
func doubling(base time.Duration, n int, ceiling time.Duration) time.Duration {
	d := base
	for i := 1; i < n && d < ceiling; i++ {
		d *= 2
	}
	return min(d, ceiling)
}

// typing is the pause before a reply of n runes.
func (p *Pacer) typing(n int) time.Duration {
	span := p.pacing.TypingMax - p.pacing.TypingMin
	return p.pacing.TypingMin + span*time.Duration(min(n, typingFull))/typingFull
}

// Ready implements channel.Pacer. A reply that must wait for its typing
// pause shows "typing…" once (see onTyping).
func (p *Pacer) Ready(s channel.Slot, now time.Time) time.Time {
	at, typing := p.ready(s, now)
	if typing {
		p.onTyping(s.Chat)
	}
	return at
}

func (p *Pacer) ready(s channel.Slot, now time.Time) (time.Time, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	at := now
	if s.Lane == channel.Interactive {
		at = later(at, s.Queued.Add(p.typing(s.Runes)))
	}
	at = later(at, p.chats[s.Chat])
	if s.Lane == channel.Bulk {
		at = later(later(at, p.bulkNext), later(p.numberHeld, p.held[s.Chat].until))
		if p.dayOf(at) == p.day && p.bulkToday >= p.capOn(at) {
			d := at.In(p.loc)
			at = time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, p.loc)
		}
	}
	typing := s.Lane == channel.Interactive && at.After(now) && p.onTyping != nil && !p.typed[s.Chat].Equal(s.Queued)
	if typing {
		p.typed[s.Chat] = s.Queued
	}
	return at, typing
}

// Sent implements channel.Pacer. A bulk message that went clears the rate
// strikes, and the hold of a contact whose hold had ended.
func (p *Pacer) Sent(ctx context.Context, s channel.Slot, at time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.chats[s.Chat] = later(p.chats[s.Chat], at.Add(p.pacing.ChatGap))
	delete(p.typed, s.Chat)
	if s.Lane == channel.Bulk {
		p.bulkNext = at.Add(p.pacing.MinInterval + p.jitter(p.pacing.Jitter))
		if day := p.dayOf(at); day != p.day {
			p.day, p.bulkToday = day, 0
		}
		p.bulkToday++
		if p.rateStrikes > 0 {
			p.rateStrikes = 0
			p.kept(ctx, numberChat, refusals{})
		}
		if r, ok := p.held[s.Chat]; ok && !r.until.After(at) {
			delete(p.held, s.Chat)
			p.kept(ctx, s.Chat, refusals{})
		}
	}
	channel.ForgetPast(p.chats, at)
}

// Hold implements channel.Pacer.
func (p *Pacer) Hold(chat string, until time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.chats[chat] = later(p.chats[chat], until)
}

// BulkPerDay is how many bulk messages the day of t carries at this
// pacing within a sending window of window: the average pace or the day's
// cap (lower while the number warms up), whichever binds first.
func (p *Pacer) BulkPerDay(t time.Time, window time.Duration) int {
	return min(p.CapOn(t), int(window/(p.pacing.MinInterval+p.pacing.Jitter/2)))
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
