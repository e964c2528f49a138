// Package router takes each inbound message from any channel through the
// same path: record it once, find the member (by phone, or by the Telegram
// account they bound by sharing their contact), let the dialog engine answer
// or, while the member talks to the officers, pass the message on, and queue
// the answer in the outbox, all in one transaction.
package router

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"github.com/kopmem/kopbot/internal/phone"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/dialog"
	"github.com/kopmem/kopbot/internal/i18n"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/kopmem/kopbot/internal/understand"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Schema is the inbox table's migrations.
var Schema = store.EmbeddedSchema("router", migrations, "migrations")

// Messages the router says itself, before any dialog.
const (
	msgNotRegistered = "member.not_registered"
	msgPleaseType    = "dialog.please_type"
	msgError         = "common.error"
	msgStoreGone     = "officer.error.db_gone"
)

// MaxTextRunes is how much of a message is read; a member's real question
// fits many times over, a 10 KB paste is cut rather than refused.
const MaxTextRunes = 1000

// Desk serves the cooperative's staff: officer commands and button presses.
// It works inside the router's transaction and queues its own replies.
type Desk interface {
	// Every message a Desk is given has its text already Cleaned.

	// Serves reports whether m comes from staff (an officer's Telegram
	// account or the officer's terminal seat) rather than a member.
	Serves(m channel.Message) bool
	// Lang is the language of the officer who sent m.
	Lang(m channel.Message) string
	// Read reads, in a read transaction before the writer is taken, what
	// answering m needs and may take long (the whole loan book judged);
	// Answer is given what it returns, nil when m needs nothing read.
	Read(ctx context.Context, tx *sql.Tx, m channel.Message, now time.Time) (any, error)
	Answer(ctx context.Context, tx *sql.Tx, m channel.Message, read any, now time.Time) error
	// Press handles a button press and returns the notice shown to the presser.
	Press(ctx context.Context, tx *sql.Tx, c channel.Callback, now time.Time) (string, error)
	// Relay passes what a member wrote in an open handoff to the officers;
	// msgID identifies the member's message among all channels.
	Relay(ctx context.Context, q store.Queryer, h member.Handoff, m member.Member, msgID, text string, now time.Time) error
	// Forward is Relay for a file the member sent, passed on as it is with
	// its caption.
	Forward(ctx context.Context, q store.Queryer, h member.Handoff, m member.Member, msgID, caption string, file channel.Attachment, now time.Time) error
	// Left tells the officers that the member closed h with text.
	Left(ctx context.Context, q store.Queryer, h member.Handoff, m member.Member, text string, now time.Time) error
	// Prospect answers a number that is no member and asks to join, in
	// lang; name is the name it left, "" when it only asked. "" means no
	// answer (the day's answers are spent).
	Prospect(ctx context.Context, q store.Queryer, msg channel.Message, lang, name string, now time.Time) (string, error)
}

// Router answers messages.
type Router struct {
	db     *store.DB
	engine *dialog.Engine
	msgs   dialog.Localizer
	clock  clock.Clock
	desk   Desk
	proofs Proofs
	// notify tells the senders that the outbox has new messages; a message
	// may queue some for other channels (a member notified on WhatsApp of an
	// officer's decision taken in Telegram).
	notify func()
	// fellBack is told of each message answered by the fallback.
	fellBack func()

	// reach lists the channels whose chats are remembered as where a
	// member is reached (member.Touch): the ones serve delivers. A staff
	// look-up in the terminal (kopbot chat --as) leaves it as it was.
	reach map[channel.Name]bool

	mu    sync.Mutex
	chats map[string]*chatLock
	// direct sends past the outbox, for the one case the outbox cannot be
	// written to: the database file gone (storeGone). warned is when each
	// chat was last told so.
	direct map[channel.Name]channel.Sender
	warned map[string]time.Time
}

type chatLock struct {
	mu   sync.Mutex
	refs int
}

// New returns a router. notify may be nil.
func New(db *store.DB, engine *dialog.Engine, msgs dialog.Localizer, clk clock.Clock, notify func()) *Router {
	if notify == nil {
		notify = func() {}
	}
	return &Router{db: db, engine: engine, msgs: msgs, clock: clk, notify: notify, fellBack: func() {}, chats: map[string]*chatLock{},
		reach:  map[channel.Name]bool{channel.WhatsApp: true, channel.Telegram: true},
		direct: map[channel.Name]channel.Sender{}, warned: map[string]time.Time{}}
}

// SendDirectly lets the router tell ch's chats through s, past the
// outbox, that the database is gone.
func (r *Router) SendDirectly(ch channel.Name, s channel.Sender) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.direct[ch] = s
}

// ReachInTerminal makes a member who chats in the terminal reached there,
// for the demo, whose member lives in the terminal only. Call it before the
// router handles anything.
func (r *Router) ReachInTerminal() { r.reach[channel.Console] = true }

// touch remembers where m wrote from, if that is a channel notices go to.
func (r *Router) touch(ctx context.Context, tx *sql.Tx, m member.Member, msg channel.Message, now time.Time) error {
	if !r.reach[msg.Channel] {
		return nil
	}
	return member.Touch(ctx, tx, m.ID, msg.Channel, msg.Chat, now)
}

// SetDesk routes staff messages and button presses to d. Call it before
// the router handles anything.
func (r *Router) SetDesk(d Desk) { r.desk = d }

// HandleMessage implements channel.Handler.
func (r *Router) HandleMessage(ctx context.Context, m channel.Message) error { return r.Handle(ctx, m) }

// HandleCallback implements channel.Handler: a press is recorded once by its
// id, like a message, so a redelivered update decides nothing twice.
func (r *Router) HandleCallback(ctx context.Context, c channel.Callback) (string, error) {
	if r.desk == nil {
		return "", fmt.Errorf("button %q pressed, but no desk serves buttons", c.Data)
	}
	unlock := r.lock(string(c.Channel) + ":" + c.Chat)
	defer unlock()
	now := r.clock.Now()
	var notice string
	err := r.db.Write(ctx, func(tx *sql.Tx) error {
		if err := record(ctx, tx, channel.Message{Channel: c.Channel, ID: "cb:" + c.ID, Chat: c.Chat, Text: Clean(c.Data)}, "", now); err != nil {
			return err
		}
		var err error
		notice, err = r.desk.Press(ctx, tx, c, now)
		return err
	})
	if errors.Is(err, errSeen) {
		return "", nil
	}
	if err != nil {
		// The presser sees the notice at once, even with the error: the
		// database being gone is worth more than "try again".
		if errors.Is(err, store.ErrMoved) {
			notice = r.msgs.T(r.desk.Lang(channel.Message{Channel: c.Channel, Chat: c.Chat, From: c.From}), msgStoreGone, nil)
		}
		return notice, fmt.Errorf("handle %s button %s: %w", c.Channel, c.Data, err)
	}
	r.notify()
	return notice, nil
}

// Handle answers one message. Messages of one chat are handled one at a
// time in the order their callers arrive; different chats run in parallel.
// A nil error means the message is recorded and its answer queued, so the
// channel may acknowledge it; on error nothing was recorded and a
// redelivery will be handled afresh.
func (r *Router) Handle(ctx context.Context, msg channel.Message) error {
	// Cleaned once, here: the inbox, the dialog and the desk all read it.
	raw := msg.Text
	msg.Text = Clean(raw)
	k := r.keep(ctx, msg)
	key := string(msg.Channel) + ":" + msg.Chat
	unlock := r.lock(key)
	defer unlock()

	now := r.clock.Now()
	// Read before the writer is taken: understanding needs no database,
	// and the one writer is every chat's bottleneck.
	meaning := r.engine.Understand(msg.Text)
	var served string
	staff := r.desk != nil && r.desk.Serves(msg)
	// Officers write announcements and answers in lines; the inbox keeps
	// the message as cleaned for everyone.
	lines := msg
	lines.Text = CleanLines(raw)
	var read any
	var err error
	if staff {
		err = r.db.Read(ctx, func(tx *sql.Tx) (err error) {
			read, err = r.desk.Read(ctx, tx, lines, now)
			return err
		})
	}
	// The message is recorded last, with what it was served, in one
	// statement; a redelivered one finds its row there and the whole
	// transaction is rolled back (errSeen), so it is answered once.
	if err == nil {
		err = r.db.Write(ctx, func(tx *sql.Tx) error {
			served = ""
			if staff {
				if err := r.desk.Answer(ctx, tx, lines, read, now); err != nil {
					return err
				}
				return record(ctx, tx, msg, "", now)
			}
			reply, what, err := r.answer(ctx, tx, key, msg, &meaning, k, now)
			if err != nil {
				return err
			}
			if err := record(ctx, tx, msg, what, now); err != nil {
				return err
			}
			served = what
			if reply.Text == "" && len(reply.Buttons) == 0 {
				return nil
			}
			reply.Channel, reply.Chat = msg.Channel, msg.Chat
			_, err = outbox.Enqueue(ctx, tx, outbox.Item{Reply: reply, Lane: channel.Interactive}, now)
			return err
		})
	}
	if errors.Is(err, errSeen) {
		return nil
	}
	if err != nil {
		slog.ErrorContext(ctx, "handle message failed", "channel", msg.Channel, "chat", phone.Last4(msg.Chat), "id", msg.ID, "err", err)
		if errors.Is(err, store.ErrMoved) {
			r.storeGone(ctx, msg, now)
		} else {
			r.apologize(ctx, msg, now)
		}
		return fmt.Errorf("handle %s message %s: %w", msg.Channel, msg.ID, err)
	}
	if served == dialog.ServedFallback {
		r.fellBack()
	}
	r.notify()
	return nil
}

// OnFallback has fn called once for every member message answered by the
// fallback (nothing understood), after its answer is committed. Call it
// before the router handles anything.
func (r *Router) OnFallback(fn func()) { r.fellBack = fn }

// stranger tells a number that is not a member, once a day, that it is not
// registered; later messages that day get no answer (they are recorded in
// the inbox all the same).
func (r *Router) stranger(ctx context.Context, tx *sql.Tx, msg channel.Message, now time.Time) (channel.Reply, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO strangers (channel, chat, answered_on) VALUES (?, ?, ?)
		ON CONFLICT (channel, chat) DO UPDATE SET answered_on = excluded.answered_on WHERE answered_on < excluded.answered_on`,
		string(msg.Channel), msg.Chat, now.Format(time.DateOnly))
	if err != nil {
		return channel.Reply{}, fmt.Errorf("stranger %s: %w", phone.Last4(msg.Chat), err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return channel.Reply{}, err
	}
	return r.reply(i18n.Default, msgNotRegistered, nil), nil
}

// answer is the reply to a member's message (Channel and Chat left to the
// caller): the dialog's, or, while the member talks to an officer, the
// notice that the message went on; served is what the dialog served ("" for
// none), kept with the message so the officers can see what members ask
// that kopbot did not understand. In a Telegram group (other than the
// officers', which the desk serves) kopbot says nothing at all: whatever
// it answered there, a member's data or a public "write to me privately",
// the whole group would read.
func (r *Router) answer(ctx context.Context, tx *sql.Tx, key string, msg channel.Message, meaning *understand.Meaning, k kept, now time.Time) (reply channel.Reply, served string, err error) {
	if byAccount(msg) && msg.Chat != msg.From {
		return channel.Reply{}, "", nil
	}
	// Whether an officer's question waits for the member's answer comes
	// with the member: only then is a plain message offered as the answer.
	m, asked, err := memberAnd(ctx, tx, msg, loan.Asked)
	switch {
	case errors.Is(err, member.ErrNotFound) && byAccount(msg):
		if reply, joining, err := r.joinByAccount(ctx, tx, msg, meaning, now); err != nil || joining {
			return reply, "", err
		}
		reply, err = r.bind(ctx, tx, key, msg, now)
		return reply, "", err
	case errors.Is(err, member.ErrNotFound):
		if said, joining, err := r.join(ctx, tx, msg, meaning, now); err != nil || joining {
			return channel.Reply{Text: said}, "", err
		}
		reply, err = r.stranger(ctx, tx, msg, now)
		return reply, "", err
	case err != nil:
		return channel.Reply{}, "", err
	}
	if err := r.touch(ctx, tx, m, msg, now); err != nil {
		return channel.Reply{}, "", err
	}
	if msg.Kind == channel.Media {
		said, err := r.media(ctx, tx, m, msg, k, now)
		return channel.Reply{Text: said}, "", err
	}
	text := msg.Text
	if r.proofs != nil {
		if said, done, err := r.proofs.Clarify(ctx, tx, m, text, now); err != nil || done {
			return channel.Reply{Text: said}, "", err
		}
	}
	said, done, err := r.relay(ctx, tx, m, string(msg.Channel)+":"+msg.ID, text, nil, now)
	if err != nil || done {
		return channel.Reply{Text: said}, "", err
	}
	out, err := r.engine.Handle(ctx, dialog.Turn{Q: tx, Chat: key, MessageID: string(msg.Channel) + ":" + msg.ID, Member: m, Asked: asked,
		Text: text, Meaning: meaning, Now: now})
	if err != nil {
		return channel.Reply{}, "", err
	}
	return channel.Reply{Text: joinSaid(said, out.Text), Attachment: out.File}, strings.Join(out.Served, "+"), nil
}

func (r *Router) reply(lang, id string, data any) channel.Reply {
	return channel.Reply{Text: r.msgs.T(lang, id, data)}
}

// joinSaid puts two answers into one message, as the dialog engine does
// with its steps: one bubble per turn on a slow WhatsApp line.
func joinSaid(first, then string) string {
	if first == "" || then == "" {
		return first + then
	}
	return first + "\n\n" + then
}

// apologize tells the member something went wrong, so a failure is never
// silence. The inbound message stays unrecorded, so a redelivery is
// handled again.
func (r *Router) apologize(ctx context.Context, msg channel.Message, now time.Time) {
	err := r.db.Write(ctx, func(tx *sql.Tx) error {
		lang := langOf(MemberOf(ctx, tx, msg))
		_, err := outbox.Enqueue(ctx, tx, outbox.Item{Reply: channel.Reply{Channel: msg.Channel, Chat: msg.Chat, Text: r.msgs.T(lang, msgError, nil)}, Lane: channel.Interactive}, now)
		return err
	})
	if err != nil {
		slog.ErrorContext(ctx, "queue apology failed", "channel", msg.Channel, "chat", phone.Last4(msg.Chat), "err", err)
		return
	}
	r.notify()
}

// storeGoneEvery is how often one chat is told the database is gone: the
// platform redelivers the message until it is handled, every few seconds.
const storeGoneEvery = 10 * time.Minute

// storeGone tells the sender of msg, past the outbox (which lives in the
// database), that nothing was recorded: an officer, that the database
// file is not where kopbot opened it and an admin must restart kopbot on
// the right file; a member, the usual apology. Nothing was written, so the
// redelivered message is handled once kopbot runs on the right file.
func (r *Router) storeGone(ctx context.Context, msg channel.Message, now time.Time) {
	key := string(msg.Channel) + ":" + msg.Chat
	r.mu.Lock()
	s := r.direct[msg.Channel]
	last, seen := r.warned[key]
	tell := s != nil && (!seen || now.Sub(last) >= storeGoneEvery)
	if tell {
		r.warned[key] = now
	}
	r.mu.Unlock()
	if !tell {
		return
	}
	text := r.msgs.T(i18n.Default, msgError, nil)
	if r.desk != nil && r.desk.Serves(msg) {
		text = r.msgs.T(r.desk.Lang(msg), msgStoreGone, nil)
	}
	if err := s.Send(ctx, channel.Reply{Channel: msg.Channel, Chat: msg.Chat, Text: text}); err != nil {
		slog.ErrorContext(ctx, "tell that the database is gone", "channel", msg.Channel, "chat", phone.Last4(msg.Chat), "err", err)
	}
}

// errSeen is record's answer to a message already in the inbox: the
// transaction that handled it again is rolled back.
var errSeen = errors.New("message already handled")

// record keeps msg in the inbox with what it was served ("" for nothing),
// or fails with errSeen when it is there already.
func record(ctx context.Context, tx *sql.Tx, msg channel.Message, served string, now time.Time) error {
	var what any
	if served != "" {
		what = served
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO inbox (channel, platform_id, chat, phone, text, received_at, served) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, string(msg.Channel), msg.ID, msg.Chat, msg.Phone, msg.Text, store.Stamp(now), what)
	if err != nil {
		return fmt.Errorf("record inbound %s: %w", msg.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("record inbound %s: %w", msg.ID, err)
	}
	if n == 0 {
		return errSeen
	}
	return nil
}

// Clean makes typed text safe to read: invalid UTF-8 and control and
// direction-override characters are dropped, line breaks become spaces, and
// the length is bounded.
func Clean(s string) string { return clean(s, false) }

// CleanLines is Clean keeping the line breaks.
func CleanLines(s string) string { return clean(s, true) }

func clean(s string, lines bool) string {
	s = strings.ToValidUTF8(s, "")
	var b strings.Builder
	n := 0
	for _, c := range s {
		if n == MaxTextRunes {
			break
		}
		switch {
		case c == '\n' && lines:
		case c == '\n' || c == '\t':
			c = ' '
		case unicode.IsControl(c), unicode.Is(unicode.Bidi_Control, c):
			continue
		}
		b.WriteRune(c)
		n++
	}
	return strings.TrimSpace(b.String())
}

func (r *Router) lock(key string) func() {
	r.mu.Lock()
	l, ok := r.chats[key]
	if !ok {
		l = &chatLock{}
		r.chats[key] = l
	}
	l.refs++
	r.mu.Unlock()
	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		r.mu.Lock()
		if l.refs--; l.refs == 0 {
			delete(r.chats, key)
		}
		r.mu.Unlock()
	}
}
