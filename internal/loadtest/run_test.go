package loadtest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/ledger"
)

// TestRunSmall drives a small cooperative: every message answered without
// an error or a busy database, every reply delivered, the ledger whole.
func TestRunSmall(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	o := Options{Dir: dir, Size: Size{Members: 200, Postings: 4_000}, Concurrency: 40, Messages: 300,
		Mix: Mix{Saldo: 1, Mutasi: 1, Simulasi: 1, Pinjam: 1, Submit: 50}, Logf: t.Logf}
	r, err := Run(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(r)
	if r.Errors != 0 || r.Busy != 0 {
		t.Fatalf("%d errors, %d busy: %s", r.Errors, r.Busy, r.FirstError)
	}
	if r.P50 <= 0 || r.P99 < r.P50 || r.PeakHeap == 0 {
		t.Fatalf("implausible figures: %+v", r)
	}

	path, err := Build(ctx, dir, o.Size, time.Now(), t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(ctx, path, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var postings, inbox, replies, submitted int
	if err := a.DB.R.QueryRow(`SELECT (SELECT count(*) FROM ledger_postings), (SELECT count(*) FROM inbox),
		(SELECT count(*) FROM outbox WHERE chat <> ?), (SELECT count(*) FROM loan_applications)`, app.OfficerSeat).
		Scan(&postings, &inbox, &replies, &submitted); err != nil {
		t.Fatal(err)
	}
	if postings != o.Size.Postings {
		t.Errorf("%d postings, want %d", postings, o.Size.Postings)
	}
	if inbox != o.Messages || replies != o.Messages {
		t.Errorf("%d messages recorded and %d replies queued, want %d each", inbox, replies, o.Messages)
	}
	if submitted == 0 {
		t.Error("no loan request was submitted: the pinjam script no longer reaches the confirmation")
	}
	rep, err := ledger.Check(ctx, a.DB.R)
	if err != nil || !rep.OK() {
		t.Fatalf("ledger check: %v %s", err, rep)
	}
}

// BenchmarkLoad is Run on 10,000 members and a million postings, a size CI
// can build once (in the system temp folder, reused) and drive in seconds:
// go test -run X -bench Load -benchtime 1x ./internal/loadtest/
// One op is the whole run; the figures are reported as metrics.
func BenchmarkLoad(b *testing.B) {
	ctx := context.Background()
	o := Options{Dir: os.TempDir(), Size: Size{Members: 10_000, Postings: 1_000_000}, Concurrency: 1000,
		Messages: 20_000, Logf: b.Logf}
	for b.Loop() {
		r, err := Run(ctx, o)
		if err != nil {
			b.Fatal(err)
		}
		if r.Errors != 0 {
			b.Fatalf("%d errors (%d busy): %s", r.Errors, r.Busy, r.FirstError)
		}
		b.Log(r)
		b.ReportMetric(r.PerSecond(), "msg/s")
		b.ReportMetric(float64(r.P50.Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(r.P99.Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(r.PeakSys>>20), "peak-MiB")
		b.ReportMetric(float64(r.Busy), "busy")
	}
}
