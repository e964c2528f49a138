// Package member holds the cooperative's members and how they are known:
// by member number at the office, by phone number on chat.
package member

import (
	"cmp"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Schema is the member tables' migrations.
var Schema = store.EmbeddedSchema("member", migrations, "migrations")

// ErrNotFound is returned when no member matches.
var ErrNotFound = errors.New("member not found")

// DateLayout is how dates are stored.
const DateLayout = time.DateOnly

// Member is one member of the cooperative.
type Member struct {
	ID       int64
	Number   string // nomor anggota
	Name     string
	Phone    string // E.164 digits without '+'
	NIK      string
	JoinedOn time.Time // a date, midnight UTC
	Lang     string    // "id" or "en"
	// LeftOn is the day the member left, a date at midnight UTC; zero while
	// they are a member.
	LeftOn time.Time
	// Bank is the member's own account on file; zero when none is.
	Bank BankAccount
}

// Left reports whether the member has left the cooperative.
func (m Member) Left() bool { return !m.LeftOn.IsZero() }

// ErrLeft is returned for money moved into the accounts of a member who has
// left: they are closed.
var ErrLeft = errors.New("the member has left the cooperative")

const columns = `id, number, name, phone, coalesce(nik, ''), joined_on, lang, coalesce(left_on, ''),
	bank_name, bank_number, bank_holder`

// scan reads a row of columns, then more.
func scan(row interface{ Scan(...any) error }, more ...any) (Member, error) {
	var m Member
	var joined, left string
	if err := row.Scan(append([]any{&m.ID, &m.Number, &m.Name, &m.Phone, &m.NIK, &joined, &m.Lang, &left,
		&m.Bank.Bank, &m.Bank.Number, &m.Bank.Holder}, more...)...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return Member{}, ErrNotFound
		}
		return Member{}, err
	}
	t, err := time.Parse(DateLayout, joined)
	if err != nil {
		return Member{}, fmt.Errorf("member %s: bad joined_on %q: %w", m.Number, joined, err)
	}
	m.JoinedOn = t
	if left != "" {
		if m.LeftOn, err = time.Parse(DateLayout, left); err != nil {
			return Member{}, fmt.Errorf("member %s: bad left_on %q: %w", m.Number, left, err)
		}
	}
	return m, nil
}

// ByPhone finds the member with the given E.164 phone (digits, no '+').
func ByPhone(ctx context.Context, q store.Queryer, phone string) (Member, error) {
	m, _, err := ByPhoneAnd(ctx, q, phone, "0")
	return m, err
}

// ByPhoneAnd is ByPhone that also reads also, a true-or-false SQL
// expression over the member's row (table members), in the same statement:
// what handling a message must know of its sender comes with them, at no
// round trip of its own.
func ByPhoneAnd(ctx context.Context, q store.Queryer, phone, also string) (Member, bool, error) {
	var is bool
	m, err := scan(q.QueryRowContext(ctx, `SELECT `+columns+`, `+also+` FROM members WHERE phone = ?`, phone), &is)
	if err != nil {
		return Member{}, false, fmt.Errorf("member by phone: %w", err)
	}
	return m, is, nil
}

// ByNumber finds the member with the given member number, as written or
// as NormalNumber reads it (kmm‐00001 finds KMM-00001).
func ByNumber(ctx context.Context, q store.Queryer, number string) (Member, error) {
	m, err := scan(q.QueryRowContext(ctx, `SELECT `+columns+` FROM members WHERE number = ?1
		UNION ALL SELECT `+columns+` FROM members WHERE number = ?2 AND ?2 <> ?1 LIMIT 1`, number, NormalNumber(number)))
	if err != nil {
		return Member{}, fmt.Errorf("member by number %s: %w", number, err)
	}
	return m, nil
}

// ByID finds the member with the given id.
func ByID(ctx context.Context, q store.Queryer, id int64) (Member, error) {
	m, err := scan(q.QueryRowContext(ctx, `SELECT `+columns+` FROM members WHERE id = ?`, id))
	if err != nil {
		return Member{}, fmt.Errorf("member %d: %w", id, err)
	}
	return m, nil
}

// Create inserts m and returns it with its id. Phone must already be normalised.
func Create(ctx context.Context, q store.Queryer, m Member) (Member, error) {
	if m.Lang == "" {
		m.Lang = "id"
	}
	var nik any
	if m.NIK != "" {
		nik = m.NIK
	}
	res, err := q.ExecContext(ctx, `INSERT INTO members (number, name, phone, nik, joined_on, lang, bank_name, bank_number, bank_holder)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.Number, m.Name, m.Phone, nik, m.JoinedOn.Format(DateLayout), m.Lang, m.Bank.Bank, m.Bank.Number, m.Bank.Holder)
	if err != nil {
		return Member{}, fmt.Errorf("create member %s: %w", m.Number, err)
	}
	if m.ID, err = res.LastInsertId(); err != nil {
		return Member{}, fmt.Errorf("create member %s: %w", m.Number, err)
	}
	return m, nil
}

// SetLanguage stores the language the member wants to be answered in.
func SetLanguage(ctx context.Context, q store.Queryer, id int64, lang string) error {
	if _, err := q.ExecContext(ctx, `UPDATE members SET lang = ? WHERE id = ?`, lang, id); err != nil {
		return fmt.Errorf("set language of member %d: %w", id, err)
	}
	return nil
}

// MarkLeft records that the member left on the date of on. A member who
// left already is refused with ErrLeft, so leaving happens once.
func MarkLeft(ctx context.Context, q store.Queryer, id int64, on time.Time) error {
	res, err := q.ExecContext(ctx, `UPDATE members SET left_on = ? WHERE id = ? AND left_on IS NULL`, on.Format(DateLayout), id)
	if err != nil {
		return fmt.Errorf("member %d leaves: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("member %d leaves: %w", id, cmp.Or(err, ErrLeft))
	}
	return nil
}

// ReleasePhone frees the number of a member who has left, for whoever
// holds it now (a recycled SIM, or the member joining again): their row
// keeps a placeholder, and the chats and accounts kopbot knew them by are
// forgotten, so nothing meant for the new holder reaches the old member's
// record or the other way round.
func ReleasePhone(ctx context.Context, q store.Queryer, m Member) error {
	if !m.Left() {
		return fmt.Errorf("release the number of member %s: still a member", m.Number)
	}
	for _, s := range []string{
		`UPDATE members SET phone = 'dilepas:' || id WHERE id = ?`,
		`DELETE FROM member_channels WHERE member_id = ?`,
		`DELETE FROM member_identities WHERE member_id = ?`,
	} {
		if _, err := q.ExecContext(ctx, s, m.ID); err != nil {
			return fmt.Errorf("release the number of member %s: %w", m.Number, err)
		}
	}
	return nil
}
