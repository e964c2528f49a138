package member

import (
	"context"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/store"
)

// Identity is a chat account bound to a member.
type Identity struct {
	Channel channel.Name
	UserID  string
	BoundAt time.Time
	// Current is false once the member's number is no longer the one the
	// account was bound with: the account sees nothing until it shares the
	// new number.
	Current bool
}

// Bind ties the account userID on ch to the member with phone, the number
// the account just proved. Binding the same account again points it at the
// new member and number: the account's verified number moved.
func Bind(ctx context.Context, q store.Queryer, ch channel.Name, userID string, memberID int64, phone string, now time.Time) error {
	if _, err := q.ExecContext(ctx, `INSERT INTO member_identities (channel, user_id, member_id, phone, bound_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (channel, user_id) DO UPDATE SET member_id = excluded.member_id, phone = excluded.phone,
		bound_at = excluded.bound_at`, string(ch), userID, memberID, phone, store.Stamp(now)); err != nil {
		return fmt.Errorf("bind %s account %s to member %d: %w", ch, userID, memberID, err)
	}
	return nil
}

// ByIdentity finds the member the account userID on ch is bound to, while
// the member's number is still the one it was bound with.
func ByIdentity(ctx context.Context, q store.Queryer, ch channel.Name, userID string) (Member, error) {
	m, _, err := ByIdentityAnd(ctx, q, ch, userID, "0")
	return m, err
}

// ByIdentityAnd is ByIdentity that also reads also, as ByPhoneAnd does.
func ByIdentityAnd(ctx context.Context, q store.Queryer, ch channel.Name, userID, also string) (Member, bool, error) {
	var is bool
	m, err := scan(q.QueryRowContext(ctx, `SELECT `+columns+`, `+also+` FROM members
		WHERE id = (SELECT member_id FROM member_identities WHERE channel = ? AND user_id = ? AND phone = members.phone)`,
		string(ch), userID), &is)
	if err != nil {
		return Member{}, false, fmt.Errorf("member by %s account %s: %w", ch, userID, err)
	}
	return m, is, nil
}

// Identities lists the accounts bound to the member, oldest first.
func Identities(ctx context.Context, q store.Queryer, m Member) ([]Identity, error) {
	rows, err := q.QueryContext(ctx, `SELECT channel, user_id, bound_at, phone = ? FROM member_identities
		WHERE member_id = ? ORDER BY bound_at, user_id`, m.Phone, m.ID)
	if err != nil {
		return nil, fmt.Errorf("accounts of member %d: %w", m.ID, err)
	}
	defer rows.Close()
	var out []Identity
	for rows.Next() {
		var id Identity
		var at string
		if err := rows.Scan(&id.Channel, &id.UserID, &at, &id.Current); err != nil {
			return nil, fmt.Errorf("accounts of member %d: %w", m.ID, err)
		}
		if id.BoundAt, err = time.Parse(time.RFC3339Nano, at); err != nil {
			return nil, fmt.Errorf("accounts of member %d: bound_at %q: %w", m.ID, at, err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// Unbind removes the member's account userID on ch; false when no such
// account is bound to the member.
func Unbind(ctx context.Context, q store.Queryer, ch channel.Name, userID string, memberID int64) (bool, error) {
	res, err := q.ExecContext(ctx, `DELETE FROM member_identities WHERE channel = ? AND user_id = ? AND member_id = ?`,
		string(ch), userID, memberID)
	if err != nil {
		return false, fmt.Errorf("unbind %s account %s: %w", ch, userID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Channels lists every chat the member was last seen in, one per channel.
func Channels(ctx context.Context, q store.Queryer, memberID int64) ([]Address, error) {
	rows, err := q.QueryContext(ctx, `SELECT channel, chat FROM member_channels WHERE member_id = ? ORDER BY channel`, memberID)
	if err != nil {
		return nil, fmt.Errorf("chats of member %d: %w", memberID, err)
	}
	defer rows.Close()
	var out []Address
	for rows.Next() {
		var a Address
		if err := rows.Scan(&a.Channel, &a.Chat); err != nil {
			return nil, fmt.Errorf("chats of member %d: %w", memberID, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
