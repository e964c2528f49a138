// Package router takes each inbound message from any channel through the
// same path: record it once, find the member, let the dialog engine answer,
// and queue the answer in the outbox, all in one transaction.
package router

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/dialog"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/store"
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
)

// MaxTextRunes is how much of a message is read; a member's real question
// fits many times over, a 10 KB paste is cut rather than refused.
const MaxTextRunes = 1000

// Router answers messages.
type Router struct {
	db     *store.DB
	engine *dialog.Engine
	msgs   dialog.Localizer
	clock  clock.Clock
	// notify tells a channel's sender that its outbox has new messages.
	notify func(channel.Name)

	mu    sync.Mutex
	chats map[string]*chatLock
}

type chatLock struct {
	mu   sync.Mutex
	refs int
}

// New returns a router. notify may be nil.
func New(db *store.DB, engine *dialog.Engine, msgs dialog.Localizer, clk clock.Clock, notify func(channel.Name)) *Router {
	if notify == nil {
		notify = func(channel.Name) {}
	}
	return &Router{db: db, engine: engine, msgs: msgs, clock: clk, notify: notify, chats: map[string]*chatLock{}}
}

// Handle answers one message. Messages of one chat are handled one at a
// time in the order their callers arrive; different chats run in parallel.
// A nil error means the message is recorded and its answer queued, so the
// channel may acknowledge it; on error nothing was recorded and a
// redelivery will be handled afresh.
func (r *Router) Handle(ctx context.Context, msg channel.Message) error {
	key := string(msg.Channel) + ":" + msg.Chat
	unlock := r.lock(key)
	defer unlock()

	now := r.clock.Now()
	err := r.db.Write(ctx, func(tx *sql.Tx) error {
		fresh, err := record(ctx, tx, msg, now)
		if err != nil || !fresh {
			return err
		}
		text, err := r.answer(ctx, tx, key, msg, now)
		if err != nil {
			return err
		}
		_, err = outbox.Enqueue(ctx, tx, outbox.Item{Reply: channel.Reply{Channel: msg.Channel, Chat: msg.Chat, Text: text}}, now)
		return err
	})
	if err != nil {
		slog.ErrorContext(ctx, "handle message failed", "channel", msg.Channel, "chat", msg.Chat, "id", msg.ID, "err", err)
		r.apologize(ctx, msg, now)
		return fmt.Errorf("handle %s message %s: %w", msg.Channel, msg.ID, err)
	}
	r.notify(msg.Channel)
	return nil
}

func (r *Router) answer(ctx context.Context, tx *sql.Tx, key string, msg channel.Message, now time.Time) (string, error) {
	m, err := member.ByPhone(ctx, tx, msg.Phone)
	if errors.Is(err, member.ErrNotFound) || msg.Phone == "" {
		return r.msgs.T("id", msgNotRegistered, nil), nil
	}
	if err != nil {
		return "", err
	}
	if msg.Kind == channel.Media {
		return r.msgs.T(m.Lang, msgPleaseType, map[string]any{"Name": m.Name}), nil
	}
	return r.engine.Handle(ctx, dialog.Turn{Q: tx, Chat: key, Member: m, Text: Clean(msg.Text), Now: now})
}

// apologize tells the member something went wrong, so a failure is never
// silence. The inbound message stays unrecorded, so a redelivery is
// handled again.
func (r *Router) apologize(ctx context.Context, msg channel.Message, now time.Time) {
	err := r.db.Write(ctx, func(tx *sql.Tx) error {
		lang := "id"
		if m, err := member.ByPhone(ctx, tx, msg.Phone); err == nil {
			lang = m.Lang
		}
		_, err := outbox.Enqueue(ctx, tx, outbox.Item{Reply: channel.Reply{Channel: msg.Channel, Chat: msg.Chat, Text: r.msgs.T(lang, msgError, nil)}}, now)
		return err
	})
	if err != nil {
		slog.ErrorContext(ctx, "queue apology failed", "channel", msg.Channel, "chat", msg.Chat, "err", err)
		return
	}
	r.notify(msg.Channel)
}

func record(ctx context.Context, tx *sql.Tx, msg channel.Message, now time.Time) (bool, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO inbox (channel, platform_id, chat, phone, text, received_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, string(msg.Channel), msg.ID, msg.Chat, msg.Phone, Clean(msg.Text), now.UTC().Format(time.RFC3339Nano))
	if err != nil {
		return false, fmt.Errorf("record inbound %s: %w", msg.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("record inbound %s: %w", msg.ID, err)
	}
	return n == 1, nil
}

// Clean makes typed text safe to read: invalid UTF-8 and control and
// direction-override characters are dropped, and the length is bounded.
func Clean(s string) string {
	s = strings.ToValidUTF8(s, "")
	var b strings.Builder
	n := 0
	for _, c := range s {
		if n == MaxTextRunes {
			break
		}
		switch {
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
