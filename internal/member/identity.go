package member

import (
	"context"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/store"
)

// Bind ties the account userID on ch to the member. Binding the same account
// again points it at the new member: the account's verified number moved.
func Bind(ctx context.Context, q store.Queryer, ch channel.Name, userID string, memberID int64, now time.Time) error {
	if _, err := q.ExecContext(ctx, `INSERT INTO member_identities (channel, user_id, member_id, bound_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (channel, user_id) DO UPDATE SET member_id = excluded.member_id, bound_at = excluded.bound_at`,
		string(ch), userID, memberID, store.Stamp(now)); err != nil {
		return fmt.Errorf("bind %s account %s to member %d: %w", ch, userID, memberID, err)
	}
	return nil
}

// ByIdentity finds the member the account userID on ch is bound to.
func ByIdentity(ctx context.Context, q store.Queryer, ch channel.Name, userID string) (Member, error) {
	m, err := scan(q.QueryRowContext(ctx, `SELECT `+columns+` FROM members
		WHERE id = (SELECT member_id FROM member_identities WHERE channel = ? AND user_id = ?)`, string(ch), userID))
	if err != nil {
		return Member{}, fmt.Errorf("member by %s account %s: %w", ch, userID, err)
	}
	return m, nil
}
