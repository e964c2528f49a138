// Package announce is the cooperative's announcements: one text a manajer
// writes to all members or to some of them (those in arrears, those who
// joined this year, a list), previewed with how many it reaches and how
// long the bulk pace takes to carry it, then sent once into the outbox's
// bulk lane, leaving out members who said STOP or STOP PENGUMUMAN. It knows
// no chat platform: the officer desk and the member flows wire it.
package announce

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Schema is the announcements' migrations. They read members, loans,
// reminder choices and the outbox, so open after those schemas.
var Schema = store.EmbeddedSchema("announce", migrations, "migrations")

// Audience is who an announcement goes to.
type Audience string

// The audiences.
const (
	All Audience = "all"
	// Arrears are members with an installment past due and unpaid.
	Arrears Audience = "arrears"
	// Newcomers joined in the current calendar year.
	Newcomers Audience = "new"
	// Listed are the members the officer named.
	Listed Audience = "list"
)

// Status is where an announcement stands.
type Status string

// The statuses.
const (
	Draft     Status = "draft"
	Sent      Status = "sent"
	Cancelled Status = "cancelled"
)

// Errors.
var (
	ErrNotFound = errors.New("no such announcement")
	ErrEmpty    = errors.New("announcement without text")
	ErrNoList   = errors.New("announcement to a list names nobody")
	// ErrExpired: the last day named for it has passed before Kirim.
	ErrExpired = errors.New("announcement past its last day")
)

// DefaultValidDays is how many days after the day it is sent an
// announcement without a last day of its own still goes.
const DefaultValidDays = 3

// DecidedError is returned for a second Kirim or Batal: the announcement
// was sent or cancelled already, by whom it says.
type DecidedError struct{ Announcement Announcement }

func (e *DecidedError) Error() string {
	return fmt.Sprintf("announcement %d already %s by %s", e.Announcement.ID, e.Announcement.Status, e.Announcement.DecidedBy)
}

// Announcement is one text to many members.
type Announcement struct {
	ID       int64
	Audience Audience
	// Members are the listed members' ids (Listed only).
	Members []int64
	Text    string
	Officer string
	Created time.Time
	Status  Status
	// DecidedBy and Decided say who sent or cancelled it, and when.
	DecidedBy string
	Decided   time.Time
	// Queued copies went into the outbox; Skipped members were left out
	// because they had said STOP or STOP PENGUMUMAN when it was sent.
	Queued, Skipped int
	// Until is the last day the manajer named (its date counts, not its
	// zone); zero: the default (see ExpiresIf).
	Until time.Time
	// Expires is when copies not yet sent are dropped, fixed at Kirim.
	Expires time.Time
}

// ExpiresIf is when a's copies expire if it is sent at sent: the end of
// its last day, which is Until, or validDays after the day it is sent
// (DefaultValidDays for 0), in loc.
func (a Announcement) ExpiresIf(sent time.Time, loc *time.Location, validDays int) time.Time {
	if !a.Until.IsZero() {
		y, m, d := a.Until.Date()
		return time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	}
	if validDays <= 0 {
		validDays = DefaultValidDays
	}
	d := sent.In(loc)
	return time.Date(d.Year(), d.Month(), d.Day()+validDays+1, 0, 0, 0, 0, loc)
}

// Create stores a draft by officer, to be previewed; until, when not zero,
// is the last day its copies go.
func Create(ctx context.Context, q store.Queryer, a Audience, members []int64, text, officer string, until, now time.Time) (Announcement, error) {
	if text == "" {
		return Announcement{}, ErrEmpty
	}
	var list any
	switch a {
	case Listed:
		if len(members) == 0 {
			return Announcement{}, ErrNoList
		}
		b, err := json.Marshal(members)
		if err != nil {
			return Announcement{}, fmt.Errorf("announcement members: %w", err)
		}
		list = string(b)
	case All, Arrears, Newcomers:
	default:
		return Announcement{}, fmt.Errorf("announcement audience %q unknown", a)
	}
	var untilDay any
	if !until.IsZero() {
		untilDay = until.Format(time.DateOnly)
	}
	var id int64
	if err := q.QueryRowContext(ctx, `INSERT INTO announcements (audience, members, text, officer, created_at, until_day)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, string(a), list, text, officer, store.Stamp(now), untilDay).Scan(&id); err != nil {
		return Announcement{}, fmt.Errorf("create announcement: %w", err)
	}
	return ByID(ctx, q, id)
}

const columns = `id, audience, coalesce(members, ''), text, officer, created_at, status, coalesce(decided_by, ''),
	coalesce(decided_at, ''), queued, skipped, coalesce(until_day, ''), coalesce(expires_at, '')`

func scan(row interface{ Scan(...any) error }) (Announcement, error) {
	var a Announcement
	var members, created, decided, until, expires string
	if err := row.Scan(&a.ID, &a.Audience, &members, &a.Text, &a.Officer, &created, &a.Status, &a.DecidedBy, &decided,
		&a.Queued, &a.Skipped, &until, &expires); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return Announcement{}, ErrNotFound
		}
		return Announcement{}, err
	}
	if members != "" {
		if err := json.Unmarshal([]byte(members), &a.Members); err != nil {
			return Announcement{}, fmt.Errorf("announcement %d: members %q: %w", a.ID, members, err)
		}
	}
	var err error
	if a.Created, err = time.Parse(time.RFC3339Nano, created); err != nil {
		return Announcement{}, fmt.Errorf("announcement %d: created %q: %w", a.ID, created, err)
	}
	if decided != "" {
		if a.Decided, err = time.Parse(time.RFC3339Nano, decided); err != nil {
			return Announcement{}, fmt.Errorf("announcement %d: decided %q: %w", a.ID, decided, err)
		}
	}
	if until != "" {
		if a.Until, err = time.Parse(time.DateOnly, until); err != nil {
			return Announcement{}, fmt.Errorf("announcement %d: until %q: %w", a.ID, until, err)
		}
	}
	if expires != "" {
		if a.Expires, err = time.Parse(time.RFC3339Nano, expires); err != nil {
			return Announcement{}, fmt.Errorf("announcement %d: expires %q: %w", a.ID, expires, err)
		}
	}
	return a, nil
}

// ByID returns announcement id.
func ByID(ctx context.Context, q store.Queryer, id int64) (Announcement, error) {
	a, err := scan(q.QueryRowContext(ctx, `SELECT `+columns+` FROM announcements WHERE id = ?`, id))
	if err != nil {
		return Announcement{}, fmt.Errorf("announcement %d: %w", id, err)
	}
	return a, nil
}

// Recent returns up to limit announcements that were sent, newest first.
func Recent(ctx context.Context, q store.Queryer, limit int) ([]Announcement, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+columns+` FROM announcements WHERE status = 'sent' ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("recent announcements: %w", err)
	}
	defer rows.Close()
	var out []Announcement
	for rows.Next() {
		a, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("recent announcements: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("recent announcements: %w", err)
	}
	return out, nil
}

// Cancel records Batal on a draft.
func Cancel(ctx context.Context, q store.Queryer, id int64, officer string, now time.Time) (Announcement, error) {
	return decide(ctx, q, id, Cancelled, officer, 0, 0, time.Time{}, now)
}

// decide moves a draft to status, once: of two presses only the first
// decides, the second gets a DecidedError.
func decide(ctx context.Context, q store.Queryer, id int64, s Status, officer string, queued, skipped int, expires, now time.Time) (Announcement, error) {
	var exp any
	if !expires.IsZero() {
		exp = store.Stamp(expires)
	}
	res, err := q.ExecContext(ctx, `UPDATE announcements SET status = ?, decided_by = ?, decided_at = ?, queued = ?, skipped = ?,
		expires_at = ? WHERE id = ? AND status = 'draft'`, string(s), officer, store.Stamp(now), queued, skipped, exp, id)
	if err != nil {
		return Announcement{}, fmt.Errorf("%s announcement %d: %w", s, id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return Announcement{}, fmt.Errorf("%s announcement %d: %w", s, id, err)
	}
	a, err := ByID(ctx, q, id)
	if err != nil {
		return Announcement{}, err
	}
	if n == 0 {
		return Announcement{}, &DecidedError{Announcement: a}
	}
	return a, nil
}
