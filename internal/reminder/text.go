package reminder

import (
	"time"

	"github.com/kopmem/kopbot/internal/money"
	"github.com/shopspring/decimal"
)

// Localizer renders a message id in a language.
type Localizer interface {
	T(lang, id string, data any) string
}

// dayLayout is how members read a due date.
const dayLayout = "02/01/2006"

// messageID is the text of a reminder of kind at offset: before the due
// day, on it, or after it. A due-day reminder sent after its day (the due
// date was a Sunday or a holiday) says when it fell due instead of "today".
func messageID(kind Kind, offset int, due, day time.Time) string {
	switch {
	case kind == KindInstallment && offset < 0:
		return "reminder.installment.upcoming"
	case kind == KindInstallment && offset == 0 && due.Before(day):
		return "reminder.installment.due_closed"
	case kind == KindInstallment && offset == 0:
		return "reminder.installment.due"
	case kind == KindInstallment:
		return "reminder.installment.overdue"
	case kind == KindWajib && offset < 0:
		return "reminder.wajib.upcoming"
	case kind == KindWajib && offset == 0 && due.Before(day):
		return "reminder.wajib.due_closed"
	case kind == KindWajib && offset == 0:
		return "reminder.wajib.due"
	default:
		return "reminder.wajib.overdue"
	}
}

// memberText is what every reminder to a member says around its facts:
// how to pay and how to stop.
type memberText struct {
	Name     string
	Ref      string // loan ref, or the wajib month as MM/YYYY
	No       int
	Amount   string
	Due      string
	Denda    string // overdue installments only
	HowToPay string
	Stop     string
}

func (p *Planner) render(lang string, kind Kind, offset int, due, day time.Time, t memberText) string {
	t.HowToPay = p.msgs.T(lang, "reminder.how_to_pay", nil)
	t.Stop = p.msgs.T(lang, "reminder.how_to_stop", nil)
	return p.msgs.T(lang, messageID(kind, offset, due, day), t)
}

// dendaLine states the product's denda and what has accrued so far,
// factually: the rule and the amount, nothing about consequences.
func (p *Planner) dendaLine(lang string, sofar, perDay decimal.Decimal, graceDays int) string {
	if !perDay.IsPositive() {
		return p.msgs.T(lang, "reminder.denda.none", nil)
	}
	return p.msgs.T(lang, "reminder.denda", map[string]any{
		"Amount": money.Format(sofar, lang), "Rate": money.Percent(perDay, lang), "Grace": graceDays,
	})
}

// summaryText is the officers' morning summary. DueFrom and SentFrom are
// empty when the summary covers one day (yesterday's sends, today's dues).
type summaryText struct {
	Date          string
	DueFrom       string
	DueCount      int
	DueAmount     string
	OverdueCount  int
	OverdueAmount string
	SentFrom      string
	Sent          int
	Failed        int
}

func (p *Planner) summaryText(lang string, day time.Time, s Summary) string {
	t := summaryText{
		Date: day.Format(dayLayout), DueCount: s.DueCount, DueAmount: money.Format(s.DueAmount, lang),
		OverdueCount: s.OverdueCount, OverdueAmount: money.Format(s.OverdueAmount, lang),
		Sent: s.Sent, Failed: s.Failed,
	}
	if s.Since.Before(day.AddDate(0, 0, -1)) {
		t.DueFrom = s.Since.AddDate(0, 0, 1).Format(dayLayout)
		t.SentFrom = s.Since.Format(dayLayout)
	}
	return p.msgs.T(lang, "reminder.summary", t)
}
