package jasa

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/period"
	"github.com/kopmem/kopbot/internal/store"
)

// Paid is a month's jasa simpanan credited to a member.
type Paid struct {
	Month  period.Month
	Amount decimal.Decimal
}

// Last is the latest month's jasa simpanan credited to the member and not
// reversed; ok is false when none was.
func Last(ctx context.Context, q store.Queryer, memberID int64) (Paid, bool, error) {
	var key string
	var raw int64
	err := q.QueryRowContext(ctx, `SELECT t.idem_key, p.amount FROM savings_accounts s
		JOIN ledger_postings p ON p.account_id = s.account_id JOIN ledger_transactions t ON t.id = p.tx_id
		WHERE s.member_id = ? AND s.kind = 'sukarela' AND t.kind = ?
			AND NOT EXISTS (SELECT 1 FROM ledger_transactions r WHERE r.reverses = t.id)
		ORDER BY t.idem_key DESC LIMIT 1`, memberID, KindInterest).Scan(&key, &raw)
	if errors.Is(err, sql.ErrNoRows) {
		return Paid{}, false, nil
	}
	if err != nil {
		return Paid{}, false, fmt.Errorf("jasa simpanan of member %d: %w", memberID, err)
	}
	m, ok := MonthOf(key)
	if !ok {
		return Paid{}, false, fmt.Errorf("jasa simpanan of member %d: key %q names no month", memberID, key)
	}
	// The member's sukarela is credited: a negative posting.
	return Paid{Month: m, Amount: decimal.NewFromInt(-raw)}, true, nil
}
