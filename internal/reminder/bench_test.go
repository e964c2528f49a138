package reminder

import (
	"context"
	"database/sql"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/store"
)

// seedLoans writes n members, each with one open 12-month flat loan of
// Rp1.200.000 (USAHA terms) disbursed between 1 and 28 November 2026, so
// every day of December has n/28 installments falling due. Rows go in by
// SQL, in one transaction, as loan.Disburse would write them (application,
// receivable account, disbursement entry with its two postings, loan,
// schedule): the planner reads them exactly like real ones, and building
// 100,000 loans one by one would take minutes.
func seedLoans(tb testing.TB, db *store.DB, n int) {
	tb.Helper()
	ctx := context.Background()
	stmts := []string{
		`INSERT INTO ledger_accounts (id, code, name, type) VALUES (1, 'KAS', 'Kas', 'asset')`,
		`WITH RECURSIVE s(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM s WHERE v < ?1)
		INSERT INTO members (id, number, name, phone, joined_on) SELECT v, printf('B%06d', v), 'Anggota ' || v,
			printf('62813%08d', v), '2025-01-02' FROM s`,
		`WITH RECURSIVE s(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM s WHERE v < ?1)
		INSERT INTO loan_applications (id, ref, ref_month, ref_seq, idem_key, member_id, product, product_name, method,
			rate_per_month, penalty_per_day, grace_days, first_due_months, amount, tenor, purpose, status, applied_at, updated_at)
		SELECT v, printf('PJ-2611-%06d', v), '2611', v, 'bench-' || v, v, 'USAHA', 'Pinjaman Usaha', 'flat', '0.015', '0.001',
			3, 1, 1200000, 12, 'modal', 'disbursed', '2026-11-01T01:00:00.000Z', '2026-11-01T01:00:00.000Z' FROM s`,
		`INSERT INTO ledger_accounts (id, code, name, type) SELECT id + 1, 'PINJ-' || ref, 'Piutang pinjaman ' || ref, 'asset'
		FROM loan_applications`,
		`INSERT INTO ledger_transactions (id, idem_key, kind, value_date, actor, memo)
		SELECT id, 'disburse:' || ref, 'loan_disbursement', date('2026-11-01', '+' || (id % 28) || ' days'), '1001',
			'Pencairan ' || ref FROM loan_applications`,
		`INSERT INTO ledger_postings (tx_id, account_id, amount) SELECT id, id + 1, 1200000 FROM loan_applications
		UNION ALL SELECT id, 1, -1200000 FROM loan_applications`,
		`INSERT INTO loan_loans (id, application_id, ref, member_id, principal, account_id, disbursed_on, tx_id, officer_id, status)
		SELECT a.id, a.id, a.ref, a.member_id, 1200000, a.id + 1, t.value_date, a.id, '1001', 'open'
		FROM loan_applications a JOIN ledger_transactions t ON t.id = a.id`,
		`WITH RECURSIVE m(no) AS (SELECT 1 UNION ALL SELECT no + 1 FROM m WHERE no < 12)
		INSERT INTO loan_installments (loan_id, no, due_on, principal, interest)
		SELECT l.id, m.no, date(l.disbursed_on, '+' || m.no || ' months'), 100000, 18000 FROM loan_loans l, m`,
		`INSERT INTO loan_current SELECT loan_id, no, due_on, principal, interest FROM loan_installments`,
	}
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		for _, s := range stmts {
			if _, err := tx.ExecContext(ctx, s, n); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		tb.Fatal(err)
	}
}

// heapPeak samples the live heap while a run goes, for the peak above the
// heap at its start.
type heapPeak struct {
	stop chan struct{}
	done sync.WaitGroup
	base uint64
	peak uint64
}

func startHeapPeak() *heapPeak {
	runtime.GC()
	h := &heapPeak{stop: make(chan struct{})}
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	h.base = sample[0].Value.Uint64()
	h.done.Go(func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			h.peak = max(h.peak, sample[0].Value.Uint64())
			select {
			case <-h.stop:
				return
			case <-tick.C:
			}
		}
	})
	return h
}

func (h *heapPeak) end() uint64 {
	close(h.stop)
	h.done.Wait()
	return h.peak - min(h.peak, h.base)
}

// benchPlan plans Tuesday 15 December 2026 for n loans: H-3, H-1, H, H+1
// and H+7 fall on 5 of the 28 due days, so about 5n/28 reminders are
// queued (a fifth of them overdue ones, which read the loan for the denda
// so far), plus the officers' summary, which streams every unpaid
// installment due by then. Each op starts from an empty outbox; rerun-ms is
// a second run of the same day, what every later run of the serve loop costs.
func benchPlan(b *testing.B, n int) {
	ctx := context.Background()
	db := openDB(b)
	seedLoans(b, db, n)
	p := newPlanner(b, db, clock.NewManual(at(time.December, 15, 9, 0)))
	var queued int
	var peak uint64
	var rerun time.Duration
	for b.Loop() {
		b.StopTimer()
		if _, err := db.W.ExecContext(ctx, `DELETE FROM outbox`); err != nil {
			b.Fatal(err)
		}
		h := startHeapPeak()
		b.StartTimer()
		res, err := p.Plan(ctx)
		b.StopTimer()
		peak = max(peak, h.end())
		if err != nil {
			b.Fatal(err)
		}
		queued = res.Queued
		// The serve loop runs again minutes later: everything is queued.
		began := time.Now()
		if again, err := p.Plan(ctx); err != nil || again.Queued != 0 {
			b.Fatalf("rerun queued %d, %v", again.Queued, err)
		}
		rerun = time.Since(began)
		b.StartTimer()
	}
	b.ReportMetric(float64(queued), "reminders/op")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(rerun.Milliseconds()), "rerun-ms")
}

func BenchmarkPlan10kLoans(b *testing.B)  { benchPlan(b, 10_000) }
func BenchmarkPlan100kLoans(b *testing.B) { benchPlan(b, 100_000) }
