package ledger

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
)

// BenchmarkPostDeposit measures one durable deposit per op: its own write
// transaction, two postings, fsync on commit.
func BenchmarkPostDeposit(b *testing.B) {
	ctx := context.Background()
	db := cashAndSavings(b)
	n := 0
	for b.Loop() {
		n++
		e := deposit(fmt.Sprintf("bench-%d", n), 1000)
		if err := db.Write(ctx, func(q *sql.Tx) error { _, err := Post(ctx, q, e); return err }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "ops/s")
}

// BenchmarkStatement reads the last 20 lines of an account with 100k
// postings: the cost must not grow with the history.
func BenchmarkStatement(b *testing.B) {
	ctx := context.Background()
	db := cashAndSavings(b)
	if err := db.Write(ctx, func(q *sql.Tx) error {
		for i := range 100_000 {
			if _, err := Post(ctx, q, deposit(fmt.Sprintf("seed-%d", i), int64(i%5000+1))); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		lines, err := Statement(ctx, db.R, "SAV", 20)
		if err != nil || len(lines) != 20 {
			b.Fatalf("statement: %d lines, %v", len(lines), err)
		}
	}
}
