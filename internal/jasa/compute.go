package jasa

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/period"
	"github.com/kopmem/kopbot/internal/store"
)

// Credit is one member's interest for a month.
type Credit struct {
	MemberID int64
	Number   string
	// Balance is what the interest was worked out on: the lowest or the
	// average end-of-day balance of the month, floored to the Rupiah.
	Balance decimal.Decimal
	// Amount is the interest, floored to the Rupiah: the cooperative never
	// pays above its rate.
	Amount decimal.Decimal
	// TxID is the ledger transaction that paid it, once posted.
	TxID int64
}

// sukarela is a member's sukarela account with the month's walk.
type sukarela struct {
	memberID, accountID int64
	number              string
	// raw is the account's cached balance, then the balance at the end of
	// the day before the month, in stored (credit negative) form.
	raw int64
	// days holds the month's movements by day of month, stored form,
	// without the month's own interest.
	days map[int]int64
}

// Compute works out month m's interest for every member who has not left,
// from the balance at the end of each day of the month: days before the
// account was opened hold nothing, so a month it did not exist for pays
// nothing. Members whose interest is under a Rupiah are left out. The
// month's own interest, once posted, is not counted in its balances, so
// Compute says the same before and after.
func Compute(ctx context.Context, q store.Queryer, s Settings, m period.Month) ([]Credit, error) {
	accts, err := accounts(ctx, q, m)
	if err != nil {
		return nil, fmt.Errorf("jasa simpanan %s: %w", monthLabel(m), err)
	}
	n := m.Last().Day()
	var out []Credit
	for _, a := range accts {
		// Savings are credits in the ledger: the member's balance is -raw.
		bal, lowest, sum := -a.raw, int64(0), int64(0)
		for d := 1; d <= n; d++ {
			bal -= a.days[d]
			if d == 1 || bal < lowest {
				lowest = bal
			}
			sum += bal
		}
		c := Credit{MemberID: a.memberID, Number: a.number}
		switch s.Basis {
		case Average:
			c.Balance = floorDiv(decimal.NewFromInt(sum), decimal.NewFromInt(int64(n)))
			c.Amount = floorDiv(decimal.NewFromInt(sum).Mul(s.Rate), decimal.NewFromInt(365))
		default:
			c.Balance = decimal.NewFromInt(lowest)
			c.Amount = floorDiv(c.Balance.Mul(s.Rate), decimal.NewFromInt(12))
		}
		if c.Amount.IsPositive() {
			out = append(out, c)
		}
	}
	return out, nil
}

// floorDiv is a / b floored to the Rupiah, exactly: a division rounded to
// some digits first could round 0,99… up to 1.
func floorDiv(a, b decimal.Decimal) decimal.Decimal {
	q, _ := a.QuoRem(b, 0)
	if a.Sign()*b.Sign() < 0 && !q.Mul(b).Equal(a) {
		q = q.Sub(decimal.NewFromInt(1))
	}
	return q
}

// accounts reads every sukarela account of a member who has not left, with
// its balance at the end of the day before m and its movements in m. The
// balance is the cached one less everything dated from m on, which reads
// the recent postings only, not the accounts' whole history.
func accounts(ctx context.Context, q store.Queryer, m period.Month) ([]*sukarela, error) {
	rows, err := q.QueryContext(ctx, `SELECT s.member_id, m.number, s.account_id, a.balance FROM savings_accounts s
		JOIN ledger_accounts a ON a.id = s.account_id JOIN members m ON m.id = s.member_id
		WHERE s.kind = 'sukarela' AND m.left_on IS NULL ORDER BY s.member_id`)
	if err != nil {
		return nil, err
	}
	var list []*sukarela
	byAccount := map[int64]*sukarela{}
	for rows.Next() {
		a := &sukarela{days: map[int]int64{}}
		if err := rows.Scan(&a.memberID, &a.number, &a.accountID, &a.raw); err != nil {
			rows.Close()
			return nil, err
		}
		list = append(list, a)
		byAccount[a.accountID] = a
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	first, last := m.First().Format(ledger.DateLayout), m.Last().Format(ledger.DateLayout)
	rows, err = q.QueryContext(ctx, `SELECT p.account_id, t.value_date, t.idem_key GLOB ? AS own, sum(p.amount)
		FROM ledger_transactions t JOIN ledger_postings p ON p.tx_id = t.id
		JOIN savings_accounts s ON s.account_id = p.account_id AND s.kind = 'sukarela'
		WHERE t.value_date >= ? GROUP BY p.account_id, t.value_date, own`, keyPrefix+monthLabel(m)+":*", first)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, raw int64
		var on string
		var own bool
		if err := rows.Scan(&id, &on, &own, &raw); err != nil {
			return nil, err
		}
		a, ok := byAccount[id]
		if !ok {
			continue // a member who left
		}
		a.raw -= raw
		if on <= last && !own {
			d, err := time.Parse(ledger.DateLayout, on)
			if err != nil {
				return nil, fmt.Errorf("value date %q: %w", on, err)
			}
			a.days[d.Day()] += raw
		}
	}
	return list, rows.Err()
}
