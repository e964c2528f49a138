package savings

import (
	"context"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// wajibPaidSQL is the SQL sum of what the member whose id memberExpr gives
// deposited into simpanan wajib with value dates from ?2 up to, not
// including, ?3. A deposit later reversed counts for nothing whenever the
// reversal is dated: the member did not pay it.
func wajibPaidSQL(memberExpr string) string {
	return `coalesce((SELECT -sum(p.amount) FROM savings_accounts s
	JOIN ledger_postings p ON p.account_id = s.account_id
	JOIN ledger_transactions t ON t.id = p.tx_id
	WHERE s.member_id = ` + memberExpr + ` AND s.kind = 'wajib' AND t.kind = 'deposit'
		AND t.value_date >= ?2 AND t.value_date < ?3
		AND NOT EXISTS (SELECT 1 FROM ledger_transactions r WHERE r.reverses = t.id)), 0)`
}

// WajibPaid is what the member paid into simpanan wajib with value dates
// from from's date up to, not including, to's date: what the reminder
// planner asks before saying a month's wajib is still open.
func WajibPaid(ctx context.Context, q store.Queryer, memberID int64, from, to time.Time) (decimal.Decimal, error) {
	var paid int64
	first, last := from.Format(ledger.DateLayout), to.Format(ledger.DateLayout)
	if err := q.QueryRowContext(ctx, `SELECT `+wajibPaidSQL("?1"), memberID, first, last).Scan(&paid); err != nil {
		return decimal.Zero, fmt.Errorf("wajib paid by member %d %s–%s: %w", memberID, first, last, err)
	}
	return money.FromRupiah(paid), nil
}

// WajibShort is a member who paid less simpanan wajib than due in a span.
type WajibShort struct {
	MemberID int64
	Paid     decimal.Decimal
}

// EachWajibShort calls fn, by member id, for each member who joined before
// from's date and paid less than amount into simpanan wajib with value dates
// from from's date up to, not including, to's date. Rows stream, so the
// number of members never sits in memory; fn may read through q meanwhile.
// An error from fn stops the walk and is returned.
func EachWajibShort(ctx context.Context, q store.Queryer, from, to time.Time, amount decimal.Decimal,
	fn func(WajibShort) error) error {
	first, last := from.Format(ledger.DateLayout), to.Format(ledger.DateLayout)
	rows, err := q.QueryContext(ctx, `SELECT id, paid FROM (SELECT m.id, `+wajibPaidSQL("m.id")+
		` AS paid FROM members m WHERE m.joined_on < ?2) WHERE paid < ?1 ORDER BY id`, amount.IntPart(), first, last)
	if err != nil {
		return fmt.Errorf("wajib short %s–%s: %w", first, last, err)
	}
	defer rows.Close()
	for rows.Next() {
		var s WajibShort
		var paid int64
		if err := rows.Scan(&s.MemberID, &paid); err != nil {
			return fmt.Errorf("wajib short %s–%s: %w", first, last, err)
		}
		s.Paid = money.FromRupiah(paid)
		if err := fn(s); err != nil {
			return fmt.Errorf("wajib of member %d: %w", s.MemberID, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("wajib short %s–%s: %w", first, last, err)
	}
	return nil
}
