package reminder

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/store"
)

// OptOut records that the member wants no more reminders, from now on:
// Vet drops those already queued. Receipts and answers still go; they are
// not reminders. Saying STOP twice records it once.
func OptOut(ctx context.Context, q store.Queryer, memberID int64, now time.Time) error {
	return setOptedOut(ctx, q, memberID, true, now)
}

// OptIn records that the member wants reminders again (MULAI).
func OptIn(ctx context.Context, q store.Queryer, memberID int64, now time.Time) error {
	return setOptedOut(ctx, q, memberID, false, now)
}

// OptedOut reports the member's current wish: the latest choice recorded.
func OptedOut(ctx context.Context, q store.Queryer, memberID int64) (bool, error) {
	out, err := optedOut(ctx, q, []int64{memberID})
	if err != nil {
		return false, fmt.Errorf("reminder choice of member %d: %w", memberID, err)
	}
	return out[memberID], nil
}

// optedOut is OptedOut for many members at once: the set of those among
// ids whose latest choice is to receive no reminders.
func optedOut(ctx context.Context, q store.Queryer, ids []int64) (map[int64]bool, error) {
	arg, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	// SQLite takes a bare column of a max() aggregate from the row holding
	// the maximum: opted_out is the latest row's.
	rows, err := q.QueryContext(ctx, `SELECT member_id, opted_out, max(id) FROM reminder_optouts
		WHERE member_id IN (SELECT value FROM json_each(?)) GROUP BY member_id`, string(arg))
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

// setOptedOut appends the choice when it changes the current one, so the
// history reads as the member's changes of mind.
func setOptedOut(ctx context.Context, q store.Queryer, memberID int64, out bool, now time.Time) error {
	cur, err := OptedOut(ctx, q, memberID)
	if err != nil || cur == out {
		return err
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO reminder_optouts (member_id, opted_out, at) VALUES (?, ?, ?)`,
		memberID, out, store.Stamp(now)); err != nil {
		return fmt.Errorf("record reminder choice of member %d: %w", memberID, err)
	}
	return nil
}
