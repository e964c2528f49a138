package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// DateLayout is how value dates are stored.
const DateLayout = time.DateOnly

// Posting moves Amount on the account with code Account. Amount is raw:
// debit positive, credit negative, whole Rupiah.
type Posting struct {
	Account string
	Amount  decimal.Decimal
}

// Entry is a transaction to post. Key makes posting idempotent: the same
// entry posted twice is stored once.
type Entry struct {
	Key       string
	Kind      string // e.g. "deposit", "opening", "reversal"
	ValueDate time.Time
	Actor     string // who caused it: a member number, an officer id, "import"
	Memo      string
	Postings  []Posting
}

// Tx is a posted transaction. Replayed is true when Post found the same entry
// already posted under its key and changed nothing.
type Tx struct {
	ID        int64
	Key       string
	Kind      string
	ValueDate time.Time // the date, at midnight UTC
	Actor     string
	Memo      string
	Reverses  int64 // the transaction this one reverses, or 0
	Postings  []Posting
	Replayed  bool
}

// leg is a validated posting with its amount in stored form.
type leg struct {
	code   string
	amount int64
}

// Post validates e and records it: the transaction, its postings and (by
// trigger) the accounts' cached balances. Posting a key again with the same
// kind, value date and postings returns the stored Tx with Replayed set; with
// anything else it is ErrKeyConflict. Actor and memo are descriptive and are
// not compared, so a retry that words its memo differently still replays.
func Post(ctx context.Context, q store.Queryer, e Entry) (Tx, error) {
	tx, err := post(ctx, q, e, 0)
	if err != nil {
		return Tx{}, fmt.Errorf("post %s: %w", e.Key, err)
	}
	return tx, nil
}

func post(ctx context.Context, q store.Queryer, e Entry, reverses int64) (Tx, error) {
	legs, err := validate(e)
	if err != nil {
		return Tx{}, err
	}
	codes := accountCodes(legs)
	date := e.ValueDate.Format(DateLayout)
	var rev any
	if reverses != 0 {
		rev = reverses
	}
	// The hot path is two statements: each costs a parse on this driver, and
	// posting latency is what members wait for. So the transaction row is
	// inserted only when every account exists and the key is new; when it is
	// not inserted, the slow path below says why.
	args := append([]any{e.Key, e.Kind, date, e.Actor, e.Memo, rev}, codes...)
	args = append(args, len(codes))
	var id int64
	err = q.QueryRowContext(ctx, `INSERT INTO ledger_transactions (idem_key, kind, value_date, actor, memo, reverses)
		SELECT ?, ?, ?, ?, ?, ?
		WHERE (SELECT count(*) FROM ledger_accounts WHERE code IN (`+placeholders(len(codes))+`)) = ?
		ON CONFLICT (idem_key) DO NOTHING RETURNING id`, args...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		if err := requireAccounts(ctx, q, codes); err != nil {
			return Tx{}, err
		}
		return replay(ctx, q, e.Key, e.Kind, date, reverses, legs)
	}
	if err != nil {
		return Tx{}, fmt.Errorf("insert transaction: %w", err)
	}
	if err := insertPostings(ctx, q, id, legs); err != nil {
		return Tx{}, err
	}
	return Tx{ID: id, Key: e.Key, Kind: e.Kind, ValueDate: midnight(e.ValueDate), Actor: e.Actor, Memo: e.Memo,
		Reverses: reverses, Postings: postings(legs)}, nil
}

func validate(e Entry) ([]leg, error) {
	for _, f := range []struct{ name, value string }{{"key", e.Key}, {"kind", e.Kind}, {"actor", e.Actor}} {
		if f.value == "" {
			return nil, fmt.Errorf("%s: %w", f.name, ErrMissing)
		}
	}
	if e.ValueDate.IsZero() {
		return nil, fmt.Errorf("value date: %w", ErrMissing)
	}
	if len(e.Postings) < 2 {
		return nil, fmt.Errorf("%d postings: %w", len(e.Postings), ErrTooFewPostings)
	}
	legs := make([]leg, len(e.Postings))
	sum := decimal.Zero
	for i, p := range e.Postings {
		if p.Amount.IsZero() {
			return nil, fmt.Errorf("posting %d to %s: %w", i+1, p.Account, ErrZeroAmount)
		}
		n, err := money.ToRupiah(p.Amount)
		if err != nil {
			return nil, fmt.Errorf("posting %d to %s: %w", i+1, p.Account, err)
		}
		legs[i] = leg{code: p.Account, amount: n}
		// A decimal sum cannot overflow, however many postings there are.
		sum = sum.Add(p.Amount)
	}
	if !sum.IsZero() {
		return nil, fmt.Errorf("postings sum to %s: %w", sum, ErrUnbalanced)
	}
	return legs, nil
}

// accountCodes lists the distinct accounts legs post to.
func accountCodes(legs []leg) []any {
	seen := make(map[string]bool, len(legs))
	var codes []any
	for _, l := range legs {
		if !seen[l.code] {
			seen[l.code] = true
			codes = append(codes, l.code)
		}
	}
	return codes
}

// requireAccounts returns ErrUnknownAccount naming every code that is missing.
func requireAccounts(ctx context.Context, q store.Queryer, codes []any) error {
	rows, err := q.QueryContext(ctx, `SELECT code FROM ledger_accounts WHERE code IN (`+placeholders(len(codes))+`)`, codes...)
	if err != nil {
		return fmt.Errorf("find accounts: %w", err)
	}
	defer rows.Close()
	found := make(map[string]bool, len(codes))
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return fmt.Errorf("find accounts: %w", err)
		}
		found[code] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("find accounts: %w", err)
	}
	var missing []string
	for _, c := range codes {
		if !found[c.(string)] {
			missing = append(missing, fmt.Sprintf("%q", c))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s: %w", strings.Join(missing, ", "), ErrUnknownAccount)
	}
	return nil
}

// insertPostings writes all legs in one statement, looking each account up
// by code; post has made sure they all exist.
func insertPostings(ctx context.Context, q store.Queryer, txID int64, legs []leg) error {
	args := make([]any, 0, 3*len(legs))
	for _, l := range legs {
		args = append(args, txID, l.code, l.amount)
	}
	values := strings.Repeat("(?, (SELECT id FROM ledger_accounts WHERE code = ?), ?), ", len(legs))
	if _, err := q.ExecContext(ctx, `INSERT INTO ledger_postings (tx_id, account_id, amount) VALUES `+
		strings.TrimSuffix(values, ", "), args...); err != nil {
		return fmt.Errorf("insert postings: %w", err)
	}
	return nil
}

// replay answers a key that is already posted: the stored Tx when the entry
// is the same, ErrKeyConflict when it is not.
func replay(ctx context.Context, q store.Queryer, key, kind, date string, reverses int64, legs []leg) (Tx, error) {
	tx, err := TxByKey(ctx, q, key)
	if err != nil {
		return Tx{}, err
	}
	if tx.Kind != kind || tx.ValueDate.Format(DateLayout) != date || tx.Reverses != reverses || !sameLegs(tx.Postings, legs) {
		return Tx{}, fmt.Errorf("transaction %d: %w", tx.ID, ErrKeyConflict)
	}
	tx.Replayed = true
	return tx, nil
}

// sameLegs compares postings as a multiset: the order an entry lists its
// postings in carries no meaning.
func sameLegs(stored []Posting, legs []leg) bool {
	if len(stored) != len(legs) {
		return false
	}
	type key struct {
		code   string
		amount int64
	}
	count := make(map[key]int, len(legs))
	for _, l := range legs {
		count[key{l.code, l.amount}]++
	}
	for _, p := range stored {
		k := key{p.Account, p.Amount.IntPart()}
		if count[k] == 0 {
			return false
		}
		count[k]--
	}
	return true
}

func postings(legs []leg) []Posting {
	ps := make([]Posting, len(legs))
	for i, l := range legs {
		ps[i] = Posting{Account: l.code, Amount: money.FromRupiah(l.amount)}
	}
	return ps
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// midnight keeps only t's calendar date, as it is stored.
func midnight(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
