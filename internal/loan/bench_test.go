package loan

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
)

// BenchmarkSchedule computes a 36-month annuity, the longest default.
func BenchmarkSchedule(b *testing.B) {
	p := DefaultProducts()[1]
	for b.Loop() {
		if _, err := Schedule(p, rp(47_500_000), 36, date(2026, 1, 31)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRepay records one durable repayment per op, in its own write
// transaction, on a 36-month loan that accumulates payments as it goes.
func BenchmarkRepay(b *testing.B) {
	ctx := context.Background()
	db := openTB(b)
	l := disbursedLoan(b, db, 1, "ANUITAS", 50_000_000, 36, at(2026, 1, 10, 10))
	n := 0
	for b.Loop() {
		n++
		p := Payment{Key: fmt.Sprintf("bench-%d", n), LoanRef: l.Ref, Amount: rp(100), On: date(2026, 1, 10), OfficerID: "1"}
		if err := db.Write(ctx, func(q *sql.Tx) error { _, err := Repay(ctx, q, p); return err }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "ops/s")
}
