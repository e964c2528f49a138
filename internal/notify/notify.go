// Package notify queues notices nobody asked for in that chat: a member told
// of a loan decision or a receipt, the officers told of a new request. Each
// notice goes through the outbox inside the caller's transaction, so it
// exists exactly when the change it reports does.
package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/store"
)

// Localizer renders a message id in a language.
type Localizer interface {
	T(lang, id string, data any) string
}

// Member queues message id, rendered in m's language, where m chats.
func Member(ctx context.Context, q store.Queryer, msgs Localizer, m member.Member, id string, data any, now time.Time) error {
	addr, err := member.Reach(ctx, q, m)
	if err != nil {
		return err
	}
	if _, err := outbox.Enqueue(ctx, q, outbox.Item{Reply: channel.Reply{Channel: addr.Channel, Chat: addr.Chat,
		Text: msgs.T(m.Lang, id, data)}}, now); err != nil {
		return fmt.Errorf("notify member %s: %w", m.Number, err)
	}
	return nil
}
