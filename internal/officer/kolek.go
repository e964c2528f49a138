package officer

import (
	"fmt"
	"strings"

	"github.com/kopmem/kopbot/internal/health"
	"github.com/kopmem/kopbot/internal/kolek"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/shopspring/decimal"
)

// kolekCmd is /kolek [cadangan]: the loan book by collectibility class as
// of today, recording each class change; with "cadangan" a manajer posts
// the month's allowance top-up.
func (d *Desk) kolekCmd(t *turn, args []string) (string, error) {
	pf, err := kolek.Refresh(t.ctx, t.tx, d.cfg.Kolek, dateOnly(t.now))
	if err != nil {
		return "", err
	}
	if len(args) > 0 && strings.EqualFold(args[0], "cadangan") {
		return d.postAllowance(t, pf)
	}
	booked, err := kolek.Booked(t.ctx, t.tx, d.cfg.Chart, dateOnly(t.now))
	if err != nil {
		return "", err
	}
	movers, err := kolek.Movers(t.ctx, t.tx, dateOnly(t.now).AddDate(0, 0, -6), dateOnly(t.now))
	if err != nil {
		return "", err
	}
	outstanding := make([]decimal.Decimal, len(pf.Buckets))
	required := make([]decimal.Decimal, len(pf.Buckets))
	for i, b := range pf.Buckets {
		outstanding[i], required[i] = b.Outstanding, b.Required
	}
	o, r := amounts(t.lang, outstanding...), amounts(t.lang, required...)
	rows := make([]string, len(pf.Buckets))
	for i, b := range pf.Buckets {
		rows[i] = fmt.Sprintf("%-4s %4d %14s %12s", b.Class.Code, b.Count, o[i], r[i])
	}
	moved := make([]string, len(movers))
	for i, m := range movers {
		moved[i] = d.say(t, "officer.kolek.mover", map[string]any{"Ref": m.Ref, "From": m.From, "To": m.To,
			"Date": m.On.Format(DateLayout), "Days": m.DPD})
	}
	f := plain(t.lang, pf.Outstanding, pf.NPL, pf.Risk, pf.Required, booked)
	return d.say(t, "officer.kolek", map[string]any{"Date": t.now.Format(DateLayout), "Profile": pf.Profile.Name,
		"Rows": strings.Join(rows, "\n"), "Outstanding": f[0], "NPL": f[1], "NPLRatio": money.Percent(pf.NPLRatio().Div(hundred), t.lang),
		"Risk": f[2], "RiskRatio": money.Percent(pf.RiskRatio().Div(hundred), t.lang), "Required": f[3], "Booked": f[4],
		"Movers": strings.Join(moved, "\n"), "MoverCount": len(movers)}), nil
}

func (d *Desk) postAllowance(t *turn, pf kolek.Portfolio) (string, error) {
	if t.off.Role != loan.RoleManajer {
		return "", refuse("needs manajer", "officer.error.manager_only", map[string]any{"Command": "/kolek cadangan"})
	}
	p, err := kolek.PostAllowance(t.ctx, t.tx, d.cfg.Chart, pf, t.off.ID)
	if err != nil {
		return "", d.explain(t, err)
	}
	f := plain(t.lang, p.Required, p.Booked, p.Amount)
	return d.say(t, "officer.kolek.cadangan", map[string]any{"Month": p.Month, "Required": f[0], "Booked": f[1],
		"Amount": f[2], "TxID": p.TxID, "Replayed": p.Replayed, "Nothing": p.TxID == 0}), nil
}

// collateral is /agunan <ref> <nilai> [keterangan]: the value of a loan's
// collateral, which the ksp profile needs to hold a loan at Diragukan.
func (d *Desk) collateral(t *turn, args []string) (string, error) {
	t.subject = strings.ToUpper(args[0])
	l, err := loan.LoanByRef(t.ctx, t.tx, t.subject)
	if err != nil {
		return "", d.explain(t, err)
	}
	// The value may span words ("15 juta"); the note is what follows the
	// longest run that still reads as an amount.
	words, note := args[1:], ""
	for i := range words {
		if _, err := money.Parse(strings.Join(words[:i+1], " ")); err != nil && i > 0 {
			words, note = words[:i], strings.Join(words[i:], " ")
			break
		}
	}
	value, err := amount(words)
	if err != nil {
		return "", d.explain(t, err)
	}
	if err := kolek.RecordCollateral(t.ctx, t.tx, l.ID, value, note, t.off.ID, t.now); err != nil {
		return "", err
	}
	return d.say(t, "officer.agunan.done", map[string]any{"Ref": l.Ref, "Value": money.Format(value, t.lang),
		"Note": note}), nil
}

// hundred turns a percentage into the fraction money.Percent shows.
var hundred = decimal.NewFromInt(100)

// plain formats figures for running text, without aligning them.
func plain(lang string, figures ...decimal.Decimal) []string {
	out := make([]string, len(figures))
	for i, f := range figures {
		out[i] = money.Format(f, lang)
	}
	return out
}

// Kolek is the collectibility profile the desk judges loans by.
func (d *Desk) Kolek() kolek.Profile { return d.cfg.Kolek }

// Health is the health profiles the desk judges by, by key.
func (d *Desk) Health() map[string]health.Profile { return d.cfg.Health }

// HealthKey is the profile /kesehatan uses unless told another.
func (d *Desk) HealthKey() string { return d.cfg.HealthKey }
