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

// addPostings adds to p the postings dated after after ("" for all) up to
// and including through.
func (c Chart) addPostings(ctx context.Context, q store.Queryer, p position, after string, through time.Time, types []ledger.AccountType) error {
	rows, err := q.QueryContext(ctx, `SELECT a.code, a.name, a.type, sum(p.amount), sum(CASE WHEN t.kind = ? THEN p.amount ELSE 0 END)
		FROM ledger_transactions t CROSS JOIN ledger_postings p ON p.tx_id = t.id
		JOIN ledger_accounts a ON a.id = p.account_id
		WHERE t.value_date > ? AND t.value_date <= ?`+typeFilter("a.type", types)+` GROUP BY p.account_id`,
		KindYearClose, after, through.Format(ledger.DateLayout))
	if err != nil {
		return fmt.Errorf("postings after %s: %w", after, err)
	}
	defer rows.Close()
	for rows.Next() {
		var code, name string
		var typ ledger.AccountType
		var s sums
		if err := rows.Scan(&code, &name, &typ, &s.raw, &s.closing); err != nil {
			return fmt.Errorf("postings after %s: %w", after, err)
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
	if err := c.addPostings(ctx, q, p, after, date, types); err != nil {
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
// month of the ledger's first value date, at most limit months: each costs
// a month of postings, so a caller holding the writer stores a few at a
// time. It returns the months it stored. A transaction dated later inside a
// stored month drops it again (a trigger), so what is stored is never stale.
func StoreMonthEnds(ctx context.Context, q store.Queryer, c Chart, today time.Time, limit int) ([]time.Time, error) {
	next, last, err := dueMonths(ctx, q, c, today)
	if err != nil {
		return nil, err
	}
	var stored []time.Time
	for ; len(stored) < limit && !next.After(last); next = next.AddDate(0, 1, 0) {
		if err := c.storeMonthEnd(ctx, q, next); err != nil {
			return stored, err
		}
		stored = append(stored, next)
	}
	return stored, nil
}

// MonthEndsDue is how many months StoreMonthEnds would store, read
// without the writer.
func MonthEndsDue(ctx context.Context, q store.Queryer, c Chart, today time.Time) (int, error) {
	next, last, err := dueMonths(ctx, q, c, today)
	if err != nil || next.After(last) {
		return 0, err
	}
	return (last.Year()-next.Year())*12 + int(last.Month()-next.Month()) + 1, nil
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

// storeMonthEnd writes month's position, every chart line included so a
// stored month always has rows.
func (c Chart) storeMonthEnd(ctx context.Context, q store.Queryer, month time.Time) error {
	label := month.Format(MonthLayout)
	p, ok, err := positionAt(ctx, q, c, lastDay(month), allTypes)
	if err == nil && !ok {
		p = newPosition()
		err = c.addPostings(ctx, q, p, "", lastDay(month), allTypes)
	}
	if err != nil {
		return fmt.Errorf("month end %s: %w", label, err)
	}
	for _, a := range c.Accounts {
		k := lineKey{a.Code, a.Type}
		p.lines[k] = p.lines[k]
	}
	for k, s := range p.lines {
		if _, err := q.ExecContext(ctx, `INSERT INTO books_month_ends (month, chart, line, type, raw, closing)
			VALUES (?, ?, ?, ?, ?, ?)`, label, c.key, k.line, string(k.typ), s.raw, s.closing); err != nil {
			return fmt.Errorf("month end %s: %w", label, err)
		}
	}
	return nil
}
