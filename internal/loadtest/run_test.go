package loadtest

import (
	"context"
	"errors"
	"os"
	"runtime"
	"strings"
	"testing"
)

// TestRunSmall drives a small cooperative: every message answered without
// an error or a busy database, every reply delivered, the ledger whole.
func TestRunSmall(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	// Every loan request is confirmed: with half of them declined, a run
	// (seeded by the clock) now and then confirmed none and failed below.
	o := Options{Dir: dir, Size: Size{Members: 200, Postings: 4_000}, Concurrency: 40, Messages: 300,
		Mix: Mix{Saldo: 1, Mutasi: 1, Simulasi: 1, Pinjam: 1, Kalimat: 1, Submit: 100}, CheckLedger: true, Logf: t.Logf}
	r, err := Run(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(r)
	if r.Errors != 0 || r.Busy != 0 {
		t.Fatalf("%d errors, %d busy: %s", r.Errors, r.Busy, r.FirstError)
	}
	if r.P50 <= 0 || r.P99 < r.P50 || r.PeakHeap == 0 || runtime.GOOS == "linux" && r.PeakRSS < r.PeakHeap {
		t.Fatalf("implausible figures: %+v", r)
	}
	if r.Recorded != o.Messages || r.Replies != o.Messages {
		t.Errorf("%d messages recorded and %d replies queued, want %d each", r.Recorded, r.Replies, o.Messages)
	}
	if r.Requests == 0 {
		t.Error("no loan request was submitted: the pinjam script no longer reaches the confirmation")
	}
	if r.Ledger == nil || !r.Ledger.OK() || r.Ledger.Postings != o.Size.Postings {
		t.Fatalf("ledger after the run: %v, want %d postings, all balanced", r.Ledger, o.Size.Postings)
	}

	// The run worked on a copy: the next starts from the same cooperative.
	again, err := Run(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if again.Recorded != o.Messages {
		t.Errorf("second run found %d messages recorded, want only its own %d", again.Recorded, o.Messages)
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
		b.ReportMetric(float64(r.PeakRSS>>20), "peak-rss-MiB")
		b.ReportMetric(float64(r.Busy), "busy")
	}
}

// TestRunLoadRefusesBadArguments: a bad flag, a stray argument or -help
// prints the usage and runs nothing.
func TestRunLoadRefusesBadArguments(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--nope"}, {"extra"}, {"-help"}, {"--members", "lots"}} {
		var stdout, stderr strings.Builder
		err := RunLoad(context.Background(), args, &stdout, &stderr)
		if !errors.Is(err, ErrUsage) || !strings.Contains(stderr.String(), "Usage of kopbot load") || stdout.Len() != 0 {
			t.Errorf("%q: %v, stdout %q, stderr %q; want ErrUsage and the usage", args, err, stdout.String(), stderr.String())
		}
	}
}
