package outbox

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/store"
)

// GiveUpChat fails every message still waiting for chat on ch, with why:
// a member's old number, now perhaps someone else's, must not get the
// member's receipts. Failed, they show in /gagal for an officer to pass on.
func GiveUpChat(ctx context.Context, q store.Queryer, ch channel.Name, chat, why string) (int64, error) {
	res, err := q.ExecContext(ctx, `UPDATE outbox SET status = 'failed', last_error = ? WHERE status = 'pending'
		AND channel = ? AND chat = ?`, why, string(ch), chat)
	if err != nil {
		return 0, fmt.Errorf("give up messages to %s: %w", ch, err)
	}
	return res.RowsAffected()
}

// GiveUpUnserved fails the messages queued before before on a channel no
// sender delivers (served lists those that have one), with why: a notice
// to the terminal, or to WhatsApp when it is off, would otherwise wait for
// ever while the officer believes it went out.
func GiveUpUnserved(ctx context.Context, q store.Queryer, served []channel.Name, before time.Time, why string) (int64, error) {
	names := make([]string, len(served))
	for i, ch := range served {
		names[i] = string(ch)
	}
	arg, err := json.Marshal(names)
	if err != nil {
		return 0, err
	}
	res, err := q.ExecContext(ctx, `UPDATE outbox SET status = 'failed', last_error = ? WHERE status = 'pending'
		AND channel NOT IN (SELECT value FROM json_each(?)) AND created_at < ?`, why, string(arg), store.Stamp(before))
	if err != nil {
		return 0, fmt.Errorf("give up undeliverable messages: %w", err)
	}
	return res.RowsAffected()
}
