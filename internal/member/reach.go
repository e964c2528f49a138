package member

import (
	"context"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/store"
)

// Address is where a member can be written to.
type Address struct {
	Channel channel.Name
	Chat    string
}

// Touch records that the member just wrote from chat on ch.
func Touch(ctx context.Context, q store.Queryer, memberID int64, ch channel.Name, chat string, now time.Time) error {
	if _, err := q.ExecContext(ctx, `INSERT INTO member_channels (member_id, channel, chat, last_seen) VALUES (?, ?, ?, ?)
		ON CONFLICT (member_id, channel) DO UPDATE SET chat = excluded.chat, last_seen = excluded.last_seen`,
		memberID, string(ch), chat, store.Stamp(now)); err != nil {
		return fmt.Errorf("touch member %d on %s: %w", memberID, ch, err)
	}
	return nil
}

// Reach says where to write to m: the channel they used last or, for a
// member who never chatted, WhatsApp at their phone number, the channel
// every member has.
func Reach(ctx context.Context, q store.Queryer, m Member) (Address, error) {
	a, err := reach(ctx, q, []Member{m})
	if err != nil {
		return Address{}, fmt.Errorf("reach member %s: %w", m.Number, err)
	}
	return a[m.ID], nil
}
