package reminder

import (
	"context"
	"database/sql"
	"errors"
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
	var out bool
	err := q.QueryRowContext(ctx, `SELECT opted_out FROM reminder_optouts WHERE member_id = ? ORDER BY id DESC LIMIT 1`,
		memberID).Scan(&out)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("reminder choice of member %d: %w", memberID, err)
	}
	return out, nil
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
