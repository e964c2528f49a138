package actions

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/dialog"
	"github.com/kopmem/kopbot/internal/jasa"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/payment"
	"github.com/kopmem/kopbot/internal/period"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/shopspring/decimal"
)

const (
	outcomeEmpty    = "empty"
	outcomeBadMonth = "bad_month"
	outcomeFile     = "file"
)

// slotFile is filled by a file word in the message ("mutasi excel"): the
// statement is sent as a workbook.
const slotFile = "file"

// StatementMonthLines bounds a month's statement: more than a chat bubble
// should carry is better read as a file.
const StatementMonthLines = 40

// StatementFileLines is how many movements "mutasi file" sends without a
// month: years of a member's monthly deposits. A month's file has them all
// (up to StatementFileMonthLines, many times a month of daily deposits).
const (
	StatementFileLines      = 100
	StatementFileMonthLines = 1000
)

// FileStore keeps the files kopbot sends members, readable by kopbot alone
// (payment.Files).
type FileStore interface {
	Put(data []byte, what channel.Attachment) (channel.Attachment, error)
}

type savingsActions struct {
	msgs  Localizer
	wajib decimal.Decimal
	files FileStore
}

func (a savingsActions) summary(ctx context.Context, env *dialog.Env) (dialog.Outcome, error) {
	b, err := savings.Summary(ctx, env.Q, env.Member.ID)
	if err != nil {
		return dialog.Outcome{}, fmt.Errorf("balance of member %s: %w", env.Member.Number, err)
	}
	// Right-aligned so the figures line up in the monospace block.
	amounts := []decimal.Decimal{b.Pokok, b.Wajib, b.Sukarela, b.Total}
	texts := alignRight(amounts, env.Lang)
	cover, err := a.wajibCover(ctx, env)
	if err != nil {
		return dialog.Outcome{}, fmt.Errorf("balance of member %s: %w", env.Member.Number, err)
	}
	interest := ""
	switch paid, ok, err := jasa.Last(ctx, env.Q, env.Member.ID); {
	case err != nil:
		return dialog.Outcome{}, fmt.Errorf("balance of member %s: %w", env.Member.Number, err)
	case ok:
		interest = a.msgs.T(env.Lang, "balance.interest", map[string]any{"Month": a.monthName(env.Lang, paid.Month),
			"Amount": money.Format(paid.Amount, env.Lang)})
	}
	return dialog.Outcome{Data: map[string]any{
		"Number":     env.Member.Number,
		"Pokok":      texts[0],
		"Wajib":      texts[1],
		"Sukarela":   texts[2],
		"Total":      texts[3],
		"AsOf":       env.Now.Format(DateLayout),
		"WajibCover": cover,
		"Interest":   interest,
	}}, nil
}

// wajibCover says how far the member's simpanan wajib is paid: "lunas s.d.
// April 2026", or what this month still lacks. Empty for a member who has
// not yet had a wajib month (joined this month) or when the amount is unset.
func (a savingsActions) wajibCover(ctx context.Context, env *dialog.Env) (string, error) {
	now := period.Of(env.Now)
	if !a.wajib.IsPositive() || !period.Of(env.Member.JoinedOn).Before(now) {
		return "", nil
	}
	c, err := savings.WajibOf(ctx, env.Q, env.Member.ID, now, a.wajib)
	if err != nil {
		return "", err
	}
	data := map[string]any{"Through": a.monthName(env.Lang, c.Through), "Month": a.monthName(env.Lang, now),
		"Short": money.Format(c.Short, env.Lang)}
	switch {
	case c.Covered():
		return a.msgs.T(env.Lang, "balance.wajib_through", data), nil
	case c.Through != period.Month{}:
		return a.msgs.T(env.Lang, "balance.wajib_through_short", data), nil
	default:
		return a.msgs.T(env.Lang, "balance.wajib_short", data), nil
	}
}

func (a savingsActions) statement(ctx context.Context, env *dialog.Env) (dialog.Outcome, error) {
	asFile := env.Slots[slotFile] != ""
	p, limit, m := ledger.Period{}, StatementLines, period.Month{}
	if asFile {
		limit = StatementFileLines
	}
	if asked := env.Slots["month"]; asked != "" {
		var ok bool
		if m, ok = period.Parse(asked, env.Now); !ok {
			return dialog.Outcome{Name: outcomeBadMonth, Data: map[string]any{"Asked": asked}}, nil
		}
		p, limit = ledger.Period{From: m.First(), To: m.Last()}, StatementMonthLines
		if asFile {
			limit = StatementFileMonthLines
		}
	}
	title := a.monthName(env.Lang, m)
	lines, err := savings.Statement(ctx, env.Q, env.Member.ID, p, limit)
	if err != nil {
		return dialog.Outcome{}, fmt.Errorf("statement of member %s: %w", env.Member.Number, err)
	}
	if len(lines) == 0 {
		return dialog.Outcome{Name: outcomeEmpty, Data: map[string]any{"Month": title}}, nil
	}
	if asFile {
		return a.statementFile(env, lines, m)
	}
	rows := make([][]string, len(lines))
	for i, l := range lines {
		amount := money.FormatPlain(l.Amount, env.Lang)
		if l.Amount.IsPositive() {
			amount = "+" + amount
		}
		// The year only where it is not this year's: a phone screen is narrow.
		date := l.ValueDate.Format("02/01")
		if l.ValueDate.Year() != env.Now.Year() {
			date = l.ValueDate.Format(DateLayout)
		}
		rows[i] = []string{date, a.lineName(env.Lang, l), amount, money.FormatPlain(l.Running, env.Lang)}
	}
	return dialog.Outcome{Data: map[string]any{"Lines": table(rows, 1), "Count": len(lines), "Month": title}}, nil
}

// statementFile writes lines as a workbook in the member's language and
// keeps it for the reply to carry. Month m is zero for the latest lines.
func (a savingsActions) statementFile(env *dialog.Env, lines []savings.Line, m period.Month) (dialog.Outcome, error) {
	if a.files == nil {
		return dialog.Outcome{}, fmt.Errorf("statement file of member %s: no file store", env.Member.Number)
	}
	lang, title := env.Lang, a.monthName(env.Lang, m)
	data := map[string]any{"Month": title, "Count": len(lines), "Name": env.Member.Name, "Number": env.Member.Number,
		"Date": env.Now.Format(DateLayout), "Closing": money.Format(lines[len(lines)-1].Running, lang),
		"Period": env.Now.Format(time.DateOnly)}
	if m != (period.Month{}) {
		data["Period"] = fmt.Sprintf("%04d-%02d", m.Year, int(m.Month))
	}
	b := savings.Workbook{
		Sheet:   a.msgs.T(lang, "statement.file.sheet", nil),
		Head:    []string{a.msgs.T(lang, "statement.file.title", data), a.msgs.T(lang, "statement.file.member", data), a.msgs.T(lang, "statement.file.made", data)},
		Opening: a.msgs.T(lang, "statement.file.opening", nil),
		Closing: a.msgs.T(lang, "statement.file.closing", nil),
		Name:    func(l savings.Line) string { return a.lineName(lang, l) },
	}
	cols := strings.Split(a.msgs.T(lang, "statement.file.columns", nil), ",")
	if len(cols) != len(b.Columns) {
		return dialog.Outcome{}, fmt.Errorf("statement file: message statement.file.columns in %s has %d columns, want %d", lang, len(cols), len(b.Columns))
	}
	for i, c := range cols {
		b.Columns[i] = strings.TrimSpace(c)
	}
	var buf bytes.Buffer
	if err := savings.WriteStatement(&buf, b, lines); err != nil {
		return dialog.Outcome{}, fmt.Errorf("statement file of member %s: %w", env.Member.Number, err)
	}
	file, err := a.files.Put(buf.Bytes(), channel.Attachment{Kind: channel.Document, MIME: payment.XLSX,
		Name: a.msgs.T(lang, "statement.file.name", data)})
	if err != nil {
		return dialog.Outcome{}, fmt.Errorf("keep statement file of member %s: %w", env.Member.Number, err)
	}
	return dialog.Outcome{Name: outcomeFile, Data: data, File: &file}, nil
}

// monthName says a month and its year in the member's language.
func (a savingsActions) monthName(lang string, m period.Month) string {
	if m == (period.Month{}) {
		return ""
	}
	names := strings.Split(a.msgs.T(lang, "statement.month_names", nil), ",")
	if len(names) != 12 {
		return fmt.Sprintf("%02d/%d", int(m.Month), m.Year)
	}
	return fmt.Sprintf("%s %d", strings.TrimSpace(names[m.Month-1]), m.Year)
}

// lineName says what a statement line is in the member's language: the
// month's jasa simpanan by the month it pays for (its value date is the
// next month's when the books had closed the month), else its kind.
func (a savingsActions) lineName(lang string, l savings.Line) string {
	if m, ok := jasa.MonthOf(l.Key); ok {
		return a.msgs.T(lang, "statement.interest", map[string]any{"Month": a.monthName(lang, m)})
	}
	return a.kindName(lang, l.Kind)
}

// kindName says a kind of saving in the member's language.
func (a savingsActions) kindName(lang string, k savings.Kind) string {
	switch k {
	case savings.Pokok:
		return a.msgs.T(lang, "savings.kind.pokok", nil)
	case savings.Wajib:
		return a.msgs.T(lang, "savings.kind.wajib", nil)
	default:
		return a.msgs.T(lang, "savings.kind.sukarela", nil)
	}
}

// alignRight formats amounts without the currency sign, padded to one width
// so the figures line up in a monospace block.
func alignRight(ds []decimal.Decimal, lang string) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = money.FormatPlain(d, lang)
	}
	return padLeft(out)
}

// padLeft widens every string to the longest one's width in runes.
func padLeft(ss []string) []string {
	width := 0
	for _, s := range ss {
		width = max(width, utf8.RuneCountInString(s))
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.Repeat(" ", width-utf8.RuneCountInString(s)) + s
	}
	return out
}
