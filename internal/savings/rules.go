package savings

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/store"
)

var (
	// ErrPokokPaid is returned for a second simpanan pokok: it is paid once,
	// on joining.
	ErrPokokPaid = errors.New("simpanan pokok already paid")
	// ErrPokokAmount is returned for a simpanan pokok of another amount
	// than the cooperative's.
	ErrPokokAmount = errors.New("simpanan pokok has a fixed amount")
	// ErrWouldGoNegative is returned for a correction that would leave a
	// member's savings below zero: the money was withdrawn meanwhile, and
	// the books would show the cooperative owing a negative amount.
	ErrWouldGoNegative = errors.New("the correction would leave the savings negative")
)

// CheckPokok refuses a simpanan pokok deposit of amount for the member
// unless it is the cooperative's amount want and the member has no pokok
// yet (a reversed one counts as none).
func CheckPokok(ctx context.Context, q store.Queryer, memberID int64, amount, want decimal.Decimal) error {
	if !amount.Equal(want) {
		return fmt.Errorf("pokok %s, the cooperative's is %s: %w", amount, want, ErrPokokAmount)
	}
	var raw int64
	err := q.QueryRowContext(ctx, `SELECT a.balance FROM savings_accounts s JOIN ledger_accounts a ON a.id = s.account_id
		WHERE s.member_id = ? AND s.kind = ?`, memberID, string(Pokok)).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("pokok of member %d: %w", memberID, err)
	}
	if raw != 0 {
		return fmt.Errorf("member %d holds %d: %w", memberID, -raw, ErrPokokPaid)
	}
	return nil
}

// Owner finds whose savings, of which kind, a movement moved, and how much.
func Owner(ctx context.Context, q store.Queryer, tx ledger.Tx) (int64, Kind, decimal.Decimal, error) {
	for _, p := range tx.Postings {
		var memberID int64
		var kind string
		err := q.QueryRowContext(ctx, `SELECT s.member_id, s.kind FROM savings_accounts s
			JOIN ledger_accounts a ON a.id = s.account_id WHERE a.code = ?`, p.Account).Scan(&memberID, &kind)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return 0, "", decimal.Zero, fmt.Errorf("owner of transaction %d: %w", tx.ID, err)
		}
		return memberID, Kind(kind), p.Amount.Abs(), nil
	}
	return 0, "", decimal.Zero, fmt.Errorf("transaction %d moves no member's savings", tx.ID)
}

// CheckReversal refuses reversing orig when that would leave any member's
// savings it touched below zero. Run it in the write transaction that
// reverses, so no withdrawal slips in between.
func CheckReversal(ctx context.Context, q store.Queryer, orig ledger.Tx) error {
	for _, p := range orig.Postings {
		var raw int64
		err := q.QueryRowContext(ctx, `SELECT a.balance FROM savings_accounts s JOIN ledger_accounts a ON a.id = s.account_id
			WHERE a.code = ?`, p.Account).Scan(&raw)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return fmt.Errorf("reversal of %d: %w", orig.ID, err)
		}
		// The reversal posts -p.Amount; a liability's savings are -balance.
		if after := -(raw - p.Amount.IntPart()); after < 0 {
			return fmt.Errorf("%s would hold %d: %w", p.Account, after, ErrWouldGoNegative)
		}
	}
	return nil
}

// Negative lists every member savings account whose balance is below zero,
// one readable sentence each, for `kopbot ledger check`.
func Negative(ctx context.Context, q store.Queryer) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT a.code, a.balance FROM savings_accounts s JOIN ledger_accounts a ON a.id = s.account_id
		WHERE a.balance > 0 ORDER BY a.code`)
	if err != nil {
		return nil, fmt.Errorf("negative savings: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var code string
		var raw int64
		if err := rows.Scan(&code, &raw); err != nil {
			return nil, fmt.Errorf("negative savings: %w", err)
		}
		out = append(out, fmt.Sprintf("savings %s: balance %d, below zero", code, -raw))
	}
	return out, rows.Err()
}
