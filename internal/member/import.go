package member

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
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
	{Key: "optin", Names: []string{"optin", "opt_in"}},
	// The member's bank account on file: the three together, or none.
	{Key: "bank", Names: []string{"bank", "nama_bank", "bank_name"}},
	{Key: "bank_number", Names: []string{"no_rekening", "rekening", "account_number"}},
	{Key: "bank_holder", Names: []string{"atas_nama", "nama_rekening", "account_holder"}},
}

// optinValues read the optin column: the member agreed on paper to get
// reminders and announcements on WhatsApp before ever writing to the
// cooperative's number. An empty cell leaves what was recorded.
var optinValues = map[string]bool{"ya": true, "y": true, "yes": true, "1": true, "true": true,
	"tidak": false, "t": false, "no": false, "n": false, "0": false, "false": false}

// joinLayouts are the dates a spreadsheet writes: ISO, and the Indonesian
// day-first forms, with or without leading zeros.
var joinLayouts = []string{time.DateOnly, "2/1/2006", "2-1-2006"}

// maxErrors is how many problems an import reports by line; past it only
// their number, as csvin's "more" problem. A file wrong on every one of a
// million lines is one mistake repeated, and listing it would take the
// memory streaming saves.
const maxErrors = 1000

// Import reads a members file and applies it all or not at all. Every line is
// checked; any problem returns csvin.Errors (every problem, by line, up to
// maxErrors) and writes nothing. A member number not yet known is created. A
// known one gets the file's name, phone and join date (members change phones,
// and prepaid numbers are recycled to other people) and its NIK when the file
// gives one; the language is only set on creation, because afterwards it is
// the member's own choice made in chat. Importing the same file again
// changes nothing.
//
// The file streams: each line is checked and written as it is read, inside
// one write transaction that a problem anywhere rolls back, and what must
// be remembered across lines (numbers and phones seen, look-alikes of known
// numbers) is kept in temporary tables, not in memory. A million members
// take the memory of a few thousand.
func Import(ctx context.Context, db *store.DB, r io.Reader) (ImportResult, error) {
	var res ImportResult
	var errs problems
	err := db.Write(ctx, func(tx *sql.Tx) error {
		im, err := startImport(ctx, tx)
		if err != nil {
			return err
		}
		err = csvin.Scan(r, importColumns, func(row *csvin.Row, found csvin.Errors) error {
			errs.add(found...)
			if row == nil {
				return nil
			}
			return im.line(ctx, *row, &errs)
		})
		if err != nil {
			return err
		}
		if err := im.finish(ctx, &errs); err != nil {
			return err
		}
		if errs.n > 0 {
			return errs.list()
		}
		res = im.res
		return nil
	})
	var lineErrs csvin.Errors
	if errors.As(err, &lineErrs) {
		return ImportResult{}, lineErrs
	}
	if err != nil {
		return ImportResult{}, fmt.Errorf("import members: %w", err)
	}
	return res, nil
}

// problems keeps the first maxErrors problems of a file and counts all.
type problems struct {
	kept csvin.Errors
	n    int
}

func (p *problems) add(es ...csvin.LineError) {
	for _, e := range es {
		p.n++
		if len(p.kept) < maxErrors {
			p.kept = append(p.kept, e)
		}
	}
}

// list is the problems by line, and how many more there were.
func (p *problems) list() csvin.Errors {
	out := slices.Clone(p.kept)
	slices.SortStableFunc(out, func(a, b csvin.LineError) int { return a.Line - b.Line })
	if more := p.n - len(out); more > 0 {
		out = append(out, csvin.LineError{Code: "more", Value: strconv.Itoa(more)})
	}
	return out
}

// importer is one import in progress, in its transaction.
type importer struct {
	tx  *sql.Tx
	res ImportResult
}

// importTables remember the lines read so far. They live in the writer
// connection's temporary database, on disk, for the transaction: finish
// drops them, and a rollback drops them as well.
const importTables = `
CREATE TEMP TABLE import_numbers (number TEXT PRIMARY KEY, key TEXT NOT NULL, line INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX temp.import_numbers_key ON import_numbers (key, line);
CREATE TEMP TABLE import_phones (phone TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TEMP TABLE import_known (key TEXT PRIMARY KEY, number TEXT NOT NULL) WITHOUT ROWID;
CREATE TEMP TABLE import_parked (member_id INTEGER PRIMARY KEY, phone TEXT NOT NULL, line INTEGER NOT NULL, typed TEXT NOT NULL);`

// startImport makes the tables an import remembers lines in, and notes
// every known member number as NormalNumber reads it, to find look-alikes.
func startImport(ctx context.Context, tx *sql.Tx) (*importer, error) {
	if _, err := tx.ExecContext(ctx, importTables); err != nil {
		return nil, fmt.Errorf("prepare import: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT number FROM members`)
	if err != nil {
		return nil, fmt.Errorf("load member numbers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("load member numbers: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO import_known (key, number) VALUES (?, ?) ON CONFLICT DO NOTHING`, NormalNumber(n), n); err != nil {
			return nil, fmt.Errorf("note member number %s: %w", n, err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load member numbers: %w", err)
	}
	return &importer{tx: tx}, nil
}

// line checks one line on its own and against the lines before it and the
// members known, and writes it when it is good.
func (im *importer) line(ctx context.Context, row csvin.Row, errs *problems) error {
	m, ok, found := parseRow(row)
	errs.add(found...)
	optin, said := optinValues[strings.ToLower(row.Get("optin"))]
	if !said && row.Get("optin") != "" {
		errs.add(lineError(row, "optin", "optin_invalid"))
		ok = false
	}
	if m.Number != "" {
		bad, err := im.numberSeen(ctx, row, m.Number)
		if err != nil {
			return err
		}
		if bad != nil {
			errs.add(*bad)
			ok = false
		}
	}
	if m.Phone != "" {
		fresh, err := im.phoneSeen(ctx, m.Phone)
		if err != nil {
			return err
		}
		if !fresh {
			errs.add(lineError(row, "phone", "phone_duplicate"))
			ok = false
		}
	}
	// Good lines are written even once the file is known to be refused:
	// the rollback undoes them, and later lines are checked against the
	// members as the file would leave them (a phone still someone else's).
	if !ok || m.Number == "" || m.Name == "" || m.Phone == "" || m.JoinedOn.IsZero() {
		return nil
	}
	if err := im.apply(ctx, row, m); err != nil || !said {
		return err
	}
	// After apply: a moved number's opt-in was forgotten with it, and the
	// line's own column is what holds for the new one.
	q := `DELETE FROM member_optin WHERE member_id = (SELECT id FROM members WHERE number = ?)`
	if optin {
		q = `INSERT INTO member_optin (member_id) SELECT id FROM members WHERE number = ? ON CONFLICT DO NOTHING`
	}
	if _, err := im.tx.ExecContext(ctx, q, m.Number); err != nil {
		return fmt.Errorf("opt-in of member %s: %w", m.Number, err)
	}
	return nil
}

func lineError(row csvin.Row, key, code string) csvin.LineError {
	return csvin.LineError{Line: row.Line, Field: fieldName(key), Code: code, Value: row.Get(key)}
}

// numberSeen reports a number written twice in the file, or one that reads
// the same as another number of the file or a known member's (KMM‐00007
// with another hyphen, kmm-00007): imported, it would be a second member
// an officer cannot tell from the first.
func (im *importer) numberSeen(ctx context.Context, row csvin.Row, number string) (*csvin.LineError, error) {
	key := NormalNumber(number)
	var twice bool
	var first, known sql.NullString
	if err := im.tx.QueryRowContext(ctx, `SELECT
		EXISTS (SELECT 1 FROM import_numbers WHERE number = ?1),
		(SELECT number FROM import_numbers WHERE key = ?2 ORDER BY line LIMIT 1),
		(SELECT number FROM import_known WHERE key = ?2)`, number, key).Scan(&twice, &first, &known); err != nil {
		return nil, fmt.Errorf("check number of line %d: %w", row.Line, err)
	}
	if !twice {
		if _, err := im.tx.ExecContext(ctx, `INSERT INTO import_numbers (number, key, line) VALUES (?, ?, ?)`, number, key, row.Line); err != nil {
			return nil, fmt.Errorf("note number of line %d: %w", row.Line, err)
		}
	}
	var e csvin.LineError
	switch {
	case twice:
		e = lineError(row, "number", "number_duplicate")
	case (first.Valid && first.String != number) || (known.Valid && known.String != number) || strings.ContainsFunc(number, unsafeRune):
		e = lineError(row, "number", "number_lookalike")
	default:
		return nil, nil
	}
	return &e, nil
}

// phoneSeen notes phone as the file's; false if an earlier line had it.
func (im *importer) phoneSeen(ctx context.Context, phone string) (bool, error) {
	res, err := im.tx.ExecContext(ctx, `INSERT INTO import_phones (phone) VALUES (?) ON CONFLICT DO NOTHING`, phone)
	if err != nil {
		return false, fmt.Errorf("note phone: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("note phone: %w", err)
	}
	return n == 1, nil
}

// parseRow checks one line on its own. Empty required fields were reported
// by csvin and are not reported again. ok is false when the line has a
// problem.
func parseRow(row csvin.Row) (m Member, ok bool, errs csvin.Errors) {
	bad := func(key, code string) {
		errs = append(errs, lineError(row, key, code))
	}
	m = Member{Number: row.Get("number"), NIK: row.Get("nik"), Lang: "id"}
	// Collapsing inner spaces keeps "Siti  Aminah" and "Siti Aminah"
	// one name, so a re-import does not count it as changed.
	m.Name = strings.Join(strings.Fields(row.Get("name")), " ")
	switch {
	case m.Name != "" && strings.ContainsFunc(row.Get("name"), unsafeRune):
		bad("name", "name_control")
	case m.Name != "" && !strings.ContainsFunc(m.Name, unicode.IsLetter):
		bad("name", "name_empty") // "-" or "0": a placeholder, not a name
	}
	if raw := row.Get("phone"); raw != "" {
		p, err := phone.Normalize(raw)
		switch {
		case errors.Is(err, phone.ErrNotMobile):
			bad("phone", "phone_not_mobile")
		case err != nil:
			bad("phone", "phone_invalid")
		default:
			m.Phone = p
		}
	}
	if raw := row.Get("joined"); raw != "" {
		d, err := parseDate(raw)
		if err != nil {
			bad("joined", "date_invalid")
		}
		m.JoinedOn = d
	}
	if m.NIK != "" && !validNIK(m.NIK) {
		bad("nik", "nik_invalid")
	}
	if bank, number, holder := row.Get("bank"), row.Get("bank_number"), row.Get("bank_holder"); bank+number+holder != "" {
		var err error
		switch m.Bank, err = NewBankAccount(bank, number, holder); {
		case bank == "" || number == "" || holder == "":
			bad("bank", "bank_incomplete")
		case err != nil:
			bad("bank_number", "bank_invalid")
		}
	}
	if raw := row.Get("lang"); raw != "" {
		switch l := strings.ToLower(raw); l {
		case "id", "en":
			m.Lang = l
		default:
			bad("lang", "lang_invalid")
		}
	}
	return m, len(errs) == 0, errs
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

// unsafeRune is a character no name or member number needs and that can
// make one look like another on an officer's screen: control characters
// (a line break in a spreadsheet cell is only space, and is folded), and
// the bidirectional overrides that reverse text as it is displayed.
func unsafeRune(r rune) bool {
	return (unicode.IsControl(r) && !unicode.IsSpace(r)) || unicode.Is(unicode.Bidi_Control, r)
}

// apply writes one checked line. A phone the line gives that another
// member still has is taken from them and parked: the file may give that
// member a new phone further down (a recycled number, a swap), and SQLite
// checks UNIQUE(phone) per statement. A member still parked at the end
// keeps the phone in truth, and the line that took it is refused (finish).
func (im *importer) apply(ctx context.Context, row csvin.Row, m Member) error {
	im.res.Rows++
	old, err := ByNumber(ctx, im.tx, m.Number)
	if errors.Is(err, ErrNotFound) {
		if err := im.park(ctx, row, m.Phone); err != nil {
			return err
		}
		if _, err := Create(ctx, im.tx, m); err != nil {
			return err
		}
		im.res.Created++
		return nil
	}
	if err != nil {
		return err
	}
	next := old
	next.Name, next.Phone, next.JoinedOn = m.Name, m.Phone, m.JoinedOn
	if m.NIK != "" {
		next.NIK = m.NIK
	}
	if !m.Bank.IsZero() {
		next.Bank = m.Bank
	}
	if same(next, old) {
		im.res.Unchanged++
		return nil
	}
	if next.Phone != old.Phone {
		if err := im.park(ctx, row, next.Phone); err != nil {
			return err
		}
		was, err := im.unpark(ctx, old)
		if err != nil {
			return err
		}
		if was == "" {
			was = old.Phone
			if err := forgetReach(ctx, im.tx, old); err != nil {
				return err
			}
		}
		im.res.Moved = append(im.res.Moved, Moved{Number: old.Number, Old: was, New: next.Phone})
	}
	if err := update(ctx, im.tx, next); err != nil {
		return err
	}
	im.res.Updated++
	return nil
}

// park frees phone from the member who has it, if any, for row's member.
// The owner is reached at it no more: if the import goes through, the
// phone is someone else's.
func (im *importer) park(ctx context.Context, row csvin.Row, phone string) error {
	owner, err := ByPhone(ctx, im.tx, phone)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := im.tx.ExecContext(ctx, `UPDATE members SET phone = ? WHERE id = ?`, fmt.Sprintf("moving:%d", owner.ID), owner.ID); err != nil {
		return fmt.Errorf("free phone of member %s: %w", owner.Number, err)
	}
	if _, err := im.tx.ExecContext(ctx, `INSERT INTO import_parked (member_id, phone, line, typed) VALUES (?, ?, ?, ?)`,
		owner.ID, owner.Phone, row.Line, row.Get("phone")); err != nil {
		return fmt.Errorf("park phone of member %s: %w", owner.Number, err)
	}
	return forgetReach(ctx, im.tx, owner)
}

// unpark returns the phone m had before a line took it ("" if none did),
// now that m's own line gives m another.
func (im *importer) unpark(ctx context.Context, m Member) (string, error) {
	var was string
	err := im.tx.QueryRowContext(ctx, `DELETE FROM import_parked WHERE member_id = ? RETURNING phone`, m.ID).Scan(&was)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("unpark member %s: %w", m.Number, err)
	}
	return was, nil
}

// finish refuses the lines that took a phone from a member the file gives
// no other, and drops the import's tables.
func (im *importer) finish(ctx context.Context, errs *problems) error {
	rows, err := im.tx.QueryContext(ctx, `SELECT line, typed FROM import_parked ORDER BY line`)
	if err != nil {
		return fmt.Errorf("check parked phones: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e := csvin.LineError{Field: fieldName("phone"), Code: "phone_duplicate"}
		if err := rows.Scan(&e.Line, &e.Value); err != nil {
			return fmt.Errorf("check parked phones: %w", err)
		}
		errs.add(e)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("check parked phones: %w", err)
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("check parked phones: %w", err)
	}
	if _, err := im.tx.ExecContext(ctx, `DROP TABLE import_numbers; DROP TABLE import_phones; DROP TABLE import_known; DROP TABLE import_parked`); err != nil {
		return fmt.Errorf("drop import tables: %w", err)
	}
	return nil
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
	if _, err := tx.ExecContext(ctx, `DELETE FROM member_optin WHERE member_id = ?`, m.ID); err != nil {
		return fmt.Errorf("forget opt-in of member %s: %w", m.Number, err)
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
	return a.Name == b.Name && a.Phone == b.Phone && a.NIK == b.NIK && a.JoinedOn.Equal(b.JoinedOn) && a.Bank == b.Bank
}

func update(ctx context.Context, q store.Queryer, m Member) error {
	var nik any
	if m.NIK != "" {
		nik = m.NIK
	}
	if _, err := q.ExecContext(ctx, `UPDATE members SET name = ?, phone = ?, nik = ?, joined_on = ?,
		bank_name = ?, bank_number = ?, bank_holder = ? WHERE id = ?`,
		m.Name, m.Phone, nik, m.JoinedOn.Format(DateLayout), m.Bank.Bank, m.Bank.Number, m.Bank.Holder, m.ID); err != nil {
		return fmt.Errorf("update member %s: %w", m.Number, err)
	}
	return nil
}
