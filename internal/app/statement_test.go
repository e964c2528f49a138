package app_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/kopmem/kopbot/internal/actions"
	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/payment"
	"github.com/kopmem/kopbot/internal/savings"
)

// queuedFiles is what was queued for chat after outbox row since: each
// reply's text and its attachment (nil for none).
func (c *coop) queuedFiles(since int64, chat string) ([]string, []*channel.Attachment) {
	c.t.Helper()
	rows, err := c.a.DB.R.Query(`SELECT text, coalesce(attachment, '') FROM outbox WHERE id > ? AND chat = ? ORDER BY id`, since, chat)
	if err != nil {
		c.t.Fatal(err)
	}
	defer rows.Close()
	var texts []string
	var files []*channel.Attachment
	for rows.Next() {
		var text, raw string
		if err := rows.Scan(&text, &raw); err != nil {
			c.t.Fatal(err)
		}
		var a *channel.Attachment
		if raw != "" {
			a = new(channel.Attachment)
			if err := json.Unmarshal([]byte(raw), a); err != nil {
				c.t.Fatal(err)
			}
		}
		texts, files = append(texts, text), append(files, a)
	}
	if err := rows.Err(); err != nil {
		c.t.Fatal(err)
	}
	return texts, files
}

// TestStatementAsFile: a file word anywhere in a statement request sends
// the same statement as an Excel workbook, kept privately beside the
// database: the movements by value date, each balance the one before plus
// its amount, the last one the member's savings total (or the month's
// closing balance); headers in the member's language. The clock is the
// demo's 30 November 2026.
func TestStatementAsFile(t *testing.T) {
	c := newCoop(t)
	ctx := context.Background()
	m, err := member.ByPhone(ctx, c.a.DB.R, siti)
	if err != nil {
		t.Fatal(err)
	}
	total, err := savings.Summary(ctx, c.a.DB.R, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	october := ledger.Period{From: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)}
	march := ledger.Period{From: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)}
	tests := []struct {
		lang, text string
		period     ledger.Period
		limit      int
		name       string
		title      string   // in the caption and the sheet's first line
		header     []string // the table's header row
	}{
		{"id", "mutasi file", ledger.Period{}, actions.StatementFileLines, "mutasi-KMM-00001-2026-11-30.xlsx", "transaksi terakhir",
			[]string{"Tanggal", "Jenis simpanan", "Jumlah", "Saldo"}},
		{"id", "kirim mutasi excel", ledger.Period{}, actions.StatementFileLines, "mutasi-KMM-00001-2026-11-30.xlsx", "transaksi terakhir",
			[]string{"Tanggal", "Jenis simpanan", "Jumlah", "Saldo"}},
		{"id", "mutasi bulan lalu pdf", october, actions.StatementFileMonthLines, "mutasi-KMM-00001-2026-10.xlsx", "Oktober 2026",
			[]string{"Tanggal", "Jenis simpanan", "Jumlah", "Saldo"}},
		{"id", "Mutasi 3 XLSX", march, actions.StatementFileMonthLines, "mutasi-KMM-00001-2026-03.xlsx", "Maret 2026",
			[]string{"Tanggal", "Jenis simpanan", "Jumlah", "Saldo"}},
		{"en", "statement as a file", ledger.Period{}, actions.StatementFileLines, "statement-KMM-00001-2026-11-30.xlsx", "last",
			[]string{"Date", "Kind of saving", "Amount", "Balance"}},
	}
	for _, tc := range tests {
		if err := member.SetLanguage(ctx, c.a.DB.W, m.ID, tc.lang); err != nil {
			t.Fatal(err)
		}
		want, err := savings.Statement(ctx, c.a.DB.R, m.ID, tc.period, tc.limit)
		if err != nil || len(want) == 0 {
			t.Fatalf("%s: the demo member has %d lines (%v); the test needs some", tc.text, len(want), err)
		}
		last := c.lastOutbox()
		c.say(siti, tc.text)
		texts, files := c.queuedFiles(last, siti)
		if len(files) != 1 || files[0] == nil {
			t.Fatalf("%q: want one reply with a file, got %q", tc.text, texts)
		}
		a := files[0]
		if a.Kind != channel.Document || a.MIME != payment.XLSX || a.Name != tc.name || !strings.Contains(texts[0], tc.title) {
			t.Errorf("%q: file %+v, caption %q; want a document %s titled %q", tc.text, a, texts[0], tc.name, tc.title)
		}
		if filepath.Dir(filepath.Dir(a.Path)) != app.StatementsDir(c.a.DB.Path()) {
			t.Errorf("%q: kept at %s, not under the statements folder", tc.text, a.Path)
		}
		if st, err := os.Stat(a.Path); err != nil || st.Mode().Perm() != 0o600 || st.Size() != a.Size {
			t.Fatalf("%q: %v; want a private file of %d bytes", tc.text, err, a.Size)
		}
		closing := total.Total
		if !tc.period.To.IsZero() {
			closing = want[len(want)-1].Running
		}
		checkWorkbook(t, tc.text, a.Path, tc.title, tc.header, want, closing.IntPart())
	}
}

// checkWorkbook opens a statement workbook and compares it with the lines
// the ledger gives: one row per line, in order, with its date, amount and
// balance, between the opening and the closing balance; every balance the
// one above plus its amount.
func checkWorkbook(t *testing.T, what, path, title string, header []string, want []savings.Line, closing int64) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("%q: %v", what, err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 || !strings.Contains(rows[0][0], title) {
		t.Fatalf("%q: first row %q, want the title %q", what, rows[:min(1, len(rows))], title)
	}
	head := -1
	for i, r := range rows {
		if strings.Join(r, "|") == strings.Join(header, "|") {
			head = i
		}
	}
	body := rows[head+1:]
	if head < 0 || len(body) != len(want)+2 {
		t.Fatalf("%q: header at row %d, %d rows under it; want %q and %d lines between opening and closing", what, head+1, len(body), header, len(want))
	}
	num := func(r []string, col int) int64 {
		t.Helper()
		n, err := strconv.ParseInt(r[col], 10, 64)
		if err != nil {
			t.Fatalf("%q: row %q column %d: %v", what, r, col, err)
		}
		return n
	}
	balance := num(body[0], 3)
	if balance != want[0].Running.Sub(want[0].Amount).IntPart() {
		t.Errorf("%q: opening balance %d, want %s", what, balance, want[0].Running.Sub(want[0].Amount))
	}
	for i, l := range want {
		r := body[i+1]
		cell, _ := excelize.CoordinatesToCellName(1, head+i+3)
		date, err := f.GetCellValue(sheet, cell)
		if err != nil || date != l.ValueDate.Format("02/01/2006") {
			t.Errorf("%q: line %d dated %q (%v), want %s", what, i+1, date, err, l.ValueDate.Format("02/01/2006"))
		}
		amount, running := num(r, 2), num(r, 3)
		if amount != l.Amount.IntPart() || running != l.Running.IntPart() || running != balance+amount {
			t.Errorf("%q: line %d %q: amount %d balance %d after %d; want %s and %s", what, i+1, r, amount, running, balance, l.Amount, l.Running)
		}
		balance = running
		formula, err := f.GetCellFormula(sheet, strings.Replace(cell, "A", "D", 1))
		if err != nil || formula == "" {
			t.Errorf("%q: line %d balance is no formula (%v)", what, i+1, err)
		}
	}
	if got := num(body[len(body)-1], 3); got != closing || got != balance {
		t.Errorf("%q: closing balance %d, want %d", what, got, closing)
	}
}

// TestStatementFileRefusals: a file asked for a month that cannot be read,
// or one without movements, gets the same polite text as the chat
// statement and no file; the plain statement never carries one.
func TestStatementFileRefusals(t *testing.T) {
	c := newCoop(t)
	tests := []struct {
		text, want string
	}{
		{"mutasi 13 file", "tidak kami kenali"},
		{"mutasi januari 2020 excel", "Tidak ada transaksi simpanan Anda pada Januari 2020"},
		{"mutasi", "Mutasi simpanan"},
		{"mutasi maret", "Mutasi simpanan Maret 2026"},
	}
	for _, tc := range tests {
		last := c.lastOutbox()
		c.say(siti, tc.text)
		texts, files := c.queuedFiles(last, siti)
		if len(texts) != 1 || files[0] != nil || !strings.Contains(texts[0], tc.want) {
			t.Errorf("%q: got %q with files %v; want %q and no file", tc.text, texts, files, tc.want)
		}
	}
	if entries, err := os.ReadDir(app.StatementsDir(c.a.DB.Path())); err == nil && len(entries) > 0 {
		t.Errorf("files kept without a file sent: %v", entries)
	}
}
