package ledger

import (
	"context"
	"database/sql"
	"flag"
	"path/filepath"
	"testing"

	"github.com/kopmem/kopbot/internal/store"
)

var throughput = flag.Bool("throughput", false, "run TestThroughputRatio: durable postings against bare inserts, same pragmas")

// BenchmarkBareInsert is the floor under BenchmarkPostDeposit (one durable
// deposit of two postings per transaction, through Post): the same pragmas and
// writer (store.Open, so WAL, synchronous=FULL, BEGIN IMMEDIATE), one plain
// row per durable transaction and nothing else: no validation, no
// idempotency key, no trigger, no index.
func BenchmarkBareInsert(b *testing.B) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(b.TempDir(), "bare.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.W.ExecContext(ctx, `CREATE TABLE bare (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL) STRICT`); err != nil {
		b.Fatal(err)
	}
	n := 0
	for b.Loop() {
		n++
		if err := db.Write(ctx, func(q *sql.Tx) error {
			_, err := q.ExecContext(ctx, `INSERT INTO bare (amount) VALUES (?)`, n)
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "tx/s")
}

// TestThroughputRatio runs BenchmarkPostDeposit and BenchmarkBareInsert in one process, alternating so
// that a neighbour's disk traffic hits both alike, and fails below half the
// bare rate: the ledger's own work must not cost more than the fsync.
// go test -run ThroughputRatio -v ./internal/ledger/ -args -throughput
func TestThroughputRatio(t *testing.T) {
	if !*throughput {
		t.Skip("needs -throughput: it measures the disk for about 15 s")
	}
	const rounds = 3
	var durable, bare float64
	for range rounds {
		d, b := testing.Benchmark(BenchmarkPostDeposit), testing.Benchmark(BenchmarkBareInsert)
		t.Logf("durable %s (%.0f/s)   bare %s (%.0f/s)", d, perSecond(d), b, perSecond(b))
		durable += perSecond(d)
		bare += perSecond(b)
	}
	durable, bare = durable/rounds, bare/rounds
	ratio := durable / bare
	t.Logf("durable postings: %.0f transactions/s (%.0f postings/s); bare inserts: %.0f/s; ratio %.2f",
		durable, 2*durable, bare, ratio)
	if ratio < 0.5 {
		t.Errorf("durable postings run at %.2f of the bare insert rate, want at least 0.5", ratio)
	}
}

func perSecond(r testing.BenchmarkResult) float64 { return float64(r.N) / r.T.Seconds() }
