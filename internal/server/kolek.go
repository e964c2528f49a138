package server

import (
	"context"
	"database/sql"
	"log/slog"
	"time"

	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/kolek"
	"github.com/kopmem/kopbot/internal/store"
)

// hourly runs job at start and then every hour with the time in the
// cooperative's zone, logging what fails as what. Hourly rather than at
// midnight: a serve that was down then catches up when it starts.
func hourly(ctx context.Context, what string, loc *time.Location, clk clock.Clock, job func(now time.Time) error) {
	for {
		if err := job(clk.Now().In(loc)); err != nil && ctx.Err() == nil {
			slog.ErrorContext(ctx, what, "err", err)
		}
		if clock.Sleep(ctx, time.Hour) != nil {
			return
		}
	}
}

// storeYesterday stores each finished day's kolektibilitas and allowance
// (kolek.Daily): serve runs it hourly, so the health assessment and the
// reports of a past day read that day's snapshot and the class history
// gains each change on the day it happened even when nobody types /kolek.
// It stores the snapshot of the day before now's calendar day, unless it
// is stored already. The book is judged in a read (over a second at
// 100,000 members) and the writer, which every member's answer shares, is
// taken only to record it.
func storeYesterday(ctx context.Context, db *store.DB, p kolek.Profile, now time.Time) error {
	y, m, d := now.Date()
	day := time.Date(y, m, d-1, 0, 0, 0, 0, time.UTC)
	var done bool
	var judged kolek.Judged
	if err := db.Read(ctx, func(tx *sql.Tx) error {
		var err error
		if _, done, err = kolek.Snapshot(ctx, tx, p, day); err != nil || done {
			return err
		}
		judged, err = kolek.Judge(ctx, tx, p, day)
		return err
	}); err != nil || done {
		return err
	}
	var pf kolek.Portfolio
	var stored bool
	err := db.Write(ctx, func(tx *sql.Tx) error {
		var err error
		pf, stored, err = judged.StoreDay(ctx, tx)
		return err
	})
	if stored {
		slog.InfoContext(ctx, "kolektibilitas stored", "date", day.Format(time.DateOnly), "profile", p.Key,
			"outstanding", pf.Outstanding, "npl", pf.NPL, "allowance", pf.Required)
	}
	return err
}
