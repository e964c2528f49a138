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

// TouchEvery is how stale a chat's last_seen may grow before a message from
// it is recorded again. last_seen only orders a member's channels, so it is
// rewritten when the chat changes, when it is older than this, or when
// another channel of the member's is newer; not on every message, where it
// cost a database page written per message.
const TouchEvery = time.Hour

// Touch records that the member just wrote from chat on ch.
func Touch(ctx context.Context, q store.Queryer, memberID int64, ch channel.Name, chat string, now time.Time) error {
	if _, err := q.ExecContext(ctx, `INSERT INTO member_channels (member_id, channel, chat, last_seen) VALUES (?, ?, ?, ?)
		ON CONFLICT (member_id, channel) DO UPDATE SET chat = excluded.chat, last_seen = excluded.last_seen
		WHERE member_channels.chat <> excluded.chat OR member_channels.last_seen < ?
			OR EXISTS (SELECT 1 FROM member_channels o WHERE o.member_id = excluded.member_id
				AND o.channel <> excluded.channel AND o.last_seen > member_channels.last_seen)`,
		memberID, string(ch), chat, store.Stamp(now), store.Stamp(now.Add(-TouchEvery))); err != nil {
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
