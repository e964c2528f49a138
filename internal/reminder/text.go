package reminder

import (
	"context"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/i18n"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/store"

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

// listed is how many names a summary line lists before "and N more".
const listed = 10

// names lists who for officers: the first few, then how many more.
func (p *Planner) names(lang string, who []string) string {
	if len(who) <= listed {
		return strings.Join(who, ", ")
	}
	return strings.Join(who[:listed], ", ") + p.msgs.T(lang, "reminder.summary.more", map[string]any{"Count": len(who) - listed})
}

// deliveryText is the summary's part on delivery: who is kept from a
// WhatsApp reminder for want of consent, and per paced channel the bulk
// waiting, the days of capacity it takes, and who will not be reminded
// today because the day's capacity is short (the latest due).
func (p *Planner) deliveryText(ctx context.Context, q store.Queryer, lang string, day, now time.Time, f *found) (string, error) {
	var b strings.Builder
	if len(f.withheld) > 0 {
		b.WriteString("\n" + p.msgs.T(lang, "reminder.summary.withheld", map[string]any{
			"Count": len(f.withheld), "List": p.names(lang, f.withheld)}))
	}
	for _, s := range p.slips(day, now, f) {
		if len(s.Who) > 0 {
			b.WriteString("\n" + p.msgs.T(lang, "reminder.summary.slip", map[string]any{
				"Channel": string(s.Channel), "Count": s.Count, "Capacity": s.Capacity, "Slip": len(s.Who), "List": p.names(lang, s.Who)}))
		}
		waiting, err := outbox.Waiting(ctx, q, s.Channel)
		if err != nil {
			return "", err
		}
		perDay := func(d time.Time) int {
			n, _ := p.cfg.Capacity(s.Channel, d)
			return n
		}
		backlog := waiting.Bulk + s.Count
		b.WriteString("\n" + p.msgs.T(lang, "reminder.summary.backlog", map[string]any{
			"Channel": string(s.Channel), "Backlog": backlog, "PerDay": perDay(day),
			"Days": days(outbox.BulkDays(backlog, day, perDay), lang)}))
	}
	return b.String(), nil
}

// days is a number of days to one decimal as lang writes it.
func days(n float64, lang string) string {
	d := decimal.NewFromFloat(n).StringFixed(1)
	if lang == i18n.Default {
		return strings.Replace(d, ".", ",", 1)
	}
	return d
}
