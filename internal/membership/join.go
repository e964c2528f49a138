package membership

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/phone"
	"github.com/kopmem/kopbot/internal/store"
)

// TakenError is returned when the number belongs to a member still in the
// cooperative: one number, one member.
type TakenError struct{ Member member.Member }

func (e *TakenError) Error() string {
	return fmt.Sprintf("number %s belongs to member %s", phone.Last4(e.Member.Phone), e.Member.Number)
}

// Registration is an officer registering someone as a member.
type Registration struct {
	// Phone and Name as the officer typed them.
	Phone, Name string
	Officer     string
	At          time.Time
}

// Registered is the new member.
type Registered struct {
	Member member.Member
	// Pokok is the simpanan pokok they owe.
	Pokok decimal.Decimal
	// Released is the member who left and held the number before (a
	// recycled SIM, or the same person joining again); zero when none.
	Released member.Member
}

// Register makes r a member under the next member number, owing the
// simpanan pokok; their prospect record, if any, is deleted. A number of a
// member still in the cooperative is refused (*TakenError); one of a member
// who left is released from them first. Run it in a write transaction.
func Register(ctx context.Context, q store.Queryer, s Settings, r Registration) (Registered, error) {
	num, err := phone.Normalize(r.Phone)
	if err != nil {
		return Registered{}, fmt.Errorf("register %q: %w", r.Phone, errors.Join(ErrPhone, err))
	}
	name, err := CleanName(r.Name)
	if err != nil {
		return Registered{}, fmt.Errorf("register: %w", err)
	}
	var out Registered
	old, err := member.ByPhone(ctx, q, num)
	switch {
	case err == nil && !old.Left():
		return Registered{}, &TakenError{Member: old}
	case err == nil:
		if err := member.ReleasePhone(ctx, q, old); err != nil {
			return Registered{}, err
		}
		out.Released = old
	case !errors.Is(err, member.ErrNotFound):
		return Registered{}, err
	}
	number, err := NextNumber(ctx, q, s.FirstNumber)
	if err != nil {
		return Registered{}, err
	}
	day := time.Date(r.At.Year(), r.At.Month(), r.At.Day(), 0, 0, 0, 0, time.UTC)
	if out.Member, err = member.Create(ctx, q, member.Member{Number: number, Name: name, Phone: num, JoinedOn: day}); err != nil {
		return Registered{}, err
	}
	out.Pokok = s.Pokok
	if _, err := q.ExecContext(ctx, `INSERT INTO membership_joins (member_id, pokok, officer, at) VALUES (?, ?, ?, ?)`,
		out.Member.ID, s.Pokok.IntPart(), r.Officer, store.Stamp(r.At)); err != nil {
		return Registered{}, fmt.Errorf("register %s: %w", number, err)
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM membership_prospects WHERE phone = ?`, num); err != nil {
		return Registered{}, fmt.Errorf("register %s: forget the prospect: %w", number, err)
	}
	return out, nil
}

// NextNumber is the member number after the highest one with first's
// prefix, as wide as first's digits (wider once they run out); first
// itself when there is none.
func NextNumber(ctx context.Context, q store.Queryer, first string) (string, error) {
	prefix, digits, err := splitNumber(first)
	if err != nil {
		return "", err
	}
	rows, err := q.QueryContext(ctx, `SELECT substr(number, ?) FROM members WHERE substr(number, 1, ?) = ?`,
		len(prefix)+1, len(prefix), prefix)
	if err != nil {
		return "", fmt.Errorf("next member number: %w", err)
	}
	defer rows.Close()
	next, _ := strconv.ParseInt(digits, 10, 64) // splitNumber checked it
	for rows.Next() {
		var rest string
		if err := rows.Scan(&rest); err != nil {
			return "", fmt.Errorf("next member number: %w", err)
		}
		if n, err := strconv.ParseInt(rest, 10, 64); err == nil && n >= next && allDigits(rest) {
			next = n + 1
		}
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("next member number: %w", err)
	}
	return fmt.Sprintf("%s%0*d", prefix, len(digits), next), nil
}

// splitNumber cuts a member number into its prefix and its digits.
func splitNumber(s string) (prefix, digits string, err error) {
	s = strings.TrimSpace(s)
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	if i == len(s) || len(s)-i > 12 {
		return "", "", fmt.Errorf("%q: %w", s, ErrNumber)
	}
	return s[:i], s[i:], nil
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// PokokOwed is the simpanan pokok a member registered by an officer still
// owes: what was set on registering, while none has been paid. A member
// who came from an import owes nothing here: the office kept that itself.
func PokokOwed(ctx context.Context, q store.Queryer, memberID int64) (decimal.Decimal, error) {
	var owed int64
	err := q.QueryRowContext(ctx, `SELECT j.pokok FROM membership_joins j WHERE j.member_id = ?1 AND NOT EXISTS (
		SELECT 1 FROM savings_accounts s JOIN ledger_accounts a ON a.id = s.account_id
		WHERE s.member_id = ?1 AND s.kind = 'pokok' AND a.balance <> 0)`, memberID).Scan(&owed)
	if errors.Is(err, sql.ErrNoRows) {
		return decimal.Zero, nil
	}
	if err != nil {
		return decimal.Zero, fmt.Errorf("pokok owed by member %d: %w", memberID, err)
	}
	return decimal.NewFromInt(owed), nil
}
