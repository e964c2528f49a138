package member

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/store"
)

// Reading many members at once binds their ids as one JSON array, so each
// query keeps one text, and one prepared statement, whatever the number.

// ByIDs returns the members with the given ids, by id: ByID for a few
// hundred members in one query. It fails with ErrNotFound if any is missing.
func ByIDs(ctx context.Context, q store.Queryer, ids []int64) (map[int64]Member, error) {
	arg, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("members %v: %w", ids, err)
	}
	rows, err := q.QueryContext(ctx, `SELECT `+columns+` FROM members WHERE id IN (SELECT value FROM json_each(?))`, string(arg))
	if err != nil {
		return nil, fmt.Errorf("members by id: %w", err)
	}
	defer rows.Close()
	out := make(map[int64]Member, len(ids))
	for rows.Next() {
		m, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("members by id: %w", err)
		}
		out[m.ID] = m
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("members by id: %w", err)
	}
	for _, id := range ids {
		if _, ok := out[id]; !ok {
			return nil, fmt.Errorf("member %d: %w", id, ErrNotFound)
		}
	}
	return out, nil
}

// ReachAll says where to write to each of ms, by member id, as Reach does
// for one.
func ReachAll(ctx context.Context, q store.Queryer, ms []Member) (map[int64]Address, error) {
	out, err := reach(ctx, q, ms)
	if err != nil {
		return nil, fmt.Errorf("reach %d members: %w", len(ms), err)
	}
	return out, nil
}

// reach is Reach's rule, for one member or many.
func reach(ctx context.Context, q store.Queryer, ms []Member) (map[int64]Address, error) {
	ids := make([]int64, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	arg, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	// Within a member rows come latest first: the first is where they
	// chatted last.
	rows, err := q.QueryContext(ctx, `SELECT member_id, channel, chat FROM member_channels
		WHERE member_id IN (SELECT value FROM json_each(?)) ORDER BY member_id, last_seen DESC`, string(arg))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[int64]Address, len(ms))
	for rows.Next() {
		var id int64
		var a Address
		if err := rows.Scan(&id, &a.Channel, &a.Chat); err != nil {
			return nil, err
		}
		if _, ok := out[id]; !ok {
			out[id] = a
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, m := range ms {
		if _, ok := out[m.ID]; !ok {
			out[m.ID] = Address{Channel: channel.WhatsApp, Chat: m.Phone + "@s.whatsapp.net"}
		}
	}
	return out, nil
}
