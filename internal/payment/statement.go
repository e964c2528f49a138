package payment

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/csvin"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/money"
)

// Layout is where a bank's statement export (CSV or .xlsx) keeps what
// kopbot reads: the header names of the columns, as the bank writes them
// (case and surrounding spaces ignored).
type Layout struct {
	Date, Description, Credit string
	// Debit is the column of money going out, "" when the bank has one
	// amount column (see CreditMark).
	Debit string
	// CreditMark, when set, is the word after a credit's amount in the
	// Credit column, which then holds every movement ("1,500,000.00 CR";
	// debits say DB).
	CreditMark string
}

// Presets are the statement layouts of typical Indonesian internet
// banking exports, by the name the config uses. Banks change their
// exports: a cooperative whose file differs names its columns itself.
var Presets = map[string]Layout{
	// KlikBCA "mutasi rekening": one amount column marked CR or DB.
	"bca": {Date: "Tanggal Transaksi", Description: "Keterangan", Credit: "Jumlah", CreditMark: "CR"},
	// Mandiri: debit and credit in columns of their own.
	"mandiri": {Date: "Tanggal", Description: "Keterangan", Credit: "Kredit", Debit: "Debit"},
	// BRI: as Mandiri, with BRI's own names.
	"bri": {Date: "Tanggal Transaksi", Description: "Uraian Transaksi", Credit: "Kredit", Debit: "Debet"},
}

// PresetNames lists the presets, sorted, for messages and validation.
func PresetNames() []string {
	names := make([]string, 0, len(Presets))
	for n := range Presets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// dateLayouts are the ways statements write a day, day before month as
// Indonesian banks do; an .xlsx date cell arrives as its ISO date.
var dateLayouts = []string{"02/01/2006", "2/1/2006", "02-01-2006", "2006-01-02", "02/01/06", "02 Jan 2006", "02-Jan-2006",
	"02/01/2006 15:04:05", "02/01/2006 15:04", "2006-01-02 15:04:05", "02-01-2006 15:04:05"}

// Line is a credit on a bank statement: money that came in.
type Line struct {
	// Row is the file's line (or the sheet's row) it was read from.
	Row         int
	Date        time.Time
	Description string
	Amount      decimal.Decimal
	// Key names the line across imports: the account, the date, the
	// description, the amount, and how many identical lines came before it
	// in the file, so a re-import (or an export that overlaps the last)
	// finds the lines it read already.
	Key string
}

// Statement is what ReadStatement made of a file.
type Statement struct {
	Credits []Line
	// Debits counts the money that went out, which kopbot leaves alone;
	// Skipped the rows that are no movement (opening and closing balance,
	// totals, pending lines without a date).
	Debits, Skipped int
	// Errors are rows with a date whose amount cannot be read.
	Errors csvin.Errors
}

// ReadStatement reads acct's statement export. Lines before the header
// (the account number and period BCA and BRI print first) are passed over,
// in a CSV file and an .xlsx sheet alike.
func ReadStatement(r io.Reader, acct BankAccount, loc *time.Location) (Statement, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Statement{}, fmt.Errorf("read statement: %w", err)
	}
	l := acct.Layout
	skipped := 0 // lines before the header, so rows are named by the file's line numbers
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		data, skipped = fromHeader(data, l.Date)
	}
	cols := []csvin.Column{{Key: "date", Names: []string{l.Date}, Required: true},
		{Key: "desc", Names: []string{l.Description}}, {Key: "credit", Names: []string{l.Credit}, Required: true}}
	if l.Debit != "" {
		cols = append(cols, csvin.Column{Key: "debit", Names: []string{l.Debit}})
	}
	rows, _, err := csvin.ReadPastPreamble(bytes.NewReader(data), cols)
	var header csvin.Errors
	if errors.As(err, &header) {
		for i := range header {
			header[i].Line += skipped
		}
	}
	if err != nil {
		return Statement{}, err
	}
	var st Statement
	seen := map[string]int{}
	for _, row := range rows {
		row.Line += skipped
		day, ok := parseDay(row.Get("date"), loc)
		if !ok {
			st.Skipped++
			continue
		}
		raw := row.Get("credit")
		if l.CreditMark != "" {
			fields := strings.Fields(raw)
			if len(fields) < 2 || !strings.EqualFold(fields[len(fields)-1], l.CreditMark) {
				st.Debits++
				continue
			}
			raw = strings.Join(fields[:len(fields)-1], "")
		}
		// money.Parse reads 1.234.567,00 and 1,234,567.00 alike; a credit
		// column shows 0,00 (or nothing) on a debit's row.
		amt, err := money.Parse(raw)
		var pe *money.ParseError
		switch {
		case errors.As(err, &pe) && (pe.Reason == money.ReasonZero || pe.Reason == money.ReasonEmpty):
			if l.Debit != "" && row.Get("debit") == "" {
				st.Skipped++ // neither in nor out: a total or a note
			} else {
				st.Debits++
			}
			continue
		case err != nil:
			st.Errors = append(st.Errors, csvin.LineError{Line: row.Line, Field: l.Credit, Code: "amount_invalid", Value: raw})
			continue
		}
		desc := strings.Join(strings.Fields(row.Get("desc")), " ")
		id := strings.Join([]string{acct.Ledger, day.Format(ledger.DateLayout), desc, amt.String()}, "\x1f")
		seen[id]++
		sum := sha256.Sum256(fmt.Appendf(nil, "%s\x1f%d", id, seen[id]))
		st.Credits = append(st.Credits, Line{Row: row.Line, Date: day, Description: desc, Amount: amt,
			Key: "bank:" + hex.EncodeToString(sum[:12])})
	}
	return st, nil
}

// fromHeader drops what comes before the line holding the date column's
// name, and says how many lines that was.
func fromHeader(data []byte, dateCol string) ([]byte, int) {
	want := strings.ToLower(dateCol)
	rest := data
	for n := 0; len(rest) > 0; n++ {
		line, after, _ := bytes.Cut(rest, []byte("\n"))
		cells := strings.FieldsFunc(strings.ToLower(string(line)), func(r rune) bool { return r == ',' || r == ';' || r == '\t' })
		for i := range cells {
			cells[i] = strings.Trim(strings.TrimSpace(cells[i]), `"'`)
		}
		if slices.Contains(cells, want) {
			return rest, n
		}
		rest = after
	}
	return data, 0 // no header: csvin names the missing column
}

func parseDay(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range dateLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			y, m, d := t.Date()
			return time.Date(y, m, d, 0, 0, 0, 0, loc), true
		}
	}
	return time.Time{}, false
}
