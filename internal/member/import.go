package member

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/csvin"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/phone"
	"github.com/kopmem/kopbot/internal/store"
)

// ImportResult counts what an import did; Rows = Created + Updated + Unchanged.
type ImportResult struct {
	Rows      int
	Created   int
	Updated   int
	Unchanged int
	// Moved lists the members whose phone number the import changed, for
	// the officers to check in the summary.
	Moved []Moved
}

// Moved is a member's phone number changed by an import.
type Moved struct {
	Number   string
	Old, New string
}

// importColumns is the members file: Indonesian headers first, English
// aliases after. The first name is what LineError.Field reports.
var importColumns = []csvin.Column{
	{Key: "number", Names: []string{"no_anggota", "member_number"}, Required: true},
	{Key: "name", Names: []string{"nama", "name"}, Required: true},
	{Key: "phone", Names: []string{"no_hp", "phone"}, Required: true},
	{Key: "joined", Names: []string{"tanggal_masuk", "join_date"}, Required: true},
	{Key: "nik", Names: []string{"nik"}},
	{Key: "lang", Names: []string{"bahasa", "language"}},
}

// joinLayouts are the dates a spreadsheet writes: ISO, and the Indonesian
// day-first forms, with or without leading zeros.
var joinLayouts = []string{time.DateOnly, "2/1/2006", "2-1-2006"}

// candidate is one valid line of the file; rawPhone is the phone as typed,
// for messages the treasurer can match against the file.
type candidate struct {
	line     int
	rawPhone string
	m        Member
}

// Import reads a members file and applies it all or not at all. Every line is
// checked first; any problem returns csvin.Errors (every problem, by line)
// and writes nothing. A member number not yet known is created. A known one
// gets the file's name, phone and join date (members change phones, and
// prepaid numbers are recycled to other people) and its NIK when the file
// gives one; the language is only set on creation, because afterwards it is
// the member's own choice made in chat. Importing the same file again
// changes nothing.
func Import(ctx context.Context, db *store.DB, r io.Reader) (ImportResult, error) {
	rows, errs, err := csvin.Read(r, importColumns)
	if err != nil {
		return ImportResult{}, fmt.Errorf("import members: %w", err)
	}
	cands, lineErrs := parseRows(rows)
	errs = append(errs, lineErrs...)

	var res ImportResult
	err = db.Write(ctx, func(tx *sql.Tx) error {
		ex, err := loadAll(ctx, tx)
		if err != nil {
			return err
		}
		errs = append(errs, phoneConflicts(cands, ex)...)
		errs = append(errs, lookalikes(cands, ex)...)
		if len(errs) > 0 {
			slices.SortStableFunc(errs, func(a, b csvin.LineError) int { return a.Line - b.Line })
			return errs
		}
		res, err = apply(ctx, tx, cands, ex)
		return err
	})
	if errors.As(err, &errs) {
		return ImportResult{}, errs
	}
	if err != nil {
		return ImportResult{}, fmt.Errorf("import members: %w", err)
	}
	return res, nil
}

// parseRows checks each row on its own and against the other rows of the
// file. Empty required fields were reported by csvin and are not reported
// again.
func parseRows(rows []csvin.Row) ([]candidate, csvin.Errors) {
	var errs csvin.Errors
	bad := func(row csvin.Row, key, code string) {
		errs = append(errs, csvin.LineError{Line: row.Line, Field: fieldName(key), Code: code, Value: row.Get(key)})
	}
	numbers := map[string]bool{}
	keys := map[string]string{} // NormalNumber → the number as first written
	phones := map[string]bool{}
	var cands []candidate
	for _, row := range rows {
		ok := true
		m := Member{Number: row.Get("number"), NIK: row.Get("nik"), Lang: "id"}
		if m.Number != "" {
			first, seen := keys[NormalNumber(m.Number)]
			switch {
			case numbers[m.Number]:
				bad(row, "number", "number_duplicate")
				ok = false
			case (seen && first != m.Number) || strings.ContainsFunc(m.Number, unsafeRune):
				bad(row, "number", "number_lookalike")
				ok = false
			}
			numbers[m.Number] = true
			if !seen {
				keys[NormalNumber(m.Number)] = m.Number
			}
		}
		// Collapsing inner spaces keeps "Siti  Aminah" and "Siti Aminah"
		// one name, so a re-import does not count it as changed.
		m.Name = strings.Join(strings.Fields(row.Get("name")), " ")
		switch {
		case m.Name != "" && strings.ContainsFunc(row.Get("name"), unsafeRune):
			bad(row, "name", "name_control")
			ok = false
		case m.Name != "" && !strings.ContainsFunc(m.Name, unicode.IsLetter):
			bad(row, "name", "name_empty") // "-" or "0": a placeholder, not a name
			ok = false
		}
		if raw := row.Get("phone"); raw != "" {
			p, err := phone.Normalize(raw)
			switch {
			case errors.Is(err, phone.ErrNotMobile):
				bad(row, "phone", "phone_not_mobile")
				ok = false
			case err != nil:
				bad(row, "phone", "phone_invalid")
				ok = false
			case phones[p]:
				bad(row, "phone", "phone_duplicate")
				ok = false
			default:
				phones[p] = true
				m.Phone = p
			}
		}
		if raw := row.Get("joined"); raw != "" {
			d, err := parseDate(raw)
			if err != nil {
				bad(row, "joined", "date_invalid")
				ok = false
			}
			m.JoinedOn = d
		}
		if m.NIK != "" && !validNIK(m.NIK) {
			bad(row, "nik", "nik_invalid")
			ok = false
		}
		if raw := row.Get("lang"); raw != "" {
			switch l := strings.ToLower(raw); l {
			case "id", "en":
				m.Lang = l
			default:
				bad(row, "lang", "lang_invalid")
				ok = false
			}
		}
		if ok && m.Number != "" && m.Name != "" && m.Phone != "" && !m.JoinedOn.IsZero() {
			cands = append(cands, candidate{line: row.Line, rawPhone: row.Get("phone"), m: m})
		}
	}
	return cands, errs
}

func fieldName(key string) string {
	for _, c := range importColumns {
		if c.Key == key {
			return c.Names[0]
		}
	}
	panic("member import: no column " + key)
}

func parseDate(s string) (time.Time, error) {
	for _, layout := range joinLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("date %q: want YYYY-MM-DD or DD/MM/YYYY", s)
}

// validNIK checks the shape only: 16 digits. A spreadsheet that turned the
// NIK into a number (3.27E+15) or dropped a digit fails here.
func validNIK(s string) bool {
	return len(s) == 16 && strings.Trim(s, "0123456789") == ""
}

// existing is the members table, looked up both ways.
type existing struct {
	byNumber map[string]Member
	byPhone  map[string]Member
}

func loadAll(ctx context.Context, q store.Queryer) (existing, error) {
	ex := existing{byNumber: map[string]Member{}, byPhone: map[string]Member{}}
	rows, err := q.QueryContext(ctx, `SELECT `+columns+` FROM members`)
	if err != nil {
		return ex, fmt.Errorf("load members: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		m, err := scan(rows)
		if err != nil {
			return ex, fmt.Errorf("load members: %w", err)
		}
		ex.byNumber[m.Number] = m
		ex.byPhone[m.Phone] = m
	}
	if err := rows.Err(); err != nil {
		return ex, fmt.Errorf("load members: %w", err)
	}
	return ex, nil
}

// unsafeRune is a character no name or member number needs and that can
// make one look like another on an officer's screen: control characters
// (a line break in a spreadsheet cell is only space, and is folded), and
// the bidirectional overrides that reverse text as it is displayed.
func unsafeRune(r rune) bool {
	return (unicode.IsControl(r) && !unicode.IsSpace(r)) || unicode.Is(unicode.Bidi_Control, r)
}

// lookalikes reports numbers that are not a known member's but read the
// same as one (KMM‐00007 with another hyphen, kmm-00007): imported, they
// would be a second member an officer cannot tell from the first.
func lookalikes(cands []candidate, ex existing) csvin.Errors {
	known := make(map[string]string, len(ex.byNumber))
	for n := range ex.byNumber {
		known[NormalNumber(n)] = n
	}
	var errs csvin.Errors
	for _, c := range cands {
		if n, ok := known[NormalNumber(c.m.Number)]; ok && n != c.m.Number {
			errs = append(errs, csvin.LineError{Line: c.line, Field: fieldName("number"), Code: "number_lookalike", Value: c.m.Number})
		}
	}
	return errs
}

// phoneConflicts reports phones that already belong to another member who
// keeps them after the import. A phone moving from one member in the file to
// another member in the file (a recycled number, a swap) is no conflict.
func phoneConflicts(cands []candidate, ex existing) csvin.Errors {
	inFile := make(map[string]bool, len(cands))
	for _, c := range cands {
		inFile[c.m.Number] = true
	}
	var errs csvin.Errors
	for _, c := range cands {
		owner, ok := ex.byPhone[c.m.Phone]
		if ok && owner.Number != c.m.Number && !inFile[owner.Number] {
			errs = append(errs, csvin.LineError{Line: c.line, Field: fieldName("phone"), Code: "phone_duplicate", Value: c.rawPhone})
		}
	}
	return errs
}

// apply writes the checked candidates. Phones that change are first parked on
// a placeholder, because SQLite checks UNIQUE(phone) per statement and a
// phone moving between two members would otherwise collide half-way.
func apply(ctx context.Context, tx *sql.Tx, cands []candidate, ex existing) (ImportResult, error) {
	res := ImportResult{Rows: len(cands)}
	var updates []Member
	for _, c := range cands {
		old, ok := ex.byNumber[c.m.Number]
		if !ok {
			continue
		}
		next := old
		next.Name, next.Phone, next.JoinedOn = c.m.Name, c.m.Phone, c.m.JoinedOn
		if c.m.NIK != "" {
			next.NIK = c.m.NIK
		}
		if same(next, old) {
			res.Unchanged++
			continue
		}
		if next.Phone != old.Phone {
			if _, err := tx.ExecContext(ctx, `UPDATE members SET phone = ? WHERE id = ?`, fmt.Sprintf("moving:%d", old.ID), old.ID); err != nil {
				return ImportResult{}, fmt.Errorf("free phone of member %s: %w", old.Number, err)
			}
			if err := forgetReach(ctx, tx, old); err != nil {
				return ImportResult{}, err
			}
			res.Moved = append(res.Moved, Moved{Number: old.Number, Old: old.Phone, New: next.Phone})
		}
		updates = append(updates, next)
	}
	for _, m := range updates {
		if err := update(ctx, tx, m); err != nil {
			return ImportResult{}, err
		}
		res.Updated++
	}
	for _, c := range cands {
		if _, ok := ex.byNumber[c.m.Number]; ok {
			continue
		}
		if _, err := Create(ctx, tx, c.m); err != nil {
			return ImportResult{}, err
		}
		res.Created++
	}
	return res, nil
}

// forgetReach drops every way kopbot knew of reaching m at their old
// number: prepaid numbers are recycled, and the next owner must never get
// m's receipts, decisions or reminders. The chats m used are forgotten (the
// next notice goes to WhatsApp at the new number, until m writes from
// somewhere), and what still waits for the old number is given up, to show
// in /gagal for an officer to pass on.
func forgetReach(ctx context.Context, tx *sql.Tx, m Member) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM member_channels WHERE member_id = ?`, m.ID); err != nil {
		return fmt.Errorf("forget chats of member %s: %w", m.Number, err)
	}
	if _, err := outbox.GiveUpChat(ctx, tx, channel.WhatsApp, m.Phone+"@s.whatsapp.net",
		"nomor anggota diganti: tidak dikirim ke nomor lama (number changed)"); err != nil {
		return fmt.Errorf("member %s: %w", m.Number, err)
	}
	return nil
}

// same compares what an import can change; time.Time is compared with Equal
// because == also compares the location pointer.
func same(a, b Member) bool {
	return a.Name == b.Name && a.Phone == b.Phone && a.NIK == b.NIK && a.JoinedOn.Equal(b.JoinedOn)
}

func update(ctx context.Context, q store.Queryer, m Member) error {
	var nik any
	if m.NIK != "" {
		nik = m.NIK
	}
	if _, err := q.ExecContext(ctx, `UPDATE members SET name = ?, phone = ?, nik = ?, joined_on = ? WHERE id = ?`,
		m.Name, m.Phone, nik, m.JoinedOn.Format(DateLayout), m.ID); err != nil {
		return fmt.Errorf("update member %s: %w", m.Number, err)
	}
	return nil
}
