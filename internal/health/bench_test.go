package health_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/books"
	"github.com/kopmem/kopbot/internal/health"
	"github.com/kopmem/kopbot/internal/kolek"
	"github.com/kopmem/kopbot/internal/loadtest"
)

// benchSize is small enough to build in seconds. The size:
//
//	KOPBOT_BENCH_MEMBERS=100000 KOPBOT_BENCH_POSTINGS=5000000 \
//	  go test -run x -bench HealthReport -benchtime 3x ./internal/health/
//
// builds the 100,000-member / 5,000,000-posting cooperative once (minutes;
// cached in KOPBOT_BENCH_DIR, default the system temp folder) and times the
// report on it.
func benchSize(b *testing.B) loadtest.Size {
	s := loadtest.Size{Members: 2_000, Postings: 40_000}
	for _, v := range []struct {
		env string
		to  *int
	}{{"KOPBOT_BENCH_MEMBERS", &s.Members}, {"KOPBOT_BENCH_POSTINGS", &s.Postings}} {
		if x := os.Getenv(v.env); x != "" {
			n, err := strconv.Atoi(x)
			if err != nil {
				b.Fatalf("%s: %v", v.env, err)
			}
			*v.to = n
		}
	}
	return s
}

// BenchmarkHealthReport times what /kesehatan does (in a read): the neraca
// at a date and a year earlier, the year's laba rugi, the loan book's
// collectibility, and the rating; and what /kolek does. The books' month ends are stored
// first, as serve's hourly job keeps them.
func BenchmarkHealthReport(b *testing.B) {
	ctx := context.Background()
	dir := os.Getenv("KOPBOT_BENCH_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "kopbot-bench")
	}
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	today := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	path, err := loadtest.Build(ctx, dir, benchSize(b), now, b.Logf)
	if err != nil {
		b.Fatal(err)
	}
	a, err := app.Open(ctx, path, app.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	chart := books.DefaultChart()
	start := time.Now()
	months := 0
	for {
		var stored []time.Time
		if err := a.DB.Write(ctx, func(tx *sql.Tx) error {
			stored, err = books.StoreMonthEnds(ctx, tx, chart, today, 1)
			return err
		}); err != nil {
			b.Fatal(err)
		}
		if len(stored) == 0 {
			break
		}
		months++
	}
	b.Logf("stored %d month ends in %s", months, time.Since(start).Round(time.Millisecond))
	p, _ := health.Lookup("")
	kp, _ := kolek.Lookup("")
	on := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	report := func(kp kolek.Profile, on time.Time) func(b *testing.B) {
		return func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				err := a.DB.Read(ctx, func(tx *sql.Tx) error {
					in, err := health.Gather(ctx, tx, chart, kp, on)
					if err != nil {
						return err
					}
					_, err = health.Build(ctx, tx, p, in, on)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	// Every loan judged again, then the day read from the daily job's
	// snapshot (kolek.Daily), as serve has it for any day that is over.
	// Snapshots are stored per profile key, so a key never stored is
	// judged even in a cached database whose day was stored by a run
	// before. Today is two days past the last month end.
	judged := kp
	judged.Key = "bench-judged"
	b.Run("judged", report(judged, on))
	b.Run("judged-today", report(judged, today))
	// The day stored as serve's daily job does: judged in a read, stored
	// under the writer.
	start = time.Now()
	var j kolek.Judged
	if err := a.DB.Read(ctx, func(tx *sql.Tx) (err error) {
		j, err = kolek.Judge(ctx, tx, kp, on)
		return err
	}); err != nil {
		b.Fatal(err)
	}
	read, start := time.Since(start), time.Now()
	var pf kolek.Portfolio
	if err := a.DB.Write(ctx, func(tx *sql.Tx) error {
		pf, _, err = j.StoreDay(ctx, tx)
		return err
	}); err != nil {
		b.Fatal(err)
	}
	b.Logf("daily job: judged in a read in %s, writer held %s", read.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	b.Logf("%d loans outstanding Rp%s, NPL %s%%; by class %v", len(pf.Loans), pf.Outstanding, pf.NPLRatio(), counts(pf))
	b.Run("snapshot", report(kp, on))
	// /kolek: the book judged today in a read, then each class change
	// recorded, the allowance booked and the week's movers under the
	// writer; writer-ns/op is how long members' answers wait for it.
	b.Run("kolek", func(b *testing.B) {
		b.ReportAllocs()
		var held time.Duration
		for b.Loop() {
			var j kolek.Judged
			if err := a.DB.Read(ctx, func(tx *sql.Tx) (err error) {
				j, err = kolek.Judge(ctx, tx, kp, today)
				return err
			}); err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			if err := a.DB.Write(ctx, func(tx *sql.Tx) error {
				if _, err := j.Record(ctx, tx); err != nil {
					return err
				}
				if _, err := kolek.Booked(ctx, tx, chart, today); err != nil {
					return err
				}
				_, err := kolek.Movers(ctx, tx, today.AddDate(0, 0, -6), today)
				return err
			}); err != nil {
				b.Fatal(err)
			}
			held += time.Since(start)
		}
		b.ReportMetric(float64(held.Nanoseconds())/float64(b.N), "writer-ns/op")
	})
}

func counts(pf kolek.Portfolio) map[string]int {
	out := map[string]int{}
	for _, bk := range pf.Buckets {
		out[bk.Class.Code] = bk.Count
	}
	return out
}
