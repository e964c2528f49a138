package ledger

import (
	"context"
	"database/sql"
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

// Period bounds a dated statement by value date, both ends included; a zero
// end leaves that side open.
type Period struct {
	From, To time.Time
}

// DatedStatement returns the last limit postings across accounts of one type
// (a member's savings, say) whose value dates fall in p, ordered as the
// holder reads them: by value date, then in the order they were entered. A
// line's Running is the accounts' combined balance after it in that order,
// so a late-entered deposit dated last month sits, and counts, in last month.
func DatedStatement(ctx context.Context, q store.Queryer, codes []string, p Period, limit int) ([]Line, error) {
	lines, err := datedStatement(ctx, q, codes, p, limit)
	if err != nil {
		return nil, fmt.Errorf("dated statement %v: %w", codes, err)
	}
	return lines, nil
}

func datedStatement(ctx context.Context, q store.Queryer, codes []string, p Period, limit int) ([]Line, error) {
	if limit <= 0 || len(codes) == 0 {
		return nil, nil
	}
	from, to := "0000-01-01", "9999-12-31"
	if !p.From.IsZero() {
		from = p.From.Format(DateLayout)
	}
	if !p.To.IsZero() {
		to = p.To.Format(DateLayout)
	}
	args := make([]any, 0, len(codes)+4)
	for _, c := range codes {
		args = append(args, c)
	}
	args = append(args, to, from, to, limit)
	// One statement, hence one snapshot: the closing balance and the lines
	// walked back from it cannot disagree.
	rows, err := q.QueryContext(ctx, `WITH acc AS (SELECT id, code, type FROM ledger_accounts WHERE code IN (`+placeholders(len(codes))+`)),
		closing AS (SELECT COALESCE(SUM(p.amount), 0) AS bal FROM ledger_postings p
			JOIN ledger_transactions t ON t.id = p.tx_id
			WHERE p.account_id IN (SELECT id FROM acc) AND t.value_date <= ?)
		SELECT a.code, a.type, (SELECT bal FROM closing), p.tx_id, t.idem_key, t.kind, t.value_date, t.memo, p.amount
		FROM ledger_postings p
		JOIN acc a ON a.id = p.account_id
		JOIN ledger_transactions t ON t.id = p.tx_id
		WHERE t.value_date BETWEEN ? AND ?
		ORDER BY t.value_date DESC, p.id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var lines []Line
	var after decimal.Decimal
	for rows.Next() {
		l, t, closing, amount, err := scanLine(rows)
		if err != nil {
			return nil, err
		}
		if lines == nil {
			after = t.Natural(closing)
		}
		l.Amount = t.Natural(amount)
		l.Running = after
		after = after.Sub(l.Amount)
		lines = append(lines, l)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(lines) == 0 {
		// Tell an empty period from a missing account.
		if _, err := Balances(ctx, q, codes...); err != nil {
			return nil, err
		}
	}
	slices.Reverse(lines)
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
		l, t, balance, amount, err := scanLine(rows)
		if err != nil {
			return nil, err
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

// scanLine reads a statement row: the line, its account's type, a balance
// to walk back from and the raw amount.
func scanLine(rows *sql.Rows) (l Line, t AccountType, balance, amount int64, err error) {
	var date string
	if err = rows.Scan(&l.Account, &t, &balance, &l.TxID, &l.Key, &l.Kind, &date, &l.Memo, &amount); err != nil {
		return
	}
	if l.ValueDate, err = time.Parse(DateLayout, date); err != nil {
		err = fmt.Errorf("transaction %d: bad value date %q: %w", l.TxID, date, err)
	}
	return
}
