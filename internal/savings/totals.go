package savings

import (
	"context"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// DayTotal is one kind of savings' movements over a span of value dates.
type DayTotal struct {
	Kind        Kind
	Deposits    int
	Deposited   decimal.Decimal
	Withdrawals int
	Withdrawn   decimal.Decimal
	// Reversals counts the corrections dated in the span and Reversed is the
	// change they made, in natural sign: negative when a deposit was undone.
	Reversals int
	Reversed  decimal.Decimal
}

// DayTotals sums the savings movements with value dates from from's date up
// to, not including, to's date (each read in its own zone): one DayTotal per
// kind, in Kinds order. A day's report passes today and tomorrow.
func DayTotals(ctx context.Context, q store.Queryer, from, to time.Time) ([]DayTotal, error) {
	out := make([]DayTotal, len(Kinds))
	byKind := map[Kind]*DayTotal{}
	for i, k := range Kinds {
		out[i] = DayTotal{Kind: k, Deposited: decimal.Zero, Withdrawn: decimal.Zero, Reversed: decimal.Zero}
		byKind[k] = &out[i]
	}
	first, last := from.Format(ledger.DateLayout), to.Format(ledger.DateLayout)
	rows, err := q.QueryContext(ctx, `SELECT s.kind, t.kind, count(DISTINCT t.id), sum(p.amount)
		FROM ledger_transactions t JOIN ledger_postings p ON p.tx_id = t.id
		JOIN savings_accounts s ON s.account_id = p.account_id
		WHERE t.value_date >= ? AND t.value_date < ? GROUP BY s.kind, t.kind`, first, last)
	if err != nil {
		return nil, fmt.Errorf("savings totals %s–%s: %w", first, last, err)
	}
	defer rows.Close()
	for rows.Next() {
		var k Kind
		var txKind string
		var n int
		var raw int64
		if err := rows.Scan(&k, &txKind, &n, &raw); err != nil {
			return nil, fmt.Errorf("savings totals %s–%s: %w", first, last, err)
		}
		t, ok := byKind[k]
		if !ok {
			return nil, fmt.Errorf("savings totals: unknown kind %q", k)
		}
		// Savings are liabilities: stored as credits, read with the sign flipped.
		natural := ledger.Liability.Natural(raw)
		switch txKind {
		case KindWithdrawal:
			t.Withdrawals, t.Withdrawn = t.Withdrawals+n, t.Withdrawn.Sub(natural)
		case ledger.KindReversal:
			t.Reversals, t.Reversed = t.Reversals+n, t.Reversed.Add(natural)
		default:
			t.Deposits, t.Deposited = t.Deposits+n, t.Deposited.Add(natural)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("savings totals %s–%s: %w", first, last, err)
	}
	return out, nil
}
