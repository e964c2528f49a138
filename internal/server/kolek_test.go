package server

import (
	"context"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/kolek"
	"github.com/kopmem/kopbot/internal/store/storetest"
)

// TestKolekDailyStoresYesterdayOnce: the job stores the day before the
// cooperative's calendar day, once however often it runs.
func TestKolekDailyStoresYesterdayOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t, app.Schemas...)
	p, _ := kolek.Lookup("")
	// 00:30 in Jakarta is still the day before in UTC: the zone decides.
	now := time.Date(2026, 12, 2, 0, 30, 0, 0, clock.Jakarta())
	for range 2 {
		if err := storeYesterday(ctx, db, p, now); err != nil {
			t.Fatal(err)
		}
	}
	var days, rows int
	if err := db.R.QueryRowContext(ctx, `SELECT count(DISTINCT on_date), count(*) FROM kolek_daily`).Scan(&days, &rows); err != nil {
		t.Fatal(err)
	}
	if days != 1 || rows != len(p.Classes) {
		t.Fatalf("%d days, %d rows stored; want 1 day of %d classes", days, rows, len(p.Classes))
	}
	for _, c := range []struct {
		day  time.Time
		want bool
	}{{time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), true}, {time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), false}} {
		if _, ok, err := kolek.Snapshot(ctx, db.R, p, c.day); ok != c.want || err != nil {
			t.Errorf("%s stored %v, want %v (%v)", c.day.Format(time.DateOnly), ok, c.want, err)
		}
	}
}
