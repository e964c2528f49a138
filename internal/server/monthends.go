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
// It stores the months due one write each: a month costs a
// month of postings, and the writer is shared with members waiting for
// answers. The look first is a read, so the hourly check takes the writer
// only when a month is due.
func storeMonthEnds(ctx context.Context, db *store.DB, c books.Chart, now time.Time) error {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	var due int
	if err := db.Read(ctx, func(tx *sql.Tx) error {
		var err error
		due, err = books.MonthEndsDue(ctx, tx, c, today)
		return err
	}); err != nil || due == 0 {
		return err
	}
	for {
		var stored []time.Time
		if err := db.Write(ctx, func(tx *sql.Tx) error {
			var err error
			stored, err = books.StoreMonthEnds(ctx, tx, c, today, 1)
			return err
		}); err != nil || len(stored) == 0 {
			return err
		}
		slog.InfoContext(ctx, "month end stored", "month", stored[0].Format(books.MonthLayout))
	}
}
