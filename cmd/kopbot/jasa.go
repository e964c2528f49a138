package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/kopmem/kopbot/internal/books"
	"github.com/kopmem/kopbot/internal/jasa"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/period"
)

// jasaActor is who the ledger says paid what `kopbot jasa post` pays.
const jasaActor = "kopbot jasa"

// basisMessages say each balance basis.
var basisMessages = map[jasa.Basis]string{jasa.Lowest: "jasa.basis.lowest", jasa.Average: "jasa.basis.average"}

// runJasa works out a month's jasa simpanan (preview) or pays it (post),
// for a month serve missed or to check the figures first. Paying is once
// per member per month, whoever runs it, so running it beside serve is safe.
func runJasa(ctx context.Context, args []string, stdout io.Writer) error {
	fs, data := flags("jasa")
	asked := fs.String("period", "", "the month YYYY-MM (default: last month)")
	pos, sp, err := parseSpoken(fs, args)
	if err != nil {
		return err
	}
	say := sp.say
	if len(pos) != 1 || (pos[0] != "preview" && pos[0] != "post") {
		return errors.New(say("jasa.usage", nil))
	}
	a, cfg, err := data.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	now := a.Clock.Now().In(cfg.Location())
	m := period.Of(now).Add(-1)
	if *asked != "" {
		p, err := books.ParsePeriod(*asked)
		if err != nil || !strings.Contains(p.Label, "-") {
			return fmt.Errorf("--period %q: want a month, YYYY-MM", *asked)
		}
		m = period.Of(p.From)
	}
	s := cfg.Jasa()
	label := m.First().Format(books.MonthLayout)
	basis := say(basisMessages[s.Basis], nil)
	figures := map[string]any{"Month": label, "Rate": money.Percent(s.Rate, sp.lang), "Basis": basis}
	if s.Rate.IsZero() {
		fmt.Fprintln(stdout, say("jasa.off", nil))
		return nil
	}
	if !jasa.Ended(m, now) {
		return errors.New(say("jasa.not_ended", figures))
	}
	if pos[0] == "preview" {
		credits, err := jasa.Compute(ctx, a.DB.R, s, m)
		if err != nil {
			return err
		}
		total := money.FromRupiah(0)
		for _, c := range credits {
			fmt.Fprintln(stdout, say("jasa.line", map[string]any{"Number": c.Number, "Basis": basis,
				"Balance": money.Format(c.Balance, sp.lang), "Amount": money.Format(c.Amount, sp.lang)}))
			total = total.Add(c.Amount)
		}
		figures["Count"], figures["Total"] = len(credits), money.Format(total, sp.lang)
		fmt.Fprintln(stdout, say("jasa.preview", figures))
		return nil
	}
	r, err := jasa.Run(ctx, a.DB, a.Chart, s, m, now, jasaActor, a.Clock.Now())
	if err != nil {
		return err
	}
	figures["Count"], figures["Total"], figures["New"] = len(r.Credits), money.Format(r.Total, sp.lang), r.New
	figures["Date"] = r.ValueDate.Format("02/01/2006")
	fmt.Fprintln(stdout, say("jasa.posted", figures))
	if r.Closed {
		fmt.Fprintln(stdout, say("jasa.closed", figures))
	}
	return nil
}
