package ledger

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// Line is one posting as an account holder reads it.
type Line struct {
	Account   string // account code
	TxID      int64
	Key       string
	Kind      string
	ValueDate time.Time
	Memo      string
	Amount    decimal.Decimal // natural sign: a deposit to savings is positive
	Running   decimal.Decimal // the account's natural-sign balance after this line
}

// Statement returns the last limit postings of the account, oldest first.
func Statement(ctx context.Context, q store.Queryer, code string, limit int) ([]Line, error) {
	lines, err := statement(ctx, q, []string{code}, limit)
	if err != nil {
		return nil, fmt.Errorf("statement %s: %w", code, err)
	}
	return lines, nil
}

// MergedStatement returns the last limit postings across several accounts
// (a member's savings, say), oldest first; each line's Running is the balance
// of its own account. Unlike Statement it sorts all postings of the accounts,
// so it suits accounts with modest histories.
func MergedStatement(ctx context.Context, q store.Queryer, codes []string, limit int) ([]Line, error) {
	lines, err := statement(ctx, q, codes, limit)
	if err != nil {
		return nil, fmt.Errorf("statement %v: %w", codes, err)
	}
	return lines, nil
}

// statement reads the newest postings together with their accounts' cached
// balances in one query, hence one snapshot, and walks back from the balance:
// the cost is the lines returned, not the account's history.
func statement(ctx context.Context, q store.Queryer, codes []string, limit int) ([]Line, error) {
	if limit <= 0 || len(codes) == 0 {
		return nil, nil
	}
	args := make([]any, 0, len(codes)+1)
	for _, c := range codes {
		args = append(args, c)
	}
	args = append(args, limit)
	// The newest postings are picked before joining their transactions,
	// so only the lines shown cost a transaction lookup.
	rows, err := q.QueryContext(ctx, `SELECT a.code, a.type, a.balance, p.tx_id, t.idem_key, t.kind, t.value_date, t.memo, p.amount
		FROM (SELECT id, account_id, tx_id, amount FROM ledger_postings
			WHERE account_id IN (SELECT id FROM ledger_accounts WHERE code IN (`+placeholders(len(codes))+`))
			ORDER BY id DESC LIMIT ?) p
		JOIN ledger_accounts a ON a.id = p.account_id
		JOIN ledger_transactions t ON t.id = p.tx_id
		ORDER BY p.id DESC`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	running := map[string]decimal.Decimal{}
	var lines []Line
	for rows.Next() {
		var l Line
		var t AccountType
		var balance, amount int64
		var date string
		if err := rows.Scan(&l.Account, &t, &balance, &l.TxID, &l.Key, &l.Kind, &date, &l.Memo, &amount); err != nil {
			return nil, err
		}
		if l.ValueDate, err = time.Parse(DateLayout, date); err != nil {
			return nil, fmt.Errorf("transaction %d: bad value date %q: %w", l.TxID, date, err)
		}
		after, seen := running[l.Account]
		if !seen {
			after = t.Natural(balance)
		}
		l.Amount = t.Natural(amount)
		l.Running = after
		running[l.Account] = after.Sub(l.Amount)
		lines = append(lines, l)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(running) < len(codes) {
		// Some account had no lines: tell an empty account from a missing one.
		if _, err := Balances(ctx, q, codes...); err != nil {
			return nil, err
		}
	}
	slices.Reverse(lines)
	return lines, nil
}
