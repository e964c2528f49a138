package officer

import (
	"strings"

	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/savings"
)

// memberCard is /anggota <no|hp>: who the member is, their savings and
// plafon, their open loans with arrears, and their requests in progress.
func (d *Desk) memberCard(t *turn, args []string) (string, error) {
	m, err := findMember(t, args[0])
	if err != nil {
		return "", d.explain(t, err)
	}
	t.subject = m.Number
	if len(args) > 1 && bankWords[strings.ToLower(args[1])] {
		return d.setBankAccount(t, m, args[2:])
	}
	bal, err := savings.Summary(t.ctx, t.tx, m.ID)
	if err != nil {
		return "", err
	}
	ov, err := loan.MemberLoans(t.ctx, t.tx, m.ID, t.now)
	if err != nil {
		return "", err
	}
	lines := []string{}
	for _, l := range ov.Loans {
		lines = append(lines, d.loanLine(t.lang, l))
	}
	for _, a := range ov.Applications {
		lines = append(lines, d.say(t, "officer.anggota.application", map[string]any{"Ref": a.Ref,
			"Amount": money.Format(a.Amount, t.lang), "Tenor": a.Tenor, "Status": d.statusName(t, a.Status)}))
		x, err := d.exchangeLine(t, a)
		if err != nil {
			return "", err
		}
		if x != "" {
			lines = append(lines, "  "+x)
		}
	}
	loans := d.say(t, "officer.announce.no_loans", nil)
	if len(lines) > 0 {
		loans = strings.Join(lines, "\n")
	}
	f := amounts(t.lang, bal.Pokok, bal.Wajib, bal.Sukarela, bal.Total,
		bal.Total.Mul(d.cfg.Policy.PlafonMultiple).Floor())
	accounts, err := d.accounts(t, m)
	if err != nil {
		return "", err
	}
	standing, err := d.standing(t, m)
	if err != nil {
		return "", err
	}
	accounts = joinLines(standing, accounts)
	return joinLines(d.say(t, "officer.anggota", map[string]any{"Number": m.Number, "Name": markup.Escape(m.Name),
		"Phone": m.Phone, "Joined": m.JoinedOn.Format(DateLayout), "Bank": markup.Escape(m.Bank.String()), "Pokok": f[0], "Wajib": f[1], "Sukarela": f[2],
		"Total": f[3], "Plafon": f[4], "Loans": loans}), accounts), nil
}

// joinLines puts b under a, when there is a b.
func joinLines(a, b string) string {
	if b == "" {
		return a
	}
	return a + "\n" + b
}
