package server

import (
	"context"
	"database/sql"
	"log/slog"
	"time"

	"github.com/kopmem/kopbot/internal/books"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/jasa"
	"github.com/kopmem/kopbot/internal/period"
	"github.com/kopmem/kopbot/internal/store"
)

// jasaActor is who the ledger says paid the jasa simpanan serve pays.
const jasaActor = "kopbot serve"

// jasaMonthly pays the jasa simpanan of the month before today (jasa.Run),
// checked at start and then every hour like kolekDaily: the first day
// after a month ends pays it, and a serve that was down that day pays it
// when it starts.
func jasaMonthly(ctx context.Context, db *store.DB, c books.Chart, s jasa.Settings, loc *time.Location, clk clock.Clock) {
	for {
		if err := payLastMonth(ctx, db, c, s, clk.Now().In(loc)); err != nil && ctx.Err() == nil {
			slog.ErrorContext(ctx, "pay jasa simpanan", "err", err)
		}
		if clock.Sleep(ctx, time.Hour) != nil {
			return
		}
	}
}

// payLastMonth pays the month before now's calendar month unless a run
// completed it; the look first is a read, so the hourly check takes the
// writer only once a month.
func payLastMonth(ctx context.Context, db *store.DB, c books.Chart, s jasa.Settings, now time.Time) error {
	m := period.Of(now).Add(-1)
	var done bool
	if err := db.Read(ctx, func(tx *sql.Tx) error {
		var err error
		done, err = jasa.Done(ctx, tx, m)
		return err
	}); err != nil || done {
		return err
	}
	r, err := jasa.Run(ctx, db, c, s, m, now, jasaActor, now)
	if r.New > 0 || err == nil {
		slog.InfoContext(ctx, "jasa simpanan paid", "month", m.First().Format("2006-01"), "members", len(r.Credits),
			"new", r.New, "total", r.Total, "value_date", r.ValueDate.Format(time.DateOnly), "closed", r.Closed)
	}
	return err
}
