// Package member holds the cooperative's members and how they are known:
// by member number at the office, by phone number on chat.
package member

import (
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
}

const columns = `id, number, name, phone, coalesce(nik, ''), joined_on, lang`

func scan(row interface{ Scan(...any) error }) (Member, error) {
	var m Member
	var joined string
	if err := row.Scan(&m.ID, &m.Number, &m.Name, &m.Phone, &m.NIK, &joined, &m.Lang); err != nil {
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
	return m, nil
}

// ByPhone finds the member with the given E.164 phone (digits, no '+').
func ByPhone(ctx context.Context, q store.Queryer, phone string) (Member, error) {
	m, err := scan(q.QueryRowContext(ctx, `SELECT `+columns+` FROM members WHERE phone = ?`, phone))
	if err != nil {
		return Member{}, fmt.Errorf("member by phone: %w", err)
	}
	return m, nil
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
	res, err := q.ExecContext(ctx, `INSERT INTO members (number, name, phone, nik, joined_on, lang) VALUES (?, ?, ?, ?, ?, ?)`,
		m.Number, m.Name, m.Phone, nik, m.JoinedOn.Format(DateLayout), m.Lang)
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
