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
	"log/slog"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
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
}

// Enqueue queues it inside q's transaction. It reports false when an item
// with the same key was queued before.
func Enqueue(ctx context.Context, q store.Queryer, it Item, now time.Time) (bool, error) {
	var buttons any
	if len(it.Buttons) > 0 {
		b, err := json.Marshal(it.Buttons)
		if err != nil {
			return false, fmt.Errorf("enqueue to %s:%s: %w", it.Channel, it.Chat, err)
		}
		buttons = string(b)
	}
	res, err := q.ExecContext(ctx, `INSERT INTO outbox (channel, chat, text, buttons, edit_of, key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (key) DO NOTHING`, string(it.Channel), it.Chat, it.Text, buttons, null(it.EditOf), null(it.Key), now.UTC().Format(time.RFC3339Nano))
	if err != nil {
		return false, fmt.Errorf("enqueue to %s:%s: %w", it.Channel, it.Chat, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("enqueue to %s:%s: %w", it.Channel, it.Chat, err)
	}
	return n == 1, nil
}

// MaxAttempts bounds how often a failing message is tried before it is
// marked failed for an officer to see.
const MaxAttempts = 5

// Filter selects what Deliver sends.
type Filter struct {
	Channel channel.Name
	// Chat limits delivery to one chat (a terminal seat); "" means all.
	Chat  string
	Limit int
}

// Deliver sends up to f.Limit pending messages, oldest first, marking each
// sent after the sender accepted it. A crash between the two means the
// message goes again on restart: at least once, never lost.
func Deliver(ctx context.Context, db *store.DB, f Filter, s channel.Sender, now func() time.Time) (int, error) {
	rows, err := db.R.QueryContext(ctx, `SELECT id, chat, text, coalesce(buttons, ''), coalesce(edit_of, '') FROM outbox
		WHERE channel = ? AND status = 'pending' AND (? = '' OR chat = ?) ORDER BY id LIMIT ?`,
		string(f.Channel), f.Chat, f.Chat, f.Limit)
	if err != nil {
		return 0, fmt.Errorf("list outbox of %s: %w", f.Channel, err)
	}
	type pending struct {
		id int64
		channel.Reply
	}
	var batch []pending
	for rows.Next() {
		p := pending{Reply: channel.Reply{Channel: f.Channel}}
		var buttons string
		if err := rows.Scan(&p.id, &p.Chat, &p.Text, &buttons, &p.EditOf); err != nil {
			rows.Close()
			return 0, fmt.Errorf("list outbox of %s: %w", f.Channel, err)
		}
		if buttons != "" {
			if err := json.Unmarshal([]byte(buttons), &p.Buttons); err != nil {
				rows.Close()
				return 0, fmt.Errorf("outbox %d: bad buttons: %w", p.id, err)
			}
		}
		batch = append(batch, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("list outbox of %s: %w", f.Channel, err)
	}
	sent := 0
	for _, p := range batch {
		sendErr := s.Send(ctx, p.Reply)
		if err := mark(ctx, db, p.id, sendErr, now()); err != nil {
			return sent, err
		}
		if sendErr != nil {
			slog.WarnContext(ctx, "send failed", "channel", f.Channel, "outbox_id", p.id, "err", sendErr)
			continue
		}
		sent++
	}
	return sent, nil
}

func mark(ctx context.Context, db *store.DB, id int64, sendErr error, now time.Time) error {
	var err error
	if sendErr == nil {
		_, err = db.W.ExecContext(ctx, `UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = ? WHERE id = ?`,
			now.UTC().Format(time.RFC3339Nano), id)
	} else {
		_, err = db.W.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = ?,
			status = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE 'pending' END WHERE id = ?`,
			sendErr.Error(), MaxAttempts, id)
	}
	if err != nil {
		return fmt.Errorf("mark outbox %d: %w", id, err)
	}
	return nil
}

// null stores an empty string as NULL, so UNIQUE ignores items without a key.
func null(s string) any {
	if s == "" {
		return nil
	}
	return s
}
