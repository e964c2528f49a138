package savings

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/store"
)

// Cash is the cooperative's cash account, the other side of every deposit
// and withdrawal.
const Cash = "KAS"

func ensureCash(ctx context.Context, q store.Queryer) error {
	_, err := ledger.EnsureAccount(ctx, q, Cash, "Kas", ledger.Asset)
	return err
}

// BankPrefix starts the ledger code of each of the cooperative's bank
// accounts (BANK-BCA); the chart rolls them up into its bank account.
const BankPrefix = "BANK-"

// OtherSide is the account money of a movement comes from or goes to: the
// cash box for "", or a bank account of the cooperative, opened on first
// use. A loan repayment by transfer books to it too.
func OtherSide(ctx context.Context, q store.Queryer, code string) (string, error) {
	if code == "" || code == Cash {
		return Cash, ensureCash(ctx, q)
	}
	if !strings.HasPrefix(code, BankPrefix) || len(code) == len(BankPrefix) {
		return "", fmt.Errorf("%q is neither %s nor a %s… account: %w", code, Cash, BankPrefix, ErrAccount)
	}
	_, err := ledger.EnsureAccount(ctx, q, code, "Bank "+strings.TrimPrefix(code, BankPrefix), ledger.Asset)
	return code, err
}

// account returns the ledger code of the member's savings account of kind k,
// opening it on the member's first movement of that kind.
func account(ctx context.Context, q store.Queryer, memberID int64, k Kind) (string, error) {
	var code string
	err := q.QueryRowContext(ctx, `SELECT a.code FROM savings_accounts s JOIN ledger_accounts a ON a.id = s.account_id
		WHERE s.member_id = ? AND s.kind = ?`, memberID, string(k)).Scan(&code)
	if err == nil {
		return code, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("savings account %s of member %d: %w", k, memberID, err)
	}
	m, err := member.ByID(ctx, q, memberID)
	if err != nil {
		return "", err
	}
	a, err := ledger.EnsureAccount(ctx, q, k.accountCode(m.Number), "Simpanan "+string(k)+" "+m.Number, ledger.Liability)
	if err != nil {
		return "", err
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO savings_accounts (member_id, kind, account_id) VALUES (?, ?, ?)`,
		memberID, string(k), a.ID); err != nil {
		return "", fmt.Errorf("open savings account %s of member %s: %w", k, m.Number, err)
	}
	return a.Code, nil
}

// AccountCode returns the ledger code of the member's savings account of
// kind k, opening it when missing, for postings that credit a member's
// savings from elsewhere than the cash desk (the SHU shared out).
func AccountCode(ctx context.Context, q store.Queryer, memberID int64, k Kind) (string, error) {
	return account(ctx, q, memberID, k)
}
