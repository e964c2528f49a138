package outbox

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/store"
)

// FailedItem is a message the outbox gave up on, for officers' /gagal.
type FailedItem struct {
	ID        int64
	Channel   channel.Name
	Chat      string
	Key       string // "" for a reply that was not a reminder
	Excerpt   string // the text's start, on one line
	Attempts  int
	LastError string
	Created   time.Time
}

// excerptRunes bounds Excerpt: enough to recognise the message in a list.
const excerptRunes = 60

// Failed lists, newest first, up to limit messages of any kind queued since
// since that were given up on (failed after their last attempt, or at once
// for a permanent error).
func Failed(ctx context.Context, q store.Queryer, since time.Time, limit int) ([]FailedItem, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, channel, chat, coalesce(key, ''), text, attempts, coalesce(last_error, ''),
		created_at FROM outbox WHERE status = 'failed' AND created_at >= ? ORDER BY id DESC LIMIT ?`,
		store.Stamp(since), limit)
	if err != nil {
		return nil, fmt.Errorf("failed messages: %w", err)
	}
	defer rows.Close()
	var out []FailedItem
	for rows.Next() {
		var f FailedItem
		var text, created string
		if err := rows.Scan(&f.ID, &f.Channel, &f.Chat, &f.Key, &text, &f.Attempts, &f.LastError, &created); err != nil {
			return nil, fmt.Errorf("failed messages: %w", err)
		}
		if f.Created, err = time.Parse(time.RFC3339Nano, created); err != nil {
			return nil, fmt.Errorf("failed message %d: created %q: %w", f.ID, created, err)
		}
		f.Excerpt = Excerpt(text)
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("failed messages: %w", err)
	}
	return out, nil
}

// Excerpt is the start of text on one line: enough to recognise a message
// in a list.
func Excerpt(text string) string {
	s := strings.Join(strings.Fields(text), " ")
	if r := []rune(s); len(r) > excerptRunes {
		return string(r[:excerptRunes-1]) + "…"
	}
	return s
}
