package server

import (
	"context"
	"database/sql"
	"log/slog"
	"time"

	"github.com/kopmem/kopbot/internal/books"
	"github.com/kopmem/kopbot/internal/store"
)

// storeMonthEnds keeps the books' month ends stored (books.StoreMonthEnds):
// serve runs it hourly, so a neraca or laba rugi at any date reads one
// stored month end and the postings since it. A month dropped by a
// backdated transaction is stored again within the hour; until then the
// reports read from the month end before it, still right, only slower.
// Each month is computed in a read (a month of postings: seconds at
// 100,000 members) and only written with the writer, which members'
// answers share.
func storeMonthEnds(ctx context.Context, db *store.DB, c books.Chart, now time.Time) error {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	for {
		var m books.MonthEnd
		var due, stored bool
		if err := db.Read(ctx, func(tx *sql.Tx) error {
			var err error
			m, due, err = books.NextMonthEnd(ctx, tx, c, today)
			return err
		}); err != nil || !due {
			return err
		}
		if err := db.Write(ctx, func(tx *sql.Tx) error {
			var err error
			stored, err = m.Store(ctx, tx, today)
			return err
		}); err != nil || !stored {
			// Not stored: the books moved under it; the next hour tries again.
			return err
		}
		slog.InfoContext(ctx, "month end stored", "month", m.Month.Format(books.MonthLayout))
	}
}
