package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/kopmem/kopbot/internal/books"
	"github.com/kopmem/kopbot/internal/health"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/shu"
)

const reportUsage = "usage: kopbot report neraca|labarugi|saldo|shu|kesehatan [--period YYYY-MM|YYYY] --out FILE.xlsx [--db F]"

// runReport writes a statement workbook. The neraca and the neraca saldo
// are taken at the period's last day, the laba rugi over the period; the
// ledger is checked in the same snapshot, so the figures tie to it.
func runReport(ctx context.Context, args []string, stdout io.Writer) error {
	fs, data := flags("report")
	period := fs.String("period", "", "month YYYY-MM or year YYYY (default: this month)")
	out := fs.String("out", "", "the .xlsx file to write")
	coop := fs.String("name", "", "the cooperative's name for the title")
	date := fs.String("date", "", "kesehatan: the closing date YYYY-MM-DD (default: the period's last day)")
	profile := fs.String("profile", "", "kesehatan: the rules, 2021 or 2016 (default: books.health_profile)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return exitError{2}
	}
	if len(pos) != 1 || *out == "" {
		return fmt.Errorf(reportUsage)
	}
	a, cfg, err := data.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	now := a.Clock.Now().In(cfg.Location())
	p := books.Period{From: time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)}
	p.To = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if *period != "" {
		if p, err = books.ParsePeriod(*period); err != nil {
			return fmt.Errorf("--period: %w", err)
		}
	}
	var write func(w io.Writer) error
	var check ledger.Report
	err = a.DB.Read(ctx, func(tx *sql.Tx) error {
		if check, err = ledger.Check(ctx, tx); err != nil {
			return err
		}
		switch pos[0] {
		case "neraca", "saldo":
			n, err := books.NeracaAt(ctx, tx, a.Chart, p.To)
			if err != nil {
				return err
			}
			write = func(w io.Writer) error { return books.WriteNeraca(w, *coop, n) }
			if pos[0] == "saldo" {
				write = func(w io.Writer) error { return books.WriteSaldo(w, *coop, n.Balances) }
			}
			fmt.Fprintf(stdout, "neraca %s: aset %s, kewajiban %s, ekuitas %s, SHU belum ditutup %s, selisih %s\n",
				p.To.Format(time.DateOnly), n.Assets, n.Liabilities, n.Equity, n.Result, n.Difference())
		case "shu":
			r, err := shu.Load(ctx, tx, p.From.Year())
			if err != nil {
				return err
			}
			names := map[int64]shu.Named{}
			for _, sh := range r.Shares {
				m, err := member.ByID(ctx, tx, sh.MemberID)
				if err != nil {
					return err
				}
				names[sh.MemberID] = shu.Named{Number: m.Number, Name: m.Name}
			}
			write = func(w io.Writer) error { return shu.WriteXLSX(w, r, names) }
			fmt.Fprintf(stdout, "SHU %d: %d, %d anggota\n", r.Year, r.SHU, len(r.Shares))
		case "kesehatan":
			on := p.To
			if *date != "" {
				if on, err = time.Parse(time.DateOnly, *date); err != nil {
					return fmt.Errorf("--date: %w", err)
				}
			}
			key := *profile
			if key == "" {
				key = a.HealthKey
			}
			hp, ok := a.Health[key]
			if !ok {
				return fmt.Errorf("--profile %q: %w", key, health.ErrProfile)
			}
			in, err := health.Gather(ctx, tx, a.Chart, a.Kolek, on)
			if err != nil {
				return err
			}
			r, err := health.Build(ctx, tx, hp, in, on)
			if err != nil {
				return err
			}
			write = func(w io.Writer) error { return health.WriteXLSX(w, r, *coop) }
			band := r.Band
			if r.Partial {
				band = "parsial (aspek keuangan saja)"
			}
			fmt.Fprintf(stdout, "kesehatan %s (%s): skor %s, %s\n", on.Format(time.DateOnly), hp.Key, r.Score.StringFixed(2), band)
		case "labarugi":
			l, err := books.LabaRugiFor(ctx, tx, a.Chart, p.From, p.To)
			if err != nil {
				return err
			}
			write = func(w io.Writer) error { return books.WriteLabaRugi(w, *coop, l) }
			fmt.Fprintf(stdout, "laba rugi %s..%s: pendapatan %s, beban %s, SHU %s\n", p.From.Format(time.DateOnly),
				p.To.Format(time.DateOnly), l.Income, l.Expense, l.SHU())
		default:
			return fmt.Errorf(reportUsage)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("report %s: %w", pos[0], err)
	}
	f, err := os.Create(*out)
	if err != nil {
		return fmt.Errorf("report %s: %w", pos[0], err)
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("report %s: %w", pos[0], err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("report %s: %w", pos[0], err)
	}
	fmt.Fprintf(stdout, "ledger check: %s\nwritten %s\n", check, *out)
	if !check.OK() {
		return exitError{1}
	}
	return nil
}
