package ledger

import (
	"context"
	"fmt"
	"strings"

	"github.com/kopmem/kopbot/internal/store"
)

// Report is what Check found: counts for the record and one readable
// sentence per broken invariant.
type Report struct {
	Accounts     int
	Transactions int
	Postings     int
	Problems     []string
}

// OK reports whether the ledger is whole.
func (r Report) OK() bool { return len(r.Problems) == 0 }

func (r Report) String() string {
	head := fmt.Sprintf("%d accounts, %d transactions, %d postings", r.Accounts, r.Transactions, r.Postings)
	if r.OK() {
		return head + ": OK"
	}
	return head + fmt.Sprintf(": %d problems\n", len(r.Problems)) + strings.Join(r.Problems, "\n")
}

// invariant is one query whose every row is a problem, and how to say it.
type invariant struct {
	query string
	say   func(scan func(...any) error) (string, error)
}

var invariants = []invariant{
	{
		query: `SELECT a.code, a.balance, coalesce(sum(p.amount), 0) AS s FROM ledger_accounts a
			LEFT JOIN ledger_postings p ON p.account_id = a.id GROUP BY a.id HAVING a.balance <> s ORDER BY a.code`,
		say: func(scan func(...any) error) (string, error) {
			var code string
			var cached, sum int64
			err := scan(&code, &cached, &sum)
			return fmt.Sprintf("account %s: cached balance %d but its postings sum to %d", code, cached, sum), err
		},
	},
	{
		query: `SELECT t.id, t.idem_key, count(p.id) AS n, coalesce(sum(p.amount), 0) AS s FROM ledger_transactions t
			LEFT JOIN ledger_postings p ON p.tx_id = t.id GROUP BY t.id HAVING n < 2 OR s <> 0 ORDER BY t.id`,
		say: func(scan func(...any) error) (string, error) {
			var id, n, sum int64
			var key string
			err := scan(&id, &key, &n, &sum)
			return fmt.Sprintf("transaction %d (%s): %d postings summing to %d", id, key, n, sum), err
		},
	},
	{
		query: `SELECT s FROM (SELECT coalesce(sum(amount), 0) AS s FROM ledger_postings) WHERE s <> 0`,
		say: func(scan func(...any) error) (string, error) {
			var sum int64
			err := scan(&sum)
			return fmt.Sprintf("the ledger's postings sum to %d, not 0", sum), err
		},
	},
	{
		query: `SELECT s FROM (SELECT coalesce(sum(balance), 0) AS s FROM ledger_accounts) WHERE s <> 0`,
		say: func(scan func(...any) error) (string, error) {
			var sum int64
			err := scan(&sum)
			return fmt.Sprintf("the accounts' cached balances sum to %d, not 0", sum), err
		},
	},
	{
		// A reversal must mirror its original leg for leg: count each
		// (account, amount) of the reversal against the negated original.
		query: `WITH pairs AS (SELECT id AS rid, reverses AS oid FROM ledger_transactions WHERE reverses IS NOT NULL),
			legs AS (
				SELECT rid, oid, p.account_id, p.amount AS amount, 1 AS side FROM pairs JOIN ledger_postings p ON p.tx_id = rid
				UNION ALL
				SELECT rid, oid, p.account_id, -p.amount, -1 FROM pairs JOIN ledger_postings p ON p.tx_id = oid)
			SELECT DISTINCT rid, oid FROM (SELECT rid, oid FROM legs GROUP BY rid, account_id, amount HAVING sum(side) <> 0)
			ORDER BY rid`,
		say: func(scan func(...any) error) (string, error) {
			var rid, oid int64
			err := scan(&rid, &oid)
			return fmt.Sprintf("transaction %d does not exactly negate transaction %d it reverses", rid, oid), err
		},
	},
	{
		query: `SELECT r.id, r.reverses FROM ledger_transactions r JOIN ledger_transactions o ON o.id = r.reverses
			WHERE o.reverses IS NOT NULL ORDER BY r.id`,
		say: func(scan func(...any) error) (string, error) {
			var rid, oid int64
			err := scan(&rid, &oid)
			return fmt.Sprintf("transaction %d reverses transaction %d, itself a reversal", rid, oid), err
		},
	},
}

// Check verifies the ledger's invariants: each account's cached balance is
// the sum of its postings, each transaction has two or more postings summing
// to zero, the whole ledger sums to zero, and each reversal exactly negates
// its original. It reads everything, so run it in one read transaction
// (db.Read) for a consistent answer.
func Check(ctx context.Context, q store.Queryer) (Report, error) {
	var r Report
	if err := q.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM ledger_accounts),
		(SELECT count(*) FROM ledger_transactions), (SELECT count(*) FROM ledger_postings)`).
		Scan(&r.Accounts, &r.Transactions, &r.Postings); err != nil {
		return Report{}, fmt.Errorf("check: %w", err)
	}
	for _, inv := range invariants {
		problems, err := findProblems(ctx, q, inv)
		if err != nil {
			return Report{}, fmt.Errorf("check: %w", err)
		}
		r.Problems = append(r.Problems, problems...)
	}
	return r, nil
}

func findProblems(ctx context.Context, q store.Queryer, inv invariant) ([]string, error) {
	rows, err := q.QueryContext(ctx, inv.query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		p, err := inv.say(rows.Scan)
		if err != nil {
			return nil, err
		}
		problems = append(problems, p)
	}
	return problems, rows.Err()
}
