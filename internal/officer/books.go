package officer

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/books"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/duty"
	"github.com/kopmem/kopbot/internal/kolek"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/shopspring/decimal"
)

// booksCommands are the books' officer commands, kept apart from the desk's
// own list so the two grow without touching each other.
func booksCommands() map[string]command {
	return map[string]command{
		"jurnal":    {args: 2, usage: "officer.usage.jurnal", run: (*Desk).journal},
		"neraca":    {usage: "officer.usage.neraca", run: (*Desk).neraca},
		"labarugi":  {usage: "officer.usage.labarugi", run: (*Desk).labarugi},
		"tutupbuku": {args: 1, manager: true, usage: "officer.usage.tutupbuku", run: (*Desk).closeBooks},
		"kolek":     {usage: "officer.usage.kolek", run: (*Desk).kolekCmd, read: (*Desk).kolekRead},
		"agunan":    {args: 2, usage: "officer.usage.agunan", run: (*Desk).collateral},
		"shu":       {args: 2, usage: "officer.usage.shu", run: (*Desk).shuCmd},
		"kesehatan": {usage: "officer.usage.kesehatan", run: (*Desk).healthCmd, read: (*Desk).healthRead},
	}
}

// booksHelpOrder is where /bantuan lists them, after the desk's own.
var booksHelpOrder = []string{"jurnal", "neraca", "labarugi", "tutupbuku", "kolek", "agunan", "shu", "kesehatan"}

// journal is /jurnal <akun> <jumlah> kas|bank [dd/mm/yyyy] [keterangan], an
// operating income or expense; above officer.journal_limit it is a duty
// proposal that a second officer confirms like a large deposit: the
// group's Konfirmasi button, /konfirmasi <no> or /jurnal setujui <no>.
func (d *Desk) journal(t *turn, args []string) (string, error) {
	if strings.EqualFold(args[0], "setujui") {
		return d.approveJournal(t, args[1:])
	}
	c := d.cfg.Chart
	t.subject = args[0]
	acct, ok := c.Account(args[0])
	if !ok {
		return "", refuse("journal account", "officer.error.journal_account", map[string]any{"Subject": args[0]})
	}
	at := -1
	for i, w := range args[1:] {
		if _, ok := c.ResolveVia(w); ok {
			at = i + 1
			break
		}
	}
	if at < 2 {
		return "", refuse("missing words", "officer.error.usage", map[string]any{"Usage": d.say(t, "officer.usage.jurnal", nil)})
	}
	via, _ := c.ResolveVia(args[at])
	amt, err := amount(args[1:at])
	if err != nil {
		return "", d.explain(t, err)
	}
	t.amount = amt
	memo := args[at+1:]
	on := t.now
	if len(memo) > 0 {
		if day, ok := parseDay(memo[0], d.cfg.Location); ok {
			on, memo = day, memo[1:]
		}
	}
	if err := d.notAhead(t, on); err != nil {
		return "", err
	}
	j := books.Journal{Key: key(t), Account: acct.Code, Via: via, Amount: amt, Date: on, Memo: strings.Join(memo, " "),
		Officer: t.off.ID}
	r, err := books.Record(t.ctx, t.tx, c, j, d.cfg.Duties, t.now)
	if err != nil {
		return "", d.explain(t, err)
	}
	t.txID = r.TxID
	data := d.journalData(j, r, t.lang)
	if r.Posted {
		return d.say(t, "officer.jurnal.posted", data), nil
	}
	if err := d.announceJournal(t, j, r); err != nil {
		return "", err
	}
	return d.say(t, "officer.jurnal.waiting", data), nil
}

// journalData is what the journal's messages say, in lang.
func (d *Desk) journalData(j books.Journal, r books.JournalResult, lang string) map[string]any {
	acct, _ := d.cfg.Chart.Account(j.Account)
	return map[string]any{"No": r.Proposal, "Code": acct.Code, "Account": markup.Escape(acct.Name),
		"Amount": money.Format(j.Amount, lang), "Date": j.Date.Format(DateLayout), "TxID": r.TxID,
		"Memo": markup.Escape(j.Memo), "Limit": money.Format(d.cfg.Duties.JournalLimit, lang),
		"Maker": markup.Escape(d.officerName(j.Officer))}
}

// announceJournal asks the group for a second officer, once per proposal.
func (d *Desk) announceJournal(t *turn, j books.Journal, r books.JournalResult) error {
	if r.Replayed {
		return nil // the group has it already
	}
	buttons := [][]channel.Button{{{Text: d.cfg.Msgs.T(groupLang, "officer.button.confirm_journal", nil),
		Data: confirmData(r.Proposal)}}}
	return d.toGroup(t.ctx, t.tx, d.cfg.Msgs.T(groupLang, "officer.group.confirm_journal", d.journalData(j, r, groupLang)),
		buttons, t.now)
}

// approveJournal is /jurnal setujui <no>: /konfirmasi for a journal entry.
func (d *Desk) approveJournal(t *turn, args []string) (string, error) {
	if len(args) == 0 {
		return "", refuse("missing words", "officer.error.usage", map[string]any{"Usage": d.say(t, "officer.usage.jurnal", nil)})
	}
	t.subject = args[0]
	id, err := strconv.ParseInt(strings.TrimPrefix(args[0], "#"), 10, 64)
	if err != nil {
		return "", d.explain(t, books.ErrNoEntry)
	}
	p, err := duty.ProposalByID(t.ctx, t.tx, id)
	if err != nil || p.Kind != books.KindJournal {
		return "", d.explain(t, books.ErrNoEntry)
	}
	return d.confirmJournal(t, p)
}

// confirmJournal posts a waiting journal entry as its second officer and
// tells the group who confirmed it.
func (d *Desk) confirmJournal(t *turn, p duty.Proposal) (string, error) {
	t.subject = "#" + strconv.FormatInt(p.ID, 10)
	r, err := books.Approve(t.ctx, t.tx, d.cfg.Chart, p.ID, t.off.ID, t.now)
	if err != nil {
		return "", d.explain(t, err)
	}
	t.txID = r.TxID
	j, err := books.Entry(t.ctx, t.tx, p.ID)
	if err != nil {
		return "", err
	}
	gd := d.journalData(j, r, groupLang)
	gd["Officer"] = markup.Escape(t.off.Name)
	if err := d.toGroup(t.ctx, t.tx, d.cfg.Msgs.T(groupLang, "officer.group.journal_confirmed", gd), nil, t.now); err != nil {
		return "", err
	}
	return d.say(t, "officer.jurnal.posted", d.journalData(j, r, t.lang)), nil
}

// reverseJournal is /batal of a journal entry: the exact negation, dated
// today, since the entry's own month may be closed.
func (d *Desk) reverseJournal(t *turn, orig ledger.Tx, reason string) (string, error) {
	tx, err := ledger.Reverse(t.ctx, t.tx, orig.ID, "reverse:"+orig.Key, t.off.ID, reason, t.now)
	if err != nil {
		return "", d.explain(t, err)
	}
	if tx.Replayed {
		return "", d.explain(t, ledger.ErrAlreadyReversed)
	}
	return d.say(t, "officer.batal.journal", map[string]any{"TxID": orig.ID, "NewTxID": tx.ID, "Memo": orig.Memo,
		"Date": orig.ValueDate.Format(DateLayout)}), nil
}

// neraca is /neraca [tanggal]: the balance sheet at the end of a day,
// today by default.
func (d *Desk) neraca(t *turn, args []string) (string, error) {
	on := t.now
	if len(args) > 0 {
		var ok bool
		if on, ok = parseDay(args[0], d.cfg.Location); !ok {
			return "", refuse("bad date", "officer.error.date", map[string]any{"Subject": args[0]})
		}
	}
	n, err := books.NeracaAt(t.ctx, t.tx, d.cfg.Chart, dateOnly(on))
	if err != nil {
		return "", err
	}
	f := amounts(t.lang, n.Assets, n.Liabilities, n.Equity, n.Result, n.Difference())
	return d.say(t, "officer.neraca", map[string]any{"Date": on.Format(DateLayout),
		"Assets": d.statementLines(t, n.Balances, ledger.Asset), "Liabilities": d.statementLines(t, n.Balances, ledger.Liability),
		"Equity": d.statementLines(t, n.Balances, ledger.Equity), "TotalAssets": f[0], "TotalLiabilities": f[1],
		"TotalEquity": f[2], "Result": f[3], "Difference": f[4], "Balanced": n.Difference().IsZero()}), nil
}

// labarugi is /labarugi [bulan|tahun]: the perhitungan hasil usaha of a
// month or a year, this month by default.
func (d *Desk) labarugi(t *turn, args []string) (string, error) {
	p := books.Period{From: time.Date(t.now.Year(), t.now.Month(), 1, 0, 0, 0, 0, time.UTC)}
	p.To, p.Label = dateOnly(t.now), p.From.Format(books.MonthLayout)
	if len(args) > 0 {
		var err error
		if p, err = books.ParsePeriod(args[0]); err != nil {
			return "", refuse("bad period", "officer.error.period", map[string]any{"Subject": args[0]})
		}
	}
	lr, err := books.LabaRugiFor(t.ctx, t.tx, d.cfg.Chart, p.From, p.To)
	if err != nil {
		return "", err
	}
	f := amounts(t.lang, lr.Income, lr.Expense, lr.SHU())
	return d.say(t, "officer.labarugi", map[string]any{"Period": p.Label, "From": p.From.Format(DateLayout),
		"To": p.To.Format(DateLayout), "Income": d.statementLines(t, lr.Balances, ledger.Income),
		"Expense": d.statementLines(t, lr.Balances, ledger.Expense), "TotalIncome": f[0], "TotalExpense": f[1], "SHU": f[2]}), nil
}

// closeBooks is /tutupbuku <YYYY-MM>, a manajer's month-end closing.
func (d *Desk) closeBooks(t *turn, args []string) (string, error) {
	t.subject = args[0]
	p, err := books.ParsePeriod(args[0])
	if err != nil || !p.To.Equal(p.From.AddDate(0, 1, -1)) {
		return "", refuse("bad month", "officer.error.period", map[string]any{"Subject": args[0]})
	}
	cl, err := books.Close(t.ctx, t.tx, d.cfg.Chart, p.From, dateOnly(t.now), t.off.ID, t.now)
	if err != nil {
		return "", d.explain(t, err)
	}
	return d.say(t, "officer.tutupbuku.done", map[string]any{"Month": p.Label, "YearTx": cl.YearTx,
		"Year": p.From.Year(), "Result": money.Format(money.FromRupiah(cl.Result), t.lang)}), nil
}

// statementLines lays out the non-zero lines of type typ as a monospace
// table.
func (d *Desk) statementLines(t *turn, b books.Balances, typ ledger.AccountType) string {
	var lines []books.Line
	var figures []decimal.Decimal
	for _, l := range b.Lines {
		if l.Type == typ && !l.Amount.IsZero() {
			lines = append(lines, l)
			figures = append(figures, l.Amount)
		}
	}
	f := amounts(t.lang, figures...)
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = cell(l.Code+" "+l.Name, 28) + " " + f[i]
	}
	if len(out) == 0 {
		return "-"
	}
	return strings.Join(out, "\n")
}

// notAhead refuses a value date after today.
func (d *Desk) notAhead(t *turn, on time.Time) error {
	if dateOnly(on).After(dateOnly(t.now)) {
		return refuse("future date", "officer.error.future_date", map[string]any{"Subject": on.Format(DateLayout)})
	}
	return nil
}

// parseDay reads a date as officers type it: 25/11/2026 or 2026-11-25.
func parseDay(s string, loc *time.Location) (time.Time, bool) {
	for _, layout := range []string{DateLayout, "2/1/2006", time.DateOnly} {
		if d, err := time.ParseInLocation(layout, s, loc); err == nil {
			return d, true
		}
	}
	return time.Time{}, false
}

// dateOnly is t's calendar date at midnight UTC, as the books compare dates.
func dateOnly(t time.Time) time.Time {
	y, m, day := t.Date()
	return time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
}

// explainBooks names the books' refusals; see explain.
func (d *Desk) explainBooks(t *turn, err error) error {
	switch {
	case books.IsClosed(err):
		return refuse(err.Error(), "officer.error.closed", map[string]any{"Subject": t.subject})
	case errors.Is(err, books.ErrNotNext):
		return refuse(err.Error(), "officer.error.not_next", map[string]any{"Subject": t.subject})
	case errors.Is(err, books.ErrAccount):
		return refuse(err.Error(), "officer.error.journal_account", map[string]any{"Subject": t.subject})
	case errors.Is(err, books.ErrNoEntry):
		return refuse(err.Error(), "officer.error.journal_none", map[string]any{"Subject": t.subject})
	case errors.Is(err, books.ErrAmount):
		return refuse(err.Error(), "officer.error.journal_amount", map[string]any{"Subject": t.subject})
	case errors.Is(err, kolek.ErrClass), errors.Is(err, kolek.ErrNotWorse), errors.Is(err, kolek.ErrReason):
		return refuse(err.Error(), "officer.error.kolek_manual", map[string]any{"Subject": t.subject,
			"Classes": strings.Join(d.cfg.Kolek.Codes(), ", ")})
	case errors.Is(err, kolek.ErrNotOutstanding):
		return refuse(err.Error(), "officer.error.kolek_no_loan", map[string]any{"Subject": t.subject})
	}
	return d.explainSHU(t, err)
}
