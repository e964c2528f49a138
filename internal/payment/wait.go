package payment

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/store"
)

// Waiting is a Tolak press waiting for its reason. The desk's cards that
// move a member's money share it: a transfer proof's and a withdrawal's,
// each named by its Ref (BT-17, W-12).
type Waiting struct {
	Ref string
	// MessageID is the card pressed, whose buttons go once decided.
	MessageID string
	At        time.Time
}

// AwaitReason remembers that officerID's next message in chat is the
// reason to reject w.Ref; a later press replaces it.
func AwaitReason(ctx context.Context, q store.Queryer, officerID string, ch channel.Name, chat string, w Waiting) error {
	if _, err := q.ExecContext(ctx, `INSERT INTO payment_reason_wait (officer_id, channel, chat, ref, message_id, at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (officer_id, channel, chat) DO UPDATE SET ref = excluded.ref,
		message_id = excluded.message_id, at = excluded.at`, officerID, string(ch), chat, w.Ref, w.MessageID,
		store.Stamp(w.At)); err != nil {
		return fmt.Errorf("await reason for %s: %w", w.Ref, err)
	}
	return nil
}

// PeekReason returns the press officerID's reply in chat would answer, if
// any.
func PeekReason(ctx context.Context, q store.Queryer, officerID string, ch channel.Name, chat string) (Waiting, bool, error) {
	var w Waiting
	var at string
	err := q.QueryRowContext(ctx, `SELECT ref, message_id, at FROM payment_reason_wait
		WHERE officer_id = ? AND channel = ? AND chat = ?`, officerID, string(ch), chat).Scan(&w.Ref, &w.MessageID, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return Waiting{}, false, nil
	}
	if err != nil {
		return Waiting{}, false, fmt.Errorf("awaited reason: %w", err)
	}
	if w.At, err = time.Parse(time.RFC3339Nano, at); err != nil {
		return Waiting{}, false, fmt.Errorf("awaited reason for %s: time %q: %w", w.Ref, at, err)
	}
	return w, true, nil
}

// DropReason forgets what officerID's reply in chat was awaited for.
func DropReason(ctx context.Context, q store.Queryer, officerID string, ch channel.Name, chat string) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM payment_reason_wait WHERE officer_id = ? AND channel = ? AND chat = ?`,
		officerID, string(ch), chat); err != nil {
		return fmt.Errorf("drop awaited reason: %w", err)
	}
	return nil
}
