package membership

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/store"
)

// AnswersPerDay is how often one number that is no member is answered
// about joining in a day: enough to ask, leave a name and correct it; a
// flood past it is recorded in the inbox and not answered.
const AnswersPerDay = 4

// DefaultProspectKeep is how long a prospect's name and number are kept
// without being registered, when the settings say nothing.
const DefaultProspectKeep = 30 * 24 * time.Hour

// Ask is a number that is no member asking to join; Name is what they
// typed as their name, "" when they only asked.
type Ask struct {
	Channel channel.Name
	Chat    string
	Phone   string
	Name    string
	// Day is the cooperative's calendar day of At (YYYY-MM-DD).
	Day string
	At  time.Time
}

// Asked is what becomes of an Ask.
type Asked struct {
	// Answer is false past AnswersPerDay.
	Answer bool
	// Named is true when the ask left a name the officers have not been
	// told yet.
	Named bool
}

// Record keeps a, counting the day's answers. Run it in a write transaction.
func Record(ctx context.Context, q store.Queryer, a Ask) (Asked, error) {
	var prev sql.NullString
	var answers int
	var day string
	err := q.QueryRowContext(ctx, `SELECT name, asked_on, answers FROM membership_prospects WHERE channel = ? AND chat = ?`,
		string(a.Channel), a.Chat).Scan(&prev, &day, &answers)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return Asked{}, fmt.Errorf("prospect %s: %w", a.Chat, err)
	}
	if day != a.Day {
		answers = 0
	}
	answers++
	out := Asked{Answer: answers <= AnswersPerDay}
	out.Named = out.Answer && a.Name != "" && a.Name != prev.String
	name := prev
	if out.Named {
		name = sql.NullString{String: a.Name, Valid: true}
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO membership_prospects (channel, chat, phone, name, named_at, asked_on, answers, last_at)
		VALUES (?1, ?2, ?3, ?4, CASE WHEN ?5 THEN ?6 END, ?7, ?8, ?6)
		ON CONFLICT (channel, chat) DO UPDATE SET phone = excluded.phone, name = excluded.name,
			named_at = coalesce(excluded.named_at, named_at), asked_on = excluded.asked_on, answers = excluded.answers,
			last_at = excluded.last_at`,
		string(a.Channel), a.Chat, a.Phone, name, out.Named, store.Stamp(a.At), a.Day, answers); err != nil {
		return Asked{}, fmt.Errorf("prospect %s: %w", a.Chat, err)
	}
	return out, nil
}

// Prune deletes the prospects not heard from since before: a number that
// asked and was not registered is not kept.
func Prune(ctx context.Context, q store.Queryer, before time.Time) (int64, error) {
	res, err := q.ExecContext(ctx, `DELETE FROM membership_prospects WHERE last_at < ?`, store.Stamp(before))
	if err != nil {
		return 0, fmt.Errorf("prune prospects: %w", err)
	}
	return res.RowsAffected()
}
