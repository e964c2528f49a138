package books

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/store"
)

// Which ledger accounts a position reads: every type, or only those a
// laba rugi is made of.
var (
	allTypes    []ledger.AccountType
	profitTypes = []ledger.AccountType{ledger.Income, ledger.Expense}
)

// typeFilter restricts col to types; nil restricts nothing. The types are
// the ledger's constants, never input.
func typeFilter(col string, types []ledger.AccountType) string {
	if len(types) == 0 {
		return ""
	}
	quoted := make([]string, len(types))
	for i, t := range types {
		quoted[i] = "'" + string(t) + "'"
	}
	return " AND " + col + " IN (" + strings.Join(quoted, ", ") + ")"
}

// endedBy is the first day of the latest month whose last day is on or
// before date.
func endedBy(date time.Time) time.Time {
	next := date.AddDate(0, 0, 1)
	return time.Date(next.Year(), next.Month()-1, 1, 0, 0, 0, 0, time.UTC)
}

// lastDay is the last day of month.
func lastDay(month time.Time) time.Time {
	return time.Date(month.Year(), month.Month()+1, 0, 0, 0, 0, 0, time.UTC)
}

// storedThrough returns the latest month stored under c on or before
// month (found), and whether any month is stored under c (any).
func storedThrough(ctx context.Context, q store.Queryer, c Chart, month time.Time) (m time.Time, found, any bool, err error) {
	var latest sql.NullString
	err = q.QueryRowContext(ctx, `SELECT (SELECT month FROM books_month_ends WHERE month <= ? AND chart = ?
		ORDER BY month DESC LIMIT 1), EXISTS (SELECT 1 FROM books_month_ends WHERE chart = ?)`,
		month.Format(MonthLayout), c.key, c.key).Scan(&latest, &any)
	if err != nil || !latest.Valid {
		return time.Time{}, false, any, err
	}
	m, err = time.Parse(MonthLayout, latest.String)
	return m, err == nil, any, err
}

// loadMonthEnd reads the stored position at the end of month.
func (c Chart) loadMonthEnd(ctx context.Context, q store.Queryer, month time.Time, types []ledger.AccountType) (position, error) {
	rows, err := q.QueryContext(ctx, `SELECT m.line, m.type, m.raw, m.closing, coalesce(a.name, m.line)
		FROM books_month_ends m LEFT JOIN ledger_accounts a ON a.code = m.line
		WHERE m.month = ? AND m.chart = ?`+typeFilter("m.type", types), month.Format(MonthLayout), c.key)
	if err != nil {
		return position{}, fmt.Errorf("month end %s: %w", month.Format(MonthLayout), err)
	}
	defer rows.Close()
	p := newPosition()
	for rows.Next() {
		var k lineKey
		var s sums
		var name string
		if err := rows.Scan(&k.line, &k.typ, &s.raw, &s.closing, &name); err != nil {
			return position{}, fmt.Errorf("month end %s: %w", month.Format(MonthLayout), err)
		}
		p.lines[k] = s
		if _, placed := c.Account(k.line); !placed {
			p.names[k.line] = name
		}
	}
	return p, rows.Err()
}

// addPostings adds to p the postings of the transactions where says
// (over t, the transaction) with args.
func (c Chart) addPostings(ctx context.Context, q store.Queryer, p position, types []ledger.AccountType, where string, args ...any) error {
	rows, err := q.QueryContext(ctx, `SELECT a.code, a.name, a.type, sum(p.amount), sum(CASE WHEN t.kind = ? THEN p.amount ELSE 0 END)
		FROM ledger_transactions t CROSS JOIN ledger_postings p ON p.tx_id = t.id
		JOIN ledger_accounts a ON a.id = p.account_id
		WHERE `+where+typeFilter("a.type", types)+` GROUP BY p.account_id`, append([]any{KindYearClose}, args...)...)
	if err != nil {
		return fmt.Errorf("postings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code, name string
		var typ ledger.AccountType
		var s sums
		if err := rows.Scan(&code, &name, &typ, &s.raw, &s.closing); err != nil {
			return fmt.Errorf("postings: %w", err)
		}
		c.add(p, code, name, typ, s)
	}
	return rows.Err()
}

// positionAt is the position at the end of date: the latest month end
// stored on or before it plus the postings since. ok is false when no month
// is stored under c; when some are but none that early, date lies before
// the end of the ledger's first month, and the position is its postings.
func positionAt(ctx context.Context, q store.Queryer, c Chart, date time.Time, types []ledger.AccountType) (position, bool, error) {
	m, found, any, err := storedThrough(ctx, q, c, endedBy(date))
	if err != nil || !any {
		return position{}, false, err
	}
	p, after := newPosition(), ""
	if found {
		if p, err = c.loadMonthEnd(ctx, q, m, types); err != nil {
			return position{}, false, err
		}
		after = lastDay(m).Format(ledger.DateLayout)
	}
	if err := c.addPostings(ctx, q, p, types, `t.value_date > ? AND t.value_date <= ?`, after,
		date.Format(ledger.DateLayout)); err != nil {
		return position{}, false, err
	}
	return p, true, nil
}

// flowsFromMonthEnds is Flows as the difference of the positions at to and
// the day before from; ok is false when no month end is stored.
func flowsFromMonthEnds(ctx context.Context, q store.Queryer, c Chart, from, to time.Time) (Balances, bool, error) {
	end, ok, err := positionAt(ctx, q, c, to, profitTypes)
	if err != nil || !ok {
		return Balances{}, false, err
	}
	start, ok, err := positionAt(ctx, q, c, from.AddDate(0, 0, -1), profitTypes)
	if err != nil || !ok {
		return Balances{}, false, err
	}
	for k, s := range start.lines {
		e := end.lines[k]
		end.lines[k] = sums{raw: e.raw - s.raw, closing: e.closing - s.closing}
	}
	maps.Copy(end.names, start.names)
	b := c.balances(end, func(s sums) int64 { return s.raw - s.closing })
	b.Date = to
	return b, true, nil
}

// StoreMonthEnds stores, under c, the position at the end of each month
// that ended before today and is not stored yet, oldest first from the
// month of the ledger's first value date, at most limit months, in q's
// transaction. It returns the months it stored. A transaction dated later
// inside a stored month drops it again (a trigger), so what is stored is
// never stale. Serve does the same with NextMonthEnd and Store, so the
// writer is held only for the writing.
func StoreMonthEnds(ctx context.Context, q store.Queryer, c Chart, today time.Time, limit int) ([]time.Time, error) {
	var stored []time.Time
	for len(stored) < limit {
		m, ok, err := NextMonthEnd(ctx, q, c, today)
		if err != nil || !ok {
			return stored, err
		}
		if ok, err = m.Store(ctx, q, today); err != nil || !ok {
			return stored, err
		}
		stored = append(stored, m.Month)
	}
	return stored, nil
}

// MonthEnd is a month's position computed in a read, for Store to write.
type MonthEnd struct {
	Month time.Time
	chart Chart
	// seen is the last transaction the read saw: anything posted later is
	// added when the month is stored.
	seen int64
	p    position
}

// NextMonthEnd computes, without the writer, the position at the end of
// the oldest month due under c (see StoreMonthEnds); ok is false when none
// is due. Computing it reads a month of postings (all of them before the
// first month is stored): at 100,000 members seconds that members' answers
// would otherwise wait for.
func NextMonthEnd(ctx context.Context, q store.Queryer, c Chart, today time.Time) (MonthEnd, bool, error) {
	next, last, err := dueMonths(ctx, q, c, today)
	if err != nil || next.After(last) {
		return MonthEnd{}, false, err
	}
	m := MonthEnd{Month: next, chart: c}
	if err := q.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM ledger_transactions`).Scan(&m.seen); err != nil {
		return MonthEnd{}, false, fmt.Errorf("month end %s: %w", next.Format(MonthLayout), err)
	}
	end := lastDay(next)
	p, ok, err := positionAt(ctx, q, c, end, allTypes)
	if err == nil && !ok {
		p = newPosition()
		err = c.addPostings(ctx, q, p, allTypes, `t.value_date <= ?`, end.Format(ledger.DateLayout))
	}
	if err != nil {
		return MonthEnd{}, false, fmt.Errorf("month end %s: %w", next.Format(MonthLayout), err)
	}
	m.p = p
	return m, true, nil
}

// Store writes the month end, with what was posted into it since it was
// computed, every chart line included so a stored month always has rows.
// It stores nothing and returns false when the month is no longer the next
// due (stored meanwhile, or an earlier one dropped by a backdated
// transaction): compute it again. Transaction ids only grow (the ledger
// deletes nothing), so "posted since" is every id after the last one seen;
// one dated before the month the read started from is among them too, which
// keeps the sum right even when that month was dropped and stored again.
func (m MonthEnd) Store(ctx context.Context, q store.Queryer, today time.Time) (bool, error) {
	label := m.Month.Format(MonthLayout)
	next, _, err := dueMonths(ctx, q, m.chart, today)
	if err != nil || !next.Equal(m.Month) {
		return false, err
	}
	// A copy: a write that fails leaves m as computed, to store again.
	p := position{lines: maps.Clone(m.p.lines), names: maps.Clone(m.p.names)}
	if err := m.chart.addPostings(ctx, q, p, allTypes, `t.id > ? AND t.value_date <= ?`, m.seen,
		lastDay(m.Month).Format(ledger.DateLayout)); err != nil {
		return false, fmt.Errorf("month end %s: %w", label, err)
	}
	for _, a := range m.chart.Accounts {
		k := lineKey{a.Code, a.Type}
		p.lines[k] = p.lines[k]
	}
	for k, s := range p.lines {
		if _, err := q.ExecContext(ctx, `INSERT INTO books_month_ends (month, chart, line, type, raw, closing)
			VALUES (?, ?, ?, ?, ?, ?)`, label, m.chart.key, k.line, string(k.typ), s.raw, s.closing); err != nil {
			return false, fmt.Errorf("month end %s: %w", label, err)
		}
	}
	return true, nil
}

// dueMonths is the first month to store and the last that has ended
// before today; none is due when next is after last.
func dueMonths(ctx context.Context, q store.Queryer, c Chart, today time.Time) (next, last time.Time, err error) {
	var first sql.NullString
	if err := q.QueryRowContext(ctx, `SELECT min(value_date) FROM ledger_transactions`).Scan(&first); err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("month ends: %w", err)
	}
	last = endedBy(time.Date(today.Year(), today.Month(), today.Day()-1, 0, 0, 0, 0, time.UTC))
	if !first.Valid {
		return last.AddDate(0, 1, 0), last, nil
	}
	if next, err = time.Parse(ledger.DateLayout, first.String); err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("month ends: first value date %q: %w", first.String, err)
	}
	next = time.Date(next.Year(), next.Month(), 1, 0, 0, 0, 0, time.UTC)
	through, found, _, err := storedThrough(ctx, q, c, last)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("month ends: %w", err)
	}
	if found && !through.Before(next) {
		next = through.AddDate(0, 1, 0)
	}
	return next, last, nil
}
