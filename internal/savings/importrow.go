package savings

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/csvin"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/shopspring/decimal"
)

// importColumns is the savings file: Indonesian headers first, English
// aliases after. The first name is what LineError.Field reports.
var importColumns = []csvin.Column{
	{Key: "number", Names: []string{"no_anggota", "member_number"}, Required: true},
	{Key: "kind", Names: []string{"jenis", "kind"}, Required: true},
	{Key: "amount", Names: []string{"jumlah", "amount"}, Required: true},
	{Key: "date", Names: []string{"tanggal", "date"}, Required: true},
	{Key: "memo", Names: []string{"keterangan", "memo"}},
	{Key: "ref", Names: []string{"ref"}},
}

// dateLayouts are ISO and the Indonesian day-first form, with or without
// leading zeros.
var dateLayouts = []string{time.DateOnly, "2/1/2006"}

// importLine is one well-formed line of the file.
type importLine struct {
	line     int
	number   string
	kind     Kind
	amount   decimal.Decimal // negative: a withdrawal
	date     time.Time
	memo     string
	key      string
	withdraw bool
}

// parseRows checks each row on its own and derives its idempotency key. Rows
// with a problem are left out, so later checks never report a line twice.
// A line without a ref the same as an earlier one may be a second, real
// deposit or the same one typed twice: without opts.AllowDuplicates it is
// refused rather than guessed at.
func parseRows(rows []csvin.Row, opts ImportOptions) ([]importLine, csvin.Errors) {
	var lines []importLine
	var errs csvin.Errors
	refs := map[string]int{}
	seen := map[string]int{}
	firstSeen := map[string]int{}
	today := opts.Today.Format(time.DateOnly)
	for _, r := range rows {
		l, rowErrs := parseRow(r)
		if !l.date.IsZero() && !opts.Today.IsZero() && l.date.Format(time.DateOnly) > today {
			rowErrs = append(rowErrs, csvin.LineError{Line: r.Line, Field: "tanggal", Code: "date_future", Value: r.Get("date")})
		}
		if ref := r.Get("ref"); ref != "" {
			if first, dup := refs[ref]; dup {
				rowErrs = append(rowErrs, csvin.LineError{Line: r.Line, Field: "ref", Code: "ref_duplicate",
					Value: fmt.Sprintf("%s (line %d)", ref, first)})
			} else {
				refs[ref] = r.Line
			}
		}
		if len(rowErrs) > 0 || missingRequired(r) {
			errs = append(errs, rowErrs...)
			continue
		}
		if r.Get("ref") == "" && !opts.AllowDuplicates {
			content := lineContent(l)
			if first, dup := firstSeen[content]; dup {
				errs = append(errs, csvin.LineError{Line: r.Line, Field: "ref", Code: "duplicate_suspect", Value: fmt.Sprint(first)})
				continue
			}
			firstSeen[content] = r.Line
		}
		l.key = importKey(r.Get("ref"), l, seen)
		lines = append(lines, l)
	}
	return lines, errs
}

// missingRequired reports a row csvin has already flagged for an empty field.
func missingRequired(r csvin.Row) bool {
	for _, c := range importColumns {
		if c.Required && r.Get(c.Key) == "" {
			return true
		}
	}
	return false
}

func parseRow(r csvin.Row) (importLine, csvin.Errors) {
	l := importLine{line: r.Line, number: r.Get("number"), memo: r.Get("memo")}
	var errs csvin.Errors
	bad := func(field, code, value string) {
		errs = append(errs, csvin.LineError{Line: r.Line, Field: field, Code: code, Value: value})
	}
	var err error
	if s := r.Get("kind"); s != "" {
		if l.kind, err = ParseKind(s); err != nil {
			bad("jenis", "kind_invalid", s)
		}
	}
	if s := r.Get("amount"); s != "" {
		if l.amount, err = parseAmount(s); err != nil {
			bad("jumlah", "amount_invalid", s)
		} else if l.amount.IsNegative() && l.kind.Valid() && l.kind != Sukarela {
			bad("jumlah", "withdraw_not_allowed", s)
		}
		l.withdraw = l.amount.IsNegative()
	}
	if s := r.Get("date"); s != "" {
		if l.date, err = parseDate(s); err != nil {
			bad("tanggal", "date_invalid", s)
		}
	}
	return l, errs
}

// parseAmount reads a signed amount; money.Parse reads the figure the way
// treasurers write it (1500000, 1.500.000, Rp 1.500.000,-) and refuses
// fractions and zero. The sign is ours: in this file minus means withdrawal.
func parseAmount(s string) (decimal.Decimal, error) {
	figure, neg := strings.CutPrefix(strings.TrimSpace(s), "-")
	d, err := money.Parse(figure)
	if err != nil {
		return decimal.Zero, err
	}
	if neg {
		d = d.Neg()
	}
	return d, nil
}

func parseDate(s string) (time.Time, error) {
	var err error
	for _, layout := range dateLayouts {
		var t time.Time
		if t, err = time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, err
}

// importKey is the idempotency key that makes importing a file twice post
// each line once. Without a ref, it hashes what the line means (not how it
// is typed: 1.500.000 and 1500000 are the same deposit) plus how many
// identical lines came before it, so two equal deposits on one day both count.
func importKey(ref string, l importLine, seen map[string]int) string {
	if ref != "" {
		return "import:savings:" + ref
	}
	content := lineContent(l)
	n := seen[content]
	seen[content] = n + 1
	sum := sha256.Sum256(fmt.Appendf(nil, "%s\x1f%d", content, n))
	return "import:savings:h:" + hex.EncodeToString(sum[:16])
}

// lineContent is what a line means, not how it is typed: 1.500.000 and
// 1500000 are the same deposit.
func lineContent(l importLine) string {
	return strings.Join([]string{l.number, string(l.kind), l.amount.String(), l.date.Format(time.DateOnly), l.memo}, "\x1f")
}
