package membership

import (
	"cmp"
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
	// Named is true when the officers can now be told a name they have not
	// been told yet: a new name, or the number arriving for one kept.
	Named bool
	// Name is the name kept, from this ask or an earlier one; Phone the
	// number, "" while a Telegram account has not shared it.
	Name, Phone string
}

// Prospect is what is kept of one who asked to join.
type Prospect struct {
	// Phone is "" for a Telegram account that has not shared its number.
	Phone string
	Name  string
}

// ProspectOf is what is kept of the chat's asks; ok is false for none.
func ProspectOf(ctx context.Context, q store.Queryer, ch channel.Name, chat string) (Prospect, bool, error) {
	var p Prospect
	var name sql.NullString
	err := q.QueryRowContext(ctx, `SELECT phone, name FROM membership_prospects WHERE channel = ? AND chat = ?`,
		string(ch), chat).Scan(&p.Phone, &name)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Prospect{}, false, nil
	case err != nil:
		return Prospect{}, false, fmt.Errorf("prospect %s: %w", chat, err)
	}
	p.Name = name.String
	return p, true, nil
}

// Record keeps a, counting the day's answers. An ask without a number (a
// Telegram account) keeps the name for when the number comes, and a later
// ask without one keeps the number known. Run it in a write transaction.
func Record(ctx context.Context, q store.Queryer, a Ask) (Asked, error) {
	var prev, namedAt sql.NullString
	var answers int
	var day, phone string
	err := q.QueryRowContext(ctx, `SELECT phone, name, named_at, asked_on, answers FROM membership_prospects
		WHERE channel = ? AND chat = ?`, string(a.Channel), a.Chat).Scan(&phone, &prev, &namedAt, &day, &answers)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return Asked{}, fmt.Errorf("prospect %s: %w", a.Chat, err)
	}
	if day != a.Day {
		answers = 0
	}
	answers++
	out := Asked{Answer: answers <= AnswersPerDay, Name: prev.String}
	if out.Answer && a.Name != "" {
		out.Name = a.Name
	}
	a.Phone = cmp.Or(a.Phone, phone)
	out.Phone = a.Phone
	out.Named = out.Answer && out.Name != "" && a.Phone != "" && (out.Name != prev.String || !namedAt.Valid)
	if _, err := q.ExecContext(ctx, `INSERT INTO membership_prospects (channel, chat, phone, name, named_at, asked_on, answers, last_at)
		VALUES (?1, ?2, ?3, nullif(?4, ''), CASE WHEN ?5 THEN ?6 END, ?7, ?8, ?6)
		ON CONFLICT (channel, chat) DO UPDATE SET phone = excluded.phone, name = excluded.name,
			named_at = coalesce(excluded.named_at, named_at), asked_on = excluded.asked_on, answers = excluded.answers,
			last_at = excluded.last_at`,
		string(a.Channel), a.Chat, a.Phone, out.Name, out.Named, store.Stamp(a.At), a.Day, answers); err != nil {
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
