package member

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/store"
)

// ErrNoHandoff is returned when no handoff matches.
var ErrNoHandoff = errors.New("no such handoff")

// ErrHandoffClosed is returned when closing a handoff that is closed already.
var ErrHandoffClosed = errors.New("handoff already closed")

// Who closes a handoff, besides an officer (recorded by their id).
const (
	ClosedByMember = "member"
	ClosedLapsed   = "lapsed"
)

// Handoff is a member's conversation with the officers, outside the menus.
type Handoff struct {
	ID       int64
	MemberID int64
	OpenedAt time.Time
	// LastAt is the latest message either way.
	LastAt time.Time
	// ClosedBy is "" while the handoff is open.
	ClosedBy string
}

// Open reports whether the handoff still carries messages.
func (h Handoff) Open() bool { return h.ClosedBy == "" }

// Tag names the handoff in the officers' group: "H12".
func (h Handoff) Tag() string { return "H" + strconv.FormatInt(h.ID, 10) }

// ParseTag reads a handoff's tag as officers type it: "H12", "#H12", "h12"
// or "12".
func ParseTag(s string) (int64, bool) {
	s = strings.TrimPrefix(s, "#")
	s = strings.TrimPrefix(strings.TrimPrefix(s, "H"), "h")
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

const handoffColumns = `id, member_id, opened_at, last_at, coalesce(closed_by, '')`

func scanHandoff(row interface{ Scan(...any) error }) (Handoff, error) {
	var h Handoff
	var opened, last string
	if err := row.Scan(&h.ID, &h.MemberID, &opened, &last, &h.ClosedBy); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return Handoff{}, ErrNoHandoff
		}
		return Handoff{}, err
	}
	var err error
	if h.OpenedAt, err = time.Parse(time.RFC3339Nano, opened); err != nil {
		return Handoff{}, fmt.Errorf("handoff %d: bad opened_at %q: %w", h.ID, opened, err)
	}
	if h.LastAt, err = time.Parse(time.RFC3339Nano, last); err != nil {
		return Handoff{}, fmt.Errorf("handoff %d: bad last_at %q: %w", h.ID, last, err)
	}
	return h, nil
}

// StartHandoff opens a handoff for the member, or returns the one already
// open: asking for an officer twice continues the same conversation.
func StartHandoff(ctx context.Context, q store.Queryer, memberID int64, now time.Time) (Handoff, error) {
	h, err := OpenHandoffOf(ctx, q, memberID)
	if !errors.Is(err, ErrNoHandoff) {
		return h, err
	}
	at := store.Stamp(now)
	h, err = scanHandoff(q.QueryRowContext(ctx, `INSERT INTO handoff (member_id, opened_at, last_at) VALUES (?, ?, ?)
		RETURNING `+handoffColumns, memberID, at, at))
	if err != nil {
		return Handoff{}, fmt.Errorf("open handoff for member %d: %w", memberID, err)
	}
	return h, nil
}

// OpenHandoffOf returns the member's open handoff, or ErrNoHandoff.
func OpenHandoffOf(ctx context.Context, q store.Queryer, memberID int64) (Handoff, error) {
	h, err := scanHandoff(q.QueryRowContext(ctx, `SELECT `+handoffColumns+` FROM handoff
		WHERE member_id = ? AND closed_at IS NULL`, memberID))
	if err != nil {
		return Handoff{}, fmt.Errorf("open handoff of member %d: %w", memberID, err)
	}
	return h, nil
}

// HandoffByID returns the handoff with id, open or closed.
func HandoffByID(ctx context.Context, q store.Queryer, id int64) (Handoff, error) {
	h, err := scanHandoff(q.QueryRowContext(ctx, `SELECT `+handoffColumns+` FROM handoff WHERE id = ?`, id))
	if err != nil {
		return Handoff{}, fmt.Errorf("handoff %d: %w", id, err)
	}
	return h, nil
}

// OpenHandoffs lists the open handoffs, longest waiting first.
func OpenHandoffs(ctx context.Context, q store.Queryer) ([]Handoff, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+handoffColumns+` FROM handoff WHERE closed_at IS NULL ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("open handoffs: %w", err)
	}
	defer rows.Close()
	var out []Handoff
	for rows.Next() {
		h, err := scanHandoff(rows)
		if err != nil {
			return nil, fmt.Errorf("open handoffs: %w", err)
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("open handoffs: %w", err)
	}
	return out, nil
}

// TouchHandoff records a message in the handoff, keeping it from lapsing.
func TouchHandoff(ctx context.Context, q store.Queryer, id int64, now time.Time) error {
	if _, err := q.ExecContext(ctx, `UPDATE handoff SET last_at = ? WHERE id = ?`,
		store.Stamp(now), id); err != nil {
		return fmt.Errorf("touch handoff %d: %w", id, err)
	}
	return nil
}

// CloseHandoff closes the open handoff id; by is the closing officer's id,
// ClosedByMember or ClosedLapsed.
func CloseHandoff(ctx context.Context, q store.Queryer, id int64, by string, now time.Time) error {
	res, err := q.ExecContext(ctx, `UPDATE handoff SET closed_at = ?, closed_by = ? WHERE id = ? AND closed_at IS NULL`,
		store.Stamp(now), by, id)
	if err != nil {
		return fmt.Errorf("close handoff %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("close handoff %d: %w", id, err)
	}
	if n == 0 {
		if _, err := HandoffByID(ctx, q, id); err != nil {
			return fmt.Errorf("close handoff: %w", err)
		}
		return fmt.Errorf("close handoff %d: %w", id, ErrHandoffClosed)
	}
	return nil
}
