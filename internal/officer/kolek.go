package officer

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/duty"
	"github.com/kopmem/kopbot/internal/health"
	"github.com/kopmem/kopbot/internal/kolek"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/shopspring/decimal"
)

// kolekRead judges the loan book for /kolek [cadangan] in the read.
func (d *Desk) kolekRead(t *turn, args []string) (any, error) {
	if len(args) > 0 && strings.EqualFold(args[0], "turun") {
		return nil, nil
	}
	return kolek.Judge(t.ctx, t.tx, d.cfg.Kolek, dateOnly(t.now))
}

// errNotRead is a command run without the read it needs (command.read).
var errNotRead = errors.New("command run without its read")

// kolekCmd is /kolek [cadangan]: the loan book by collectibility class as
// of today, recording each class change; with "cadangan" a manajer posts
// the month's allowance top-up; /kolek turun <ref> <kelas> <alasan> proposes
// a class by hand. The book was judged before the writer was taken
// (kolekRead); what changed since is judged again here.
func (d *Desk) kolekCmd(t *turn, args []string) (string, error) {
	if len(args) > 0 && strings.EqualFold(args[0], "turun") {
		return d.proposeManual(t, args[1:])
	}
	j, ok := t.read.(kolek.Judged)
	if !ok {
		return "", fmt.Errorf("/kolek: %w", errNotRead)
	}
	pf, err := j.Record(t.ctx, t.tx)
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

// proposeManual is /kolek turun <ref> <kelas> <alasan…>: a loan in court or
// claimed on insurance held at a worse class than its days past due say.
// Like a large deposit it waits for a second officer (the group's
// Konfirmasi button or /konfirmasi), and the reason goes into the loan's
// class history.
func (d *Desk) proposeManual(t *turn, args []string) (string, error) {
	if len(args) < 3 {
		return "", refuse("missing words", "officer.error.usage", map[string]any{"Usage": d.say(t, "officer.usage.kolek", nil)})
	}
	t.subject = strings.ToUpper(args[0])
	m, err := kolek.ProposeManual(t.ctx, t.tx, d.cfg.Kolek, t.subject, args[1], strings.Join(args[2:], " "), t.off.ID, key(t), t.now)
	if err != nil {
		return "", d.explain(t, err)
	}
	t.amount = m.Proposal.Amount
	if !m.Proposal.Replayed {
		buttons := [][]channel.Button{{{Text: d.cfg.Msgs.T(groupLang, "officer.button.confirm_kolek", nil),
			Data: confirmData(m.Proposal.ID)}}}
		if err := d.toGroup(t.ctx, t.tx, d.cfg.Msgs.T(groupLang, "officer.group.confirm_kolek", d.manualData(m, groupLang)),
			buttons, t.now); err != nil {
			return "", err
		}
	}
	return d.say(t, "officer.kolek.proposed", d.manualData(m, t.lang)), nil
}

// confirmManual is a second officer's confirmation of a class by hand.
func (d *Desk) confirmManual(t *turn, p duty.Proposal) (string, error) {
	m, err := kolek.ConfirmManual(t.ctx, t.tx, d.cfg.Kolek, p.ID, t.off.ID, t.now)
	if err != nil {
		return "", d.explain(t, err)
	}
	gd := d.manualData(m, groupLang)
	gd["Officer"] = markup.Escape(t.off.Name)
	if err := d.toGroup(t.ctx, t.tx, d.cfg.Msgs.T(groupLang, "officer.group.kolek_confirmed", gd), nil, t.now); err != nil {
		return "", err
	}
	return d.say(t, "officer.kolek.confirmed", d.manualData(m, t.lang)), nil
}

// manualData is what the messages of a class by hand say, in lang.
func (d *Desk) manualData(m kolek.Manual, lang string) map[string]any {
	return map[string]any{"ID": m.Proposal.ID, "Ref": m.Ref, "From": m.From, "To": m.Class,
		"Reason": markup.Escape(m.Reason), "Outstanding": money.Format(m.Proposal.Amount, lang),
		"Maker": markup.Escape(d.officerName(m.Proposal.Maker))}
}
