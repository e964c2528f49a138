package outbox

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/phone"
	"github.com/kopmem/kopbot/internal/store"
)

// FirstUse records that number sends on ch from now, unless it did
// before, and says since when it does: a fresh number's bulk cap warms up
// from that day.
func FirstUse(ctx context.Context, db *store.DB, ch channel.Name, number string, now time.Time) (time.Time, error) {
	var first string
	err := db.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sender_numbers (channel, number, first_used) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, string(ch), number, store.Stamp(now)); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT first_used FROM sender_numbers WHERE channel = ? AND number = ?`,
			string(ch), number).Scan(&first)
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("first use of %s number %s: %w", ch, phone.Last4(number), err)
	}
	t, err := time.Parse(time.RFC3339Nano, first)
	if err != nil {
		return time.Time{}, fmt.Errorf("first use of %s number %s: %q: %w", ch, phone.Last4(number), first, err)
	}
	return t, nil
}

// LatestFirstUse is the first day of use of the number on ch that came
// last (the cooperative's current number, as far as kopbot knows); zero
// when none sent yet.
func LatestFirstUse(ctx context.Context, q store.Queryer, ch channel.Name) (time.Time, error) {
	var first sql.NullString
	if err := q.QueryRowContext(ctx, `SELECT max(first_used) FROM sender_numbers WHERE channel = ?`, string(ch)).Scan(&first); err != nil {
		return time.Time{}, fmt.Errorf("first use of the latest %s number: %w", ch, err)
	}
	if !first.Valid {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, first.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("first use of the latest %s number: %q: %w", ch, first.String, err)
	}
	return t, nil
}

// BulkSentSince counts the bulk messages sent on ch from since: what a
// restarted sender has already spent of the day's cap.
func BulkSentSince(ctx context.Context, q store.Queryer, ch channel.Name, since time.Time) (int, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE channel = ? AND lane = 3 AND status = 'sent' AND sent_at >= ?`,
		string(ch), store.Stamp(since)).Scan(&n); err != nil {
		return 0, fmt.Errorf("bulk sent on %s since %s: %w", ch, since.Format(time.RFC3339), err)
	}
	return n, nil
}

// Holds keeps what a platform's refusals hold on bulk from one of the
// cooperative's numbers (see bulk_holds), so a restart still holds it.
type Holds struct {
	DB      *store.DB
	Channel channel.Name
	Number  string
}

// Put records the hold on bulk to chat ("" the whole number) after
// refusals in a row, until until; refusals 0 removes it.
func (h Holds) Put(ctx context.Context, chat string, refusals int, until time.Time) error {
	err := h.DB.Write(ctx, func(tx *sql.Tx) error {
		if refusals <= 0 {
			_, err := tx.ExecContext(ctx, `DELETE FROM bulk_holds WHERE channel = ? AND number = ? AND chat = ?`,
				string(h.Channel), h.Number, chat)
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO bulk_holds (channel, number, chat, refusals, until) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT DO UPDATE SET refusals = excluded.refusals, until = excluded.until`,
			string(h.Channel), h.Number, chat, refusals, store.Stamp(until))
		return err
	})
	if err != nil {
		return fmt.Errorf("hold %s bulk from %s to %s: %w", h.Channel, phone.Last4(h.Number), phone.Last4(chat), err)
	}
	return nil
}

// Load drops the holds that ended before forgetBefore and hands each
// other one of the number to each.
func (h Holds) Load(ctx context.Context, forgetBefore time.Time, each func(chat string, refusals int, until time.Time)) error {
	fail := func(err error) error {
		return fmt.Errorf("load %s bulk holds of %s: %w", h.Channel, phone.Last4(h.Number), err)
	}
	err := h.DB.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM bulk_holds WHERE channel = ? AND number = ? AND until < ?`,
			string(h.Channel), h.Number, store.Stamp(forgetBefore))
		return err
	})
	if err != nil {
		return fail(err)
	}
	rows, err := h.DB.R.QueryContext(ctx, `SELECT chat, refusals, until FROM bulk_holds WHERE channel = ? AND number = ?`,
		string(h.Channel), h.Number)
	if err != nil {
		return fail(err)
	}
	defer rows.Close()
	for rows.Next() {
		var chat, until string
		var n int
		if err := rows.Scan(&chat, &n, &until); err != nil {
			return fail(err)
		}
		t, err := time.Parse(time.RFC3339Nano, until)
		if err != nil {
			return fail(fmt.Errorf("until %q: %w", until, err))
		}
		each(chat, n, t)
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	return nil
}
