package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/reminder"
)

func runReminders(ctx context.Context, args []string, stdout io.Writer) error {
	fs, data := flags("reminders")
	date := fs.String("date", "", "the day to preview, YYYY-MM-DD (default today)")
	texts := fs.Bool("text", false, "also print each message as the member would read it")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return exitError{2}
	}
	if len(pos) != 1 || pos[0] != "preview" {
		return fmt.Errorf("usage: kopbot reminders preview [--date YYYY-MM-DD] [--text]")
	}
	a, cfg, err := data.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	on := a.Clock.Now().In(cfg.Location())
	if *date != "" {
		if on, err = time.ParseInLocation(time.DateOnly, *date, cfg.Location()); err != nil {
			return fmt.Errorf("--date: %w", err)
		}
	}
	p, err := reminder.NewPlanner(a.DB, a.Msgs, a.Clock, app.ReminderConfig(cfg))
	if err != nil {
		return err
	}
	planned, err := p.Preview(ctx, a.DB.R, on)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d reminder(s) would go out\n", on.Format("Mon 2006-01-02"), len(planned))
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "WHY\tMEMBER\tNAME\tTO\tAMOUNT\tDUE")
	for _, pl := range planned {
		due := ""
		if !pl.Due.IsZero() {
			due = pl.Due.Format(time.DateOnly)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s:%s\t%s\t%s\n", pl.Reason, pl.Number, pl.Name, pl.To.Channel, pl.To.Chat,
			money.Format(pl.Amount, "id"), due)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if *texts {
		for _, pl := range planned {
			fmt.Fprintf(stdout, "\n--- %s → %s:%s\n%s\n", pl.Reason, pl.To.Channel, pl.To.Chat, pl.Text)
		}
	}
	return nil
}
