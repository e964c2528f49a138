package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// Balance returns the account's balance in natural sign.
func Balance(ctx context.Context, q store.Queryer, code string) (decimal.Decimal, error) {
	a, err := AccountByCode(ctx, q, code)
	if err != nil {
		return decimal.Zero, fmt.Errorf("balance: %w", err)
	}
	return a.Balance, nil
}

// BalanceOn returns the account's balance in natural sign at the end of
// the value date day: what it held that day, whatever was entered later
// with earlier dates or is dated after it.
func BalanceOn(ctx context.Context, q store.Queryer, code string, day time.Time) (decimal.Decimal, error) {
	var t AccountType
	var raw int64
	err := q.QueryRowContext(ctx, `SELECT a.type, coalesce((SELECT sum(p.amount) FROM ledger_postings p
		JOIN ledger_transactions x ON x.id = p.tx_id WHERE p.account_id = a.id AND x.value_date <= ?), 0)
		FROM ledger_accounts a WHERE a.code = ?`, day.Format(DateLayout), code).Scan(&t, &raw)
	if errors.Is(err, sql.ErrNoRows) {
		err = fmt.Errorf("%s: %w", code, ErrUnknownAccount)
	}
	if err != nil {
		return decimal.Zero, fmt.Errorf("balance of %s on %s: %w", code, day.Format(DateLayout), err)
	}
	return t.Natural(raw), nil
}

// Balances returns the natural-sign balances of the given accounts, read in
// one query so they come from one snapshot. Any unknown code fails the call.
func Balances(ctx context.Context, q store.Queryer, codes ...string) (map[string]decimal.Decimal, error) {
	out := make(map[string]decimal.Decimal, len(codes))
	if len(codes) == 0 {
		return out, nil
	}
	args := make([]any, len(codes))
	for i, c := range codes {
		args[i] = c
	}
	rows, err := q.QueryContext(ctx, `SELECT code, type, balance FROM ledger_accounts WHERE code IN (`+
		placeholders(len(codes))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("balances: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var t AccountType
		var raw int64
		if err := rows.Scan(&code, &t, &raw); err != nil {
			return nil, fmt.Errorf("balances: %w", err)
		}
		out[code] = t.Natural(raw)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("balances: %w", err)
	}
	for _, c := range codes {
		if _, ok := out[c]; !ok {
			return nil, fmt.Errorf("balances: %s: %w", c, ErrUnknownAccount)
		}
	}
	return out, nil
}
