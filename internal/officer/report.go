package officer

import (
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/savings"
)

// report is /laporan: today's lending and savings, in the cooperative's
// day, for closing the cash desk.
func (d *Desk) report(t *turn, _ []string) (string, error) {
	y, mo, day := t.now.Date()
	start := time.Date(y, mo, day, 0, 0, 0, 0, d.cfg.Location)
	lt, err := loan.TodayTotals(t.ctx, t.tx, start, d.cfg.Location)
	if err != nil {
		return "", err
	}
	st, err := savings.DayTotals(t.ctx, t.tx, start, start.AddDate(0, 0, 1))
	if err != nil {
		return "", err
	}
	f := amounts(t.lang, lt.Applied, lt.Approved, lt.Disbursed, lt.Repaid, lt.Denda, lt.Interest, lt.Principal, lt.Reversed)
	var lines []string
	for _, s := range st {
		g := amounts(t.lang, s.Deposited, s.Withdrawn, s.Reversed)
		lines = append(lines, d.say(t, "officer.laporan.savings", map[string]any{
			"Kind": kindName(d.cfg.Msgs, t.lang, s.Kind), "Deposits": s.Deposits, "Deposited": g[0],
			"Withdrawals": s.Withdrawals, "Withdrawn": g[1], "Reversals": s.Reversals, "Reversed": g[2]}))
	}
	return d.say(t, "officer.laporan", map[string]any{"Date": start.Format(DateLayout),
		"Applications": lt.Applications, "Applied": f[0], "Approvals": lt.Approvals, "Approved": f[1],
		"Rejections": lt.Rejections, "Disbursements": lt.Disbursements, "Disbursed": f[2],
		"Repayments": lt.Repayments, "Repaid": f[3], "Denda": f[4], "Interest": f[5], "Principal": f[6],
		"Reversals": lt.Reversals, "Reversed": f[7], "Savings": strings.Join(lines, "\n")}), nil
}
