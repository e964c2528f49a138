package officer

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// Announce queues the new request to the officers' group with what they
// need to decide it (the member's savings and plafon, their open loans and
// arrears, the computed installment) and the three buttons.
func (d *Desk) Announce(ctx context.Context, q store.Queryer, a loan.Application, m member.Member, now time.Time) error {
	text, err := d.announcement(ctx, q, a, m, now)
	if err != nil {
		return fmt.Errorf("announce %s: %w", a.Ref, err)
	}
	if err := d.toGroup(ctx, q, text, d.decisionButtons(a.Ref), now); err != nil {
		return fmt.Errorf("announce %s: %w", a.Ref, err)
	}
	return nil
}

// decisionButtons are Setujui / Tolak / Minta info for the request ref.
func (d *Desk) decisionButtons(ref string) [][]channel.Button {
	return [][]channel.Button{
		{{Text: d.cfg.Msgs.T(groupLang, "officer.button.approve", nil), Data: buttonData("ap", ref)}},
		{{Text: d.cfg.Msgs.T(groupLang, "officer.button.reject", nil), Data: buttonData("rj", ref)}},
		{{Text: d.cfg.Msgs.T(groupLang, "officer.button.info", nil), Data: buttonData("if", ref)}},
	}
}

func (d *Desk) announcement(ctx context.Context, q store.Queryer, a loan.Application, m member.Member, now time.Time) (string, error) {
	const lang = groupLang
	plan, err := scheduleOf(a, now)
	if err != nil {
		return "", err
	}
	interest := decimal.Zero
	for _, in := range plan {
		interest = interest.Add(in.Interest)
	}
	bal, err := savings.Summary(ctx, q, m.ID)
	if err != nil {
		return "", err
	}
	ov, err := loan.MemberLoans(ctx, q, m.ID, now)
	if err != nil {
		return "", err
	}
	plafon := bal.Total.Mul(d.cfg.Policy.PlafonMultiple).Floor()
	figures := amounts(lang, a.Amount, plan[0].Total, interest, bal.Pokok, bal.Wajib, bal.Sukarela, bal.Total, plafon)
	loans := d.cfg.Msgs.T(lang, "officer.announce.no_loans", nil)
	if len(ov.Loans) > 0 {
		lines := make([]string, len(ov.Loans))
		for i, l := range ov.Loans {
			lines[i] = d.loanLine(lang, l)
		}
		loans = strings.Join(lines, "\n")
	}
	checker := ""
	if a.Amount.GreaterThan(d.cfg.Policy.TwoOfficersAbove) {
		checker = d.cfg.Msgs.T(lang, "officer.announce.two_officers", map[string]any{
			"Threshold": money.Format(d.cfg.Policy.TwoOfficersAbove, lang)})
	}
	return d.cfg.Msgs.T(lang, "officer.announce", map[string]any{
		"Ref": a.Ref, "Member": markup.Escape(m.Name), "Number": m.Number, "Product": markup.Escape(a.ProductName),
		"Amount": figures[0], "Tenor": a.Tenor, "Purpose": markup.Escape(a.Purpose),
		"Installment": figures[1], "Interest": figures[2],
		"Pokok": figures[3], "Wajib": figures[4], "Sukarela": figures[5], "Savings": figures[6], "Plafon": figures[7],
		"Loans": loans, "TwoOfficers": checker,
	}), nil
}

// loanLine says where an open loan stands, arrears first when there are any.
func (d *Desk) loanLine(lang string, l loan.LoanStatus) string {
	data := map[string]any{"Ref": l.Ref, "Outstanding": money.Format(l.OutstandingPrincipal, lang),
		"Overdue": money.Format(l.Overdue, lang), "Days": l.OverdueDays, "Denda": money.Format(l.Denda, lang),
		"NextDue": "-", "NextAmount": "-"}
	if l.NextDue != nil {
		data["NextDue"], data["NextAmount"] = l.NextDue.Due.Format(DateLayout), money.Format(l.NextDue.Amount, lang)
	}
	if l.Overdue.IsPositive() {
		return d.cfg.Msgs.T(lang, "officer.loan.late", data)
	}
	return d.cfg.Msgs.T(lang, "officer.loan.current", data)
}
