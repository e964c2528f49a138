package jasa

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/books"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/period"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/store"
)

// chunk is how many members one write transaction pays: the writer is held
// for a moment, not for the whole cooperative, and an interrupted run
// resumes where it stopped (each member's key is posted once).
const chunk = 500

// Result is a month's run.
type Result struct {
	Month    period.Month
	Settings Settings
	// ValueDate is the month's last day, or, when the books had closed
	// the month before it was paid, the first day of the first open month
	// (the books' rule for what belongs to a closed month).
	ValueDate time.Time
	Closed    bool
	// Credits are the members paid, this run or an earlier one.
	Credits []Credit
	Total   decimal.Decimal
	// New counts the credits this run posted.
	New int
}

// Run pays month m's interest to every member it is due to, once: a member
// paid by an earlier run is not paid again, whatever their balance says
// now. The month must have ended before today; a zero rate pays nothing.
// A complete run is recorded, so Done tells the daily job it may rest.
func Run(ctx context.Context, db *store.DB, c books.Chart, s Settings, m period.Month, today time.Time, actor string, now time.Time) (Result, error) {
	r := Result{Month: m, Settings: s, Total: decimal.Zero}
	if !Ended(m, today) {
		return r, fmt.Errorf("jasa simpanan %s: %w", monthLabel(m), ErrNotEnded)
	}
	if s.Rate.IsZero() {
		return r, nil
	}
	var credits []Credit
	err := db.Read(ctx, func(tx *sql.Tx) error {
		var err error
		if credits, err = Compute(ctx, tx, s, m); err != nil {
			return err
		}
		r.ValueDate, r.Closed, err = valueDate(ctx, tx, m)
		return err
	})
	if err != nil {
		return r, err
	}
	for i := 0; i < len(credits); i += chunk {
		part := credits[i:min(i+chunk, len(credits))]
		var paid []Credit
		var n int
		if err := db.Write(ctx, func(tx *sql.Tx) error {
			var err error
			paid, n, err = post(ctx, tx, c, r, part, actor)
			return err
		}); err != nil {
			return r, fmt.Errorf("jasa simpanan %s: %w", monthLabel(m), err)
		}
		r.Credits, r.New = append(r.Credits, paid...), r.New+n
	}
	for _, cr := range r.Credits {
		r.Total = r.Total.Add(cr.Amount)
	}
	total, err := money.ToRupiah(r.Total)
	if err != nil {
		return r, err
	}
	err = db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO jasa_runs (month, rate, basis, members, total, run_by, run_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (month) DO NOTHING`,
			monthLabel(m), s.Rate.String(), string(s.Basis), len(r.Credits), total, actor, store.Stamp(now))
		return err
	})
	if err != nil {
		return r, fmt.Errorf("jasa simpanan %s: record the run: %w", monthLabel(m), err)
	}
	return r, nil
}

// Ended reports whether month m is over on today's calendar date.
func Ended(m period.Month, today time.Time) bool { return m.Last().Before(dateOf(today)) }

// Done reports whether month m has had a complete run.
func Done(ctx context.Context, q store.Queryer, m period.Month) (bool, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM jasa_runs WHERE month = ?`, monthLabel(m)).Scan(&n); err != nil {
		return false, fmt.Errorf("jasa simpanan %s: %w", monthLabel(m), err)
	}
	return n > 0, nil
}

// valueDate is the day month m's interest is dated: its last day, or the
// first open day when the books closed it already.
func valueDate(ctx context.Context, q store.Queryer, m period.Month) (time.Time, bool, error) {
	through, err := books.ClosedThrough(ctx, q)
	if err != nil {
		return time.Time{}, false, err
	}
	if through.IsZero() || period.Of(through).Before(m) {
		return m.Last(), false, nil
	}
	return period.Of(through).Add(1).First(), true, nil
}

// post pays each credit in r's month, skipping a member who left since it
// was worked out, and returns the credits paid with how many were new. A
// member paid before keeps what they were paid: the posted amount, not the
// one worked out now.
func post(ctx context.Context, q store.Queryer, c books.Chart, r Result, credits []Credit, actor string) ([]Credit, int, error) {
	expense, _ := c.Account(c.Code(books.RoleSavingsInterest))
	if _, err := ledger.EnsureAccount(ctx, q, expense.Code, expense.Name, expense.Type); err != nil {
		return nil, 0, err
	}
	var out []Credit
	n := 0
	for _, cr := range credits {
		key := Key(r.Month, cr.MemberID)
		switch tx, err := ledger.TxByKey(ctx, q, key); {
		case err == nil:
			cr.TxID, cr.Amount = tx.ID, tx.Postings[0].Amount.Abs()
			out = append(out, cr)
			continue
		case !errors.Is(err, ledger.ErrNotFound):
			return nil, 0, err
		}
		m, err := member.ByID(ctx, q, cr.MemberID)
		if err != nil {
			return nil, 0, err
		}
		if m.Left() {
			continue
		}
		to, err := savings.AccountCode(ctx, q, cr.MemberID, savings.Sukarela)
		if err != nil {
			return nil, 0, err
		}
		tx, err := ledger.Post(ctx, q, ledger.Entry{Key: key, Kind: KindInterest, ValueDate: r.ValueDate, Actor: actor,
			Memo: memo(r, cr), Postings: []ledger.Posting{
				{Account: expense.Code, Amount: cr.Amount},
				{Account: to, Amount: cr.Amount.Neg()},
			}})
		if err != nil {
			// A month the books closed after Run dated it: the next run
			// dates it in the open month (books.IsClosed tells the caller).
			return nil, 0, err
		}
		cr.TxID = tx.ID
		out = append(out, cr)
		n++
	}
	return out, n, nil
}

// memo says how the amount was worked out, for the treasurer and the
// auditor reading the ledger.
func memo(r Result, cr Credit) string {
	basis := "saldo terendah"
	if r.Settings.Basis == Average {
		basis = "saldo rata-rata harian"
	}
	s := fmt.Sprintf("Jasa simpanan sukarela %s: %s %s, %s/tahun", monthLabel(r.Month), basis,
		money.Format(cr.Balance, "id"), money.Percent(r.Settings.Rate, "id"))
	if r.Closed {
		s += fmt.Sprintf("; buku %s sudah ditutup, dibukukan %s", monthLabel(r.Month), r.ValueDate.Format("02/01/2006"))
	}
	return s
}

func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
