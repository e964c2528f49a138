package books

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/store"
)

// MonthLayout is how a month is written in the books.
const MonthLayout = "2006-01"

// Closing is a month closed.
type Closing struct {
	Month time.Time
	// YearTx is the year-end entry that moved the year's result to SHU
	// tahun berjalan, for December; 0 when there was nothing to move.
	YearTx int64
	// Result is what moved, in natural sign (a surplus is positive).
	Result int64
}

// ClosedThrough returns the latest closed month, zero when none is.
func ClosedThrough(ctx context.Context, q store.Queryer) (time.Time, error) {
	var m sql.NullString
	if err := q.QueryRowContext(ctx, `SELECT max(month) FROM books_closings`).Scan(&m); err != nil {
		return time.Time{}, fmt.Errorf("closed through: %w", err)
	}
	if !m.Valid {
		return time.Time{}, nil
	}
	return time.Parse(MonthLayout, m.String)
}

// Close closes month (any day inside it) once it has ended before today:
// from then on no transaction may be dated inside it or before it. Months
// close in order; the first closing may be any ended month. Closing a
// December first moves the year's income and expenses to SHU tahun berjalan.
// Closing the same month again changes nothing.
func Close(ctx context.Context, q store.Queryer, c Chart, month, today time.Time, officer string, now time.Time) (Closing, error) {
	month = time.Date(month.Year(), month.Month(), 1, 0, 0, 0, 0, time.UTC)
	last := month.AddDate(0, 1, -1)
	label := month.Format(MonthLayout)
	through, err := ClosedThrough(ctx, q)
	if err != nil {
		return Closing{}, err
	}
	switch {
	case !through.IsZero() && !month.After(through):
		return closingOf(ctx, q, label)
	case !through.IsZero() && !month.Equal(through.AddDate(0, 1, 0)):
		return Closing{}, fmt.Errorf("close %s: next is %s: %w", label, through.AddDate(0, 1, 0).Format(MonthLayout), ErrNotNext)
	case !last.Before(time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)):
		return Closing{}, fmt.Errorf("close %s: it has not ended: %w", label, ErrNotNext)
	}
	cl := Closing{Month: month}
	if month.Month() == time.December {
		if cl, err = closeYear(ctx, q, c, last, officer); err != nil {
			return Closing{}, err
		}
		cl.Month = month
	}
	var txID any
	if cl.YearTx != 0 {
		txID = cl.YearTx
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO books_closings (month, closed_by, closed_at, tx_id) VALUES (?, ?, ?, ?)`,
		label, officer, store.Stamp(now), txID); err != nil {
		return Closing{}, fmt.Errorf("close %s: %w", label, err)
	}
	return cl, nil
}

func closingOf(ctx context.Context, q store.Queryer, label string) (Closing, error) {
	var tx sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT tx_id FROM books_closings WHERE month = ?`, label).Scan(&tx)
	if err == sql.ErrNoRows {
		// Closed implicitly, by the first closing of a later month.
		err = nil
	}
	if err != nil {
		return Closing{}, fmt.Errorf("closing %s: %w", label, err)
	}
	m, _ := time.Parse(MonthLayout, label)
	return Closing{Month: m, YearTx: tx.Int64}, nil
}

// closeYear zeroes every income and expense ledger account as of the
// year's last day against SHU tahun berjalan, in one entry.
func closeYear(ctx context.Context, q store.Queryer, c Chart, last time.Time, officer string) (Closing, error) {
	accts, err := accountsAt(ctx, q, `WHERE type IN ('income', 'expense')`, last)
	if err != nil {
		return Closing{}, err
	}
	shu := c.Code(RoleSHUCurrent)
	a, _ := c.Account(shu)
	if _, err := ledger.EnsureAccount(ctx, q, a.Code, a.Name, a.Type); err != nil {
		return Closing{}, fmt.Errorf("close year %d: %w", last.Year(), err)
	}
	var postings []ledger.Posting
	var sum int64
	for _, la := range sortedAccounts(byCode(accts)) {
		if la.raw == 0 {
			continue
		}
		sum += la.raw
		postings = append(postings, ledger.Posting{Account: la.code, Amount: money.FromRupiah(-la.raw)})
	}
	if sum != 0 {
		postings = append(postings, ledger.Posting{Account: shu, Amount: money.FromRupiah(sum)})
	}
	if len(postings) < 2 {
		return Closing{}, nil
	}
	tx, err := ledger.Post(ctx, q, ledger.Entry{Key: fmt.Sprintf("year-close:%d", last.Year()), Kind: KindYearClose,
		ValueDate: last, Actor: officer, Memo: fmt.Sprintf("Tutup buku %d: SHU ke SHU tahun berjalan", last.Year()),
		Postings: postings})
	if err != nil {
		return Closing{}, fmt.Errorf("close year %d: %w", last.Year(), closedErr(err))
	}
	return Closing{YearTx: tx.ID, Result: -sum}, nil
}

func byCode(accts map[int64]ledgerAccount) map[string]ledgerAccount {
	out := make(map[string]ledgerAccount, len(accts))
	for _, a := range accts {
		out[a.code] = a
	}
	return out
}
