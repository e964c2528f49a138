package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// AccountType is the accounting class of an account.
type AccountType string

// The five account types.
const (
	Asset     AccountType = "asset"
	Liability AccountType = "liability"
	Equity    AccountType = "equity"
	Income    AccountType = "income"
	Expense   AccountType = "expense"
)

// Valid reports whether t is one of the five types.
func (t AccountType) Valid() bool {
	switch t {
	case Asset, Liability, Equity, Income, Expense:
		return true
	}
	return false
}

// creditNormal types grow with credits, so people read their balances with
// the raw (debit positive) sign flipped.
func (t AccountType) creditNormal() bool {
	return t == Liability || t == Equity || t == Income
}

// Natural turns a stored raw amount (debit positive) into the account's
// natural sign: a member's savings of Rp500.000 is +500000 although it is
// stored as a credit.
func (t AccountType) Natural(raw int64) decimal.Decimal {
	if t.creditNormal() {
		raw = -raw
	}
	return money.FromRupiah(raw)
}

// Account is one account with its cached balance in natural sign.
type Account struct {
	ID      int64
	Code    string
	Name    string
	Type    AccountType
	Balance decimal.Decimal
}

// AccountByCode returns the account with the given code, or ErrUnknownAccount.
func AccountByCode(ctx context.Context, q store.Queryer, code string) (Account, error) {
	var a Account
	var raw int64
	err := q.QueryRowContext(ctx, `SELECT id, code, name, type, balance FROM ledger_accounts WHERE code = ?`, code).
		Scan(&a.ID, &a.Code, &a.Name, &a.Type, &raw)
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, fmt.Errorf("account %s: %w", code, ErrUnknownAccount)
	}
	if err != nil {
		return Account{}, fmt.Errorf("account %s: %w", code, err)
	}
	a.Balance = a.Type.Natural(raw)
	return a, nil
}

// EnsureAccount returns the account with code, creating it when missing. An
// existing account keeps its name; asking for it with another type is
// ErrAccountType, since the type fixes what its balance means.
func EnsureAccount(ctx context.Context, q store.Queryer, code, name string, t AccountType) (Account, error) {
	if !t.Valid() {
		return Account{}, fmt.Errorf("ensure account %s: type %q: %w", code, t, ErrAccountType)
	}
	if code == "" {
		return Account{}, fmt.Errorf("ensure account: code: %w", ErrMissing)
	}
	a, err := AccountByCode(ctx, q, code)
	if errors.Is(err, ErrUnknownAccount) {
		if _, err := q.ExecContext(ctx, `INSERT INTO ledger_accounts (code, name, type) VALUES (?, ?, ?)
			ON CONFLICT (code) DO NOTHING`, code, name, string(t)); err != nil {
			return Account{}, fmt.Errorf("ensure account %s: %w", code, err)
		}
		a, err = AccountByCode(ctx, q, code)
	}
	if err != nil {
		return Account{}, fmt.Errorf("ensure account: %w", err)
	}
	if a.Type != t {
		return Account{}, fmt.Errorf("ensure account %s: is %s, not %s: %w", code, a.Type, t, ErrAccountType)
	}
	return a, nil
}
