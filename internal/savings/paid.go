package savings

import (
	"context"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/period"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// WajibLookback is how many months, the month asked included, whose wajib
// deposits can count toward it: a year, so a member may pay a whole year's
// wajib at once.
const WajibLookback = 12

// Simpanan wajib is tracked as months covered, not as deposits per calendar
// month. Walking the months in order, a month is covered when its own
// deposits and what earlier months carried reach the monthly amount; what is
// beyond it carries to the next month. A month left short keeps its
// partial payment and carries nothing: paying late is not paying ahead, and
// an old shortfall is not a debt the next deposit pays first.
//
// wajibMonthsSQL lists, by member and month (YYYY-MM), what members paid
// into simpanan wajib with value dates from ?2 up to, not including, ?3. A
// deposit later reversed counts for nothing whenever the reversal is dated:
// the member did not pay it.
const wajibMonthsSQL = `SELECT s.member_id, substr(t.value_date, 1, 7) AS month, -sum(p.amount) AS paid
	FROM savings_accounts s
	JOIN ledger_postings p ON p.account_id = s.account_id
	JOIN ledger_transactions t ON t.id = p.tx_id
	WHERE s.kind = 'wajib' AND t.kind = 'deposit' AND t.value_date >= ?2 AND t.value_date < ?3
		AND NOT EXISTS (SELECT 1 FROM ledger_transactions r WHERE r.reverses = t.id)`

// WajibCover is how a member's simpanan wajib stands for one month.
type WajibCover struct {
	MemberID int64
	Month    period.Month
	// Paid counts toward Month: its own deposits and what earlier months
	// carried. Short is what is missing, zero when covered.
	Paid  decimal.Decimal
	Short decimal.Decimal
	// Through is the last month covered in a row up to Month, or beyond it
	// when Month is covered and paid ahead; zero when the month before
	// Month is short too.
	Through period.Month
}

// Covered reports whether the month is paid.
func (c WajibCover) Covered() bool { return !c.Short.IsPositive() }

// cover walks the WajibLookback months up to month, paid holding each
// month's deposits.
func cover(memberID int64, month period.Month, amount decimal.Decimal, paid map[period.Month]decimal.Decimal) WajibCover {
	c := WajibCover{MemberID: memberID, Month: month}
	carry := decimal.Zero
	for m := month.Add(1 - WajibLookback); !month.Before(m); m = m.Add(1) {
		avail := carry.Add(paid[m])
		carry = decimal.Zero
		switch {
		case avail.GreaterThanOrEqual(amount):
			carry = avail.Sub(amount)
			c.Through = m
		case m != month:
			c.Through = period.Month{}
		}
		if m == month {
			c.Paid, c.Short = avail, decimal.Max(amount.Sub(avail), decimal.Zero)
		}
	}
	if c.Covered() && amount.IsPositive() {
		ahead := carry.Div(amount).IntPart()
		c.Through = month.Add(int(ahead))
	}
	return c
}

// span is the value dates cover reads for month: the lookback's first day
// up to, not including, the month after month.
func span(month period.Month) (string, string) {
	return month.Add(1 - WajibLookback).First().Format(ledger.DateLayout), month.Add(1).First().Format(ledger.DateLayout)
}

// WajibOf is how the member's simpanan wajib of amount a month stands for month.
func WajibOf(ctx context.Context, q store.Queryer, memberID int64, month period.Month, amount decimal.Decimal) (WajibCover, error) {
	first, last := span(month)
	rows, err := q.QueryContext(ctx, wajibMonthsSQL+` AND s.member_id = ?1 GROUP BY s.member_id, month`, memberID, first, last)
	if err != nil {
		return WajibCover{}, fmt.Errorf("wajib of member %d for %v: %w", memberID, month, err)
	}
	defer rows.Close()
	paid := map[period.Month]decimal.Decimal{}
	for rows.Next() {
		var id, raw int64
		var m string
		if err := rows.Scan(&id, &m, &raw); err != nil {
			return WajibCover{}, fmt.Errorf("wajib of member %d: %w", memberID, err)
		}
		pm, err := parseMonth(m)
		if err != nil {
			return WajibCover{}, fmt.Errorf("wajib of member %d: %w", memberID, err)
		}
		paid[pm] = money.FromRupiah(raw)
	}
	if err := rows.Err(); err != nil {
		return WajibCover{}, fmt.Errorf("wajib of member %d: %w", memberID, err)
	}
	return cover(memberID, month, amount, paid), nil
}

func parseMonth(s string) (period.Month, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return period.Month{}, fmt.Errorf("bad month %q: %w", s, err)
	}
	return period.Of(t), nil
}

// EachWajibShort calls fn, by member id, for each member who joined before
// month began and whose simpanan wajib of amount a month does not cover
// month. Rows stream, so the number of members never sits in memory; fn may
// read through q meanwhile. An error from fn stops the walk and is returned.
func EachWajibShort(ctx context.Context, q store.Queryer, month period.Month, amount decimal.Decimal,
	fn func(WajibCover) error) error {
	first, last := span(month)
	rows, err := q.QueryContext(ctx, `SELECT m.id, d.month, coalesce(d.paid, 0) FROM members m
		LEFT JOIN (`+wajibMonthsSQL+` GROUP BY s.member_id, month) d ON d.member_id = m.id
		WHERE m.joined_on < ?1 ORDER BY m.id, d.month`, month.First().Format(ledger.DateLayout), first, last)
	if err != nil {
		return fmt.Errorf("wajib short %v: %w", month, err)
	}
	defer rows.Close()
	var cur int64
	paid := map[period.Month]decimal.Decimal{}
	flush := func() error {
		if cur == 0 {
			return nil
		}
		c := cover(cur, month, amount, paid)
		clear(paid)
		if c.Covered() {
			return nil
		}
		if err := fn(c); err != nil {
			return fmt.Errorf("wajib of member %d: %w", c.MemberID, err)
		}
		return nil
	}
	for rows.Next() {
		var id, raw int64
		var m *string
		if err := rows.Scan(&id, &m, &raw); err != nil {
			return fmt.Errorf("wajib short %v: %w", month, err)
		}
		if id != cur {
			if err := flush(); err != nil {
				return err
			}
			cur = id
		}
		if m != nil {
			pm, err := parseMonth(*m)
			if err != nil {
				return fmt.Errorf("wajib of member %d: %w", id, err)
			}
			paid[pm] = money.FromRupiah(raw)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("wajib short %v: %w", month, err)
	}
	return flush()
}
