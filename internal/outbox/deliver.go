package outbox

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/store"
)

// MaxAttempts bounds how often a failing message is tried before it is
// marked failed for an officer to see.
const MaxAttempts = 5

// Backoff after the n-th failed attempt: 10s, 20s, 40s, … at most 30 minutes.
func backoff(attempts int) time.Duration {
	return min(10*time.Second<<max(attempts-1, 0), 30*time.Minute)
}

// Verdict is what a Vet says of a keyed message about to go.
type Verdict struct {
	Action Action
	// Until is when a held message is looked at again.
	Until time.Time
	// Reason is recorded for a dropped message.
	Reason string
}

// Action is a Vet's decision.
type Action int

// The three decisions.
const (
	Send Action = iota
	// Hold keeps the message pending until Verdict.Until (quiet hours).
	Hold
	// Drop never sends it (paid meanwhile, the member said STOP).
	Drop
)

// Filter selects what Deliver sends.
type Filter struct {
	Channel channel.Name
	// Chat limits delivery to one chat (a terminal seat); "" means all.
	Chat  string
	Limit int
	// Vet, when set, is asked just before each keyed message (a reminder)
	// goes, so what is sent reflects the ledger and the member's wishes at
	// that moment rather than when it was queued.
	Vet func(ctx context.Context, it Item) (Verdict, error)
}

type pending struct {
	id int64
	Item
}

// Deliver sends up to f.Limit due messages, oldest first, marking each sent
// after the sender accepted it. A crash between the two means the message
// goes again on restart: at least once, never lost. A failed send is tried
// again after a growing pause, up to MaxAttempts; a permanent failure is
// marked failed at once; an unavailable channel costs no attempt.
func Deliver(ctx context.Context, db *store.DB, f Filter, s channel.Sender, now func() time.Time) (int, error) {
	batch, err := due(ctx, db, f, now())
	if err != nil {
		return 0, err
	}
	sent := 0
	// Once a message went, its mark must be written even if ctx ends now:
	// an unmarked message goes again after a restart.
	record := context.WithoutCancel(ctx)
	for _, p := range batch {
		if ctx.Err() != nil {
			return sent, ctx.Err()
		}
		if f.Vet != nil && p.Key != "" {
			v, err := f.Vet(ctx, p.Item)
			if err != nil {
				return sent, fmt.Errorf("vet outbox %d (%s): %w", p.id, p.Key, err)
			}
			if v.Action != Send {
				if err := settle(record, db, p.id, v); err != nil {
					return sent, err
				}
				continue
			}
		}
		platformID, sendErr := send(ctx, s, p.Reply)
		if err := mark(record, db, p.id, platformID, sendErr, now()); err != nil {
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

func due(ctx context.Context, db *store.DB, f Filter, now time.Time) ([]pending, error) {
	rows, err := db.R.QueryContext(ctx, `SELECT id, chat, text, coalesce(buttons, ''), coalesce(edit_of, ''), coalesce(key, ''),
		coalesce(reply_to, ''), coalesce(attachment, '') FROM outbox
		WHERE channel = ? AND status = 'pending' AND (? = '' OR chat = ?) AND (next_try IS NULL OR next_try <= ?)
		ORDER BY id LIMIT ?`,
		string(f.Channel), f.Chat, f.Chat, store.Stamp(now), f.Limit)
	if err != nil {
		return nil, fmt.Errorf("list outbox of %s: %w", f.Channel, err)
	}
	defer rows.Close()
	var batch []pending
	for rows.Next() {
		p := pending{Item: Item{Reply: channel.Reply{Channel: f.Channel}}}
		var buttons, attachment string
		if err := rows.Scan(&p.id, &p.Chat, &p.Text, &buttons, &p.EditOf, &p.Key, &p.ReplyTo, &attachment); err != nil {
			return nil, fmt.Errorf("list outbox of %s: %w", f.Channel, err)
		}
		if buttons != "" {
			if err := json.Unmarshal([]byte(buttons), &p.Buttons); err != nil {
				return nil, fmt.Errorf("outbox %d: bad buttons: %w", p.id, err)
			}
		}
		if attachment != "" {
			p.Attachment = new(channel.Attachment)
			if err := json.Unmarshal([]byte(attachment), p.Attachment); err != nil {
				return nil, fmt.Errorf("outbox %d: bad attachment: %w", p.id, err)
			}
		}
		batch = append(batch, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list outbox of %s: %w", f.Channel, err)
	}
	return batch, nil
}

// mark records how a send went. It goes through the database's group
// commit, so under load the marks of many messages share one fsync.
func mark(ctx context.Context, db *store.DB, id int64, platformID string, sendErr error, now time.Time) error {
	err := db.Write(ctx, func(tx *sql.Tx) error {
		var err error
		switch {
		case sendErr == nil:
			_, err = tx.ExecContext(ctx, `UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = ?, platform_id = ?
				WHERE id = ?`, store.Stamp(now), null(platformID), id)
		case errors.Is(sendErr, channel.ErrUnavailable):
			_, err = tx.ExecContext(ctx, `UPDATE outbox SET last_error = ?, next_try = ? WHERE id = ?`,
				sendErr.Error(), store.Stamp(now.Add(time.Minute)), id)
		case errors.Is(sendErr, channel.ErrPermanent):
			_, err = tx.ExecContext(ctx, `UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?`,
				sendErr.Error(), id)
		default:
			var attempts int
			if err = tx.QueryRowContext(ctx, `SELECT attempts + 1 FROM outbox WHERE id = ?`, id).Scan(&attempts); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `UPDATE outbox SET attempts = ?, last_error = ?, next_try = ?,
				status = CASE WHEN ? >= ? THEN 'failed' ELSE 'pending' END WHERE id = ?`,
				attempts, sendErr.Error(), store.Stamp(now.Add(backoff(attempts))), attempts, MaxAttempts, id)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("mark outbox %d: %w", id, err)
	}
	return nil
}

// settle records a Vet's hold or drop.
func settle(ctx context.Context, db *store.DB, id int64, v Verdict) error {
	err := db.Write(ctx, func(tx *sql.Tx) error {
		var err error
		if v.Action == Drop {
			_, err = tx.ExecContext(ctx, `UPDATE outbox SET status = 'dropped', last_error = ? WHERE id = ?`, v.Reason, id)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE outbox SET next_try = ? WHERE id = ?`, store.Stamp(v.Until), id)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("settle outbox %d: %w", id, err)
	}
	return nil
}

// send delivers r, keeping the platform's id for it when the sender tells.
func send(ctx context.Context, s channel.Sender, r channel.Reply) (string, error) {
	if t, ok := s.(channel.Tracer); ok {
		return t.SendTraced(ctx, r)
	}
	return "", s.Send(ctx, r)
}

// SentWithButton returns the platform ids of the messages sent to chat on ch
// that carried a button with data, where the channel told the ids: all the
// announcements of one loan request, so a decision can take their buttons
// away wherever it was taken.
func SentWithButton(ctx context.Context, q store.Queryer, ch channel.Name, chat, data string) ([]string, error) {
	needle, err := json.Marshal(data)
	if err != nil {
		return nil, fmt.Errorf("button %q: %w", data, err)
	}
	rows, err := q.QueryContext(ctx, `SELECT platform_id FROM outbox WHERE channel = ? AND chat = ? AND platform_id IS NOT NULL
		AND instr(buttons, ?) > 0 ORDER BY id`, string(ch), chat, `"Data":`+string(needle))
	if err != nil {
		return nil, fmt.Errorf("messages with button %q: %w", data, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("messages with button %q: %w", data, err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
