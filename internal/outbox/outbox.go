// Package outbox is the durable queue of everything kopbot sends. A message
// is queued in the transaction that caused it, so a crash can never leave a
// posted deposit without its receipt, or a receipt for a deposit that was
// rolled back.
package outbox

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/phone"
	"github.com/kopmem/kopbot/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Schema is the outbox table's migrations.
var Schema = store.EmbeddedSchema("outbox", migrations, "migrations")

// Item is one message to send.
type Item struct {
	channel.Reply
	// Key, when set, makes the item go at most once ever: queuing the same
	// key again is a no-op.
	Key string
	// Lane says how urgently it goes; zero means channel.Notice.
	Lane channel.Lane
	// Expires, when set, is when an unsent item is dropped instead: a
	// reminder past its day.
	Expires time.Time
	// Withheld, when set, records the item as never to be sent, for this
	// reason (the member never wrote to the WhatsApp number): kept under its
	// key, so it is counted and listed for the officers, and queued once.
	Withheld string
	// Batch, when set, lets this text go joined with others of its batch
	// (see Batch); Enqueue makes Text of its parts.
	Batch *Batch
}

// Batch makes lines to one chat go as one message: the items of the same
// Group queued within Filter.Burst of each other go as Head once, each
// one's Line in order, Foot once — a member typing ten lines to the
// officers costs the group one message, not ten at its pace. Alone, an
// item's text is Head + Line + Foot.
type Batch struct {
	Group, Head, Line, Foot string
}

// text is the message of lines joined under b's head and foot.
func (b Batch) text(lines ...string) string {
	return b.Head + strings.Join(lines, "\n") + b.Foot
}

// WithheldNoConsent is why a bulk message to a member on WhatsApp is not
// sent: they never wrote to the cooperative's number and were not opted in
// by import. WhatsApp refuses such messages (error 463) and counts them
// against the number.
const WithheldNoConsent = "belum pernah menulis ke nomor WhatsApp koperasi (no consent)"

// Enqueue queues it inside q's transaction. It reports false when an item
// with the same key was queued before.
func Enqueue(ctx context.Context, q store.Queryer, it Item, now time.Time) (bool, error) {
	var buttons any
	if len(it.Buttons) > 0 {
		b, err := json.Marshal(it.Buttons)
		if err != nil {
			return false, fmt.Errorf("enqueue to %s:%s: %w", it.Channel, phone.Last4(it.Chat), err)
		}
		buttons = string(b)
	}
	var attachment any
	if it.Attachment != nil {
		b, err := json.Marshal(it.Attachment)
		if err != nil {
			return false, fmt.Errorf("enqueue to %s:%s: %w", it.Channel, phone.Last4(it.Chat), err)
		}
		attachment = string(b)
	}
	var batch any
	if it.Batch != nil {
		it.Text = it.Batch.text(it.Batch.Line)
		b, err := json.Marshal(it.Batch)
		if err != nil {
			return false, fmt.Errorf("enqueue to %s:%s: %w", it.Channel, phone.Last4(it.Chat), err)
		}
		batch = string(b)
	}
	lane := it.Lane
	if lane == 0 {
		lane = channel.Notice
	}
	var expires any
	if !it.Expires.IsZero() {
		expires = store.Stamp(it.Expires)
	}
	status := "pending"
	if it.Withheld != "" {
		status = "dropped"
	}
	res, err := q.ExecContext(ctx, `INSERT INTO outbox (channel, chat, text, buttons, edit_of, key, reply_to, attachment,
		lane, expires_at, status, last_error, created_at, batch) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (key) DO NOTHING`,
		string(it.Channel), it.Chat, it.Text, buttons, null(it.EditOf), null(it.Key), null(it.ReplyTo), attachment,
		int(lane), expires, status, null(it.Withheld), store.Stamp(now), batch)
	if err != nil {
		return false, fmt.Errorf("enqueue to %s:%s: %w", it.Channel, phone.Last4(it.Chat), err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("enqueue to %s:%s: %w", it.Channel, phone.Last4(it.Chat), err)
	}
	return n == 1, nil
}

// null stores an empty string as NULL, so UNIQUE ignores items without a key.
func null(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// NotBefore keeps the pending item queued under key from going before at:
// a day's bulk spread over the sending window.
func NotBefore(ctx context.Context, q store.Queryer, key string, at time.Time) error {
	if _, err := q.ExecContext(ctx, `UPDATE outbox SET next_try = ? WHERE key = ? AND status = 'pending'`,
		store.Stamp(at), key); err != nil {
		return fmt.Errorf("schedule %s: %w", key, err)
	}
	return nil
}
