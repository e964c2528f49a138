package kolek

import (
	"context"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/store"
)

// Daily is the daily job's work for day, a day that is over, in one
// transaction: the book is judged at its end (Judge) and stored as that
// day's snapshot (StoreDay). A day already stored is left as it is, so the
// job may run as often as it likes.
func Daily(ctx context.Context, q store.Queryer, p Profile, day time.Time) (Portfolio, bool, error) {
	day = dateOf(day)
	if pf, ok, err := Snapshot(ctx, q, p, day); err != nil || ok {
		return pf, false, err
	}
	j, err := Judge(ctx, q, p, day)
	if err != nil {
		return Portfolio{}, false, err
	}
	return j.StoreDay(ctx, q)
}

// StoreDay stores j, the book judged at the end of a day that is over, in
// q's write transaction: each class change is recorded in the history
// (Record, which judges again the loans changed since j was read) and the
// day's classes and allowance are stored as its snapshot. A day stored
// meanwhile, by another run, is left as it is and stored is false.
func (j Judged) StoreDay(ctx context.Context, q store.Queryer) (Portfolio, bool, error) {
	p, day := j.Profile, dateOf(j.AsOf)
	if pf, ok, err := Snapshot(ctx, q, p, day); err != nil || ok {
		return pf, false, err
	}
	pf, err := j.Record(ctx, q)
	if err != nil {
		return Portfolio{}, false, err
	}
	on := day.Format(ledger.DateLayout)
	for i, b := range pf.Buckets {
		out, err := money.ToRupiah(b.Outstanding)
		if err != nil {
			return Portfolio{}, false, err
		}
		req, err := money.ToRupiah(b.Required)
		if err != nil {
			return Portfolio{}, false, err
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO kolek_daily (on_date, profile, class, position, loans, outstanding, required)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, on, p.Key, b.Class.Code, i, b.Count, out, req); err != nil {
			return Portfolio{}, false, fmt.Errorf("kolektibilitas %s: %w", on, err)
		}
	}
	return pf, true, nil
}

// Snapshot is the book of day as the daily job stored it, without the
// loans; ok is false when the job has not stored that day under p.
func Snapshot(ctx context.Context, q store.Queryer, p Profile, day time.Time) (Portfolio, bool, error) {
	on := dateOf(day).Format(ledger.DateLayout)
	rows, err := q.QueryContext(ctx, `SELECT class, loans, outstanding, required FROM kolek_daily
		WHERE on_date = ? AND profile = ? ORDER BY position`, on, p.Key)
	if err != nil {
		return Portfolio{}, false, fmt.Errorf("kolektibilitas snapshot %s: %w", on, err)
	}
	defer rows.Close()
	pf := empty(p, dateOf(day))
	n := 0
	for rows.Next() {
		var class string
		var count int
		var out, req int64
		if err := rows.Scan(&class, &count, &out, &req); err != nil {
			return Portfolio{}, false, fmt.Errorf("kolektibilitas snapshot %s: %w", on, err)
		}
		i := p.index(class)
		if i < 0 {
			// The profile's classes changed since: the stored day no
			// longer reads under it.
			return Portfolio{}, false, nil
		}
		b := &pf.Buckets[i]
		b.Count, b.Outstanding, b.Required = count, money.FromRupiah(out), money.FromRupiah(req)
		n++
	}
	if err := rows.Err(); err != nil || n == 0 {
		return Portfolio{}, false, err
	}
	for _, b := range pf.Buckets {
		pf.Outstanding = pf.Outstanding.Add(b.Outstanding)
	}
	pf.totals()
	return pf, true, nil
}

// At is the book at the end of day: the daily job's snapshot when it
// stored one, else judged now from the loans.
func At(ctx context.Context, q store.Queryer, p Profile, day time.Time) (Portfolio, error) {
	pf, ok, err := Snapshot(ctx, q, p, day)
	if err != nil || ok {
		return pf, err
	}
	return Assess(ctx, q, p, day)
}
