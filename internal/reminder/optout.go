package reminder

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/store"
)

// Topic is what a member may stop receiving unasked: reminders (STOP), or
// the cooperative's announcements (STOP PENGUMUMAN). Each is chosen on its
// own; receipts and answers are neither and always go.
type Topic string

// The topics.
const (
	Reminders     Topic = "reminders"
	Announcements Topic = "announcements"
)

// OptOut records that the member wants no more reminders, from now on:
// Vet drops those already queued. Receipts and answers still go; they are
// not reminders. Saying STOP twice records it once.
func OptOut(ctx context.Context, q store.Queryer, memberID int64, now time.Time) error {
	return Choose(ctx, q, Reminders, memberID, true, now)
}

// OptIn records that the member wants reminders again (MULAI).
func OptIn(ctx context.Context, q store.Queryer, memberID int64, now time.Time) error {
	return Choose(ctx, q, Reminders, memberID, false, now)
}

// OptedOut reports the member's current wish about reminders: the latest
// choice recorded.
func OptedOut(ctx context.Context, q store.Queryer, memberID int64) (bool, error) {
	out, err := OptedOutOf(ctx, q, Reminders, []int64{memberID})
	if err != nil {
		return false, fmt.Errorf("reminder choice of member %d: %w", memberID, err)
	}
	return out[memberID], nil
}

// optedOut is OptedOut for many members at once.
func optedOut(ctx context.Context, q store.Queryer, ids []int64) (map[int64]bool, error) {
	return OptedOutOf(ctx, q, Reminders, ids)
}

// OptedOutOf is the set of those among ids whose latest choice is to
// receive nothing of topic.
func OptedOutOf(ctx context.Context, q store.Queryer, topic Topic, ids []int64) (map[int64]bool, error) {
	arg, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	// SQLite takes a bare column of a max() aggregate from the row holding
	// the maximum: opted_out is the latest row's.
	rows, err := q.QueryContext(ctx, `SELECT member_id, opted_out, max(id) FROM reminder_optouts
		WHERE topic = ? AND member_id IN (SELECT value FROM json_each(?)) GROUP BY member_id`, string(topic), string(arg))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id, latest int64
		var o bool
		if err := rows.Scan(&id, &o, &latest); err != nil {
			return nil, err
		}
		if o {
			out[id] = true
		}
	}
	return out, rows.Err()
}

// Choose records whether the member wants nothing of topic (out) from now
// on. The choice is appended only when it changes the current one, so the
// history reads as the member's changes of mind.
func Choose(ctx context.Context, q store.Queryer, topic Topic, memberID int64, out bool, now time.Time) error {
	cur, err := OptedOutOf(ctx, q, topic, []int64{memberID})
	if err != nil {
		return fmt.Errorf("%s choice of member %d: %w", topic, memberID, err)
	}
	if cur[memberID] == out {
		return nil
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO reminder_optouts (member_id, topic, opted_out, at) VALUES (?, ?, ?, ?)`,
		memberID, string(topic), out, store.Stamp(now)); err != nil {
		return fmt.Errorf("record %s choice of member %d: %w", topic, memberID, err)
	}
	return nil
}
