package savings

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// Ledger transaction kinds of savings movements.
const (
	KindDeposit    = "deposit"
	KindWithdrawal = "withdrawal"
)

// Movement is money paid into or out of one of a member's savings. Amount is
// positive for both; Key makes the movement idempotent (see ledger.Post).
type Movement struct {
	Key       string
	MemberID  int64
	Kind      Kind
	Amount    decimal.Decimal
	ValueDate time.Time
	Actor     string
	Memo      string
	// Account is where the money is, the other side of the posting: a
	// transfer lands in the cooperative's bank account (BANK-…), not in
	// the cash box. "" is Cash.
	Account string
}

// Deposit pays m.Amount into the member's savings of m.Kind: cash (or
// m.Account) is debited,
// the member's savings (a liability) credited. Run it in a write transaction.
// A member who has left is refused (member.ErrLeft): their accounts are
// closed and paid out.
func Deposit(ctx context.Context, q store.Queryer, m Movement) (ledger.Tx, error) {
	owner, err := member.ByID(ctx, q, m.MemberID)
	if err != nil {
		return ledger.Tx{}, fmt.Errorf("deposit %s: %w", m.Key, err)
	}
	if owner.Left() {
		return ledger.Tx{}, fmt.Errorf("deposit %s: member %s left on %s: %w", m.Key, owner.Number,
			owner.LeftOn.Format(ledger.DateLayout), member.ErrLeft)
	}
	e, err := entry(ctx, q, m, KindDeposit)
	if err != nil {
		return ledger.Tx{}, fmt.Errorf("deposit %s: %w", m.Key, err)
	}
	tx, err := ledger.Post(ctx, q, e)
	if err != nil {
		return ledger.Tx{}, fmt.Errorf("deposit: %w", err)
	}
	return tx, nil
}

// Withdraw pays m.Amount out of the member's sukarela savings, never below
// zero (ErrInsufficient). Run it in a write transaction, so no other movement
// slips between the balance check and the posting.
func Withdraw(ctx context.Context, q store.Queryer, m Movement) (ledger.Tx, error) {
	tx, err := withdraw(ctx, q, m)
	if err != nil {
		return ledger.Tx{}, fmt.Errorf("withdraw %s: %w", m.Key, err)
	}
	return tx, nil
}

func withdraw(ctx context.Context, q store.Queryer, m Movement) (ledger.Tx, error) {
	if m.Kind.Valid() && m.Kind != Sukarela {
		return ledger.Tx{}, fmt.Errorf("%s: %w", m.Kind, ErrNotWithdrawable)
	}
	e, err := entry(ctx, q, m, KindWithdrawal)
	if err != nil {
		return ledger.Tx{}, err
	}
	// A retried withdrawal is answered by the ledger's replay whatever the
	// balance is now; only a new one must be covered.
	_, err = ledger.TxByKey(ctx, q, m.Key)
	if errors.Is(err, ledger.ErrNotFound) {
		err = covered(ctx, q, e.Postings[0].Account, m.Amount, m.ValueDate)
	}
	if err != nil {
		return ledger.Tx{}, err
	}
	return ledger.Post(ctx, q, e)
}

// covered checks the account holds amount now and held it on the
// withdrawal's value date: a withdrawal dated before the deposit that
// covers it would leave the balance negative on that day.
func covered(ctx context.Context, q store.Queryer, code string, amount decimal.Decimal, on time.Time) error {
	bal, err := ledger.Balance(ctx, q, code)
	if err != nil {
		return err
	}
	then, err := ledger.BalanceOn(ctx, q, code, on)
	if err != nil {
		return err
	}
	if low := decimal.Min(bal, then); low.LessThan(amount) {
		return fmt.Errorf("balance %s (on %s: %s), asked %s: %w", bal, on.Format(ledger.DateLayout), then, amount, ErrInsufficient)
	}
	return nil
}

// entry builds the ledger entry of a movement. A deposit credits the
// member's account; a withdrawal debits it, listed first.
func entry(ctx context.Context, q store.Queryer, m Movement, kind string) (ledger.Entry, error) {
	if !m.Kind.Valid() {
		return ledger.Entry{}, fmt.Errorf("%q: %w", m.Kind, ErrKind)
	}
	if !m.Amount.IsPositive() {
		return ledger.Entry{}, fmt.Errorf("%s: %w", m.Amount, ErrAmount)
	}
	other, err := OtherSide(ctx, q, m.Account)
	if err != nil {
		return ledger.Entry{}, err
	}
	code, err := account(ctx, q, m.MemberID, m.Kind)
	if err != nil {
		return ledger.Entry{}, err
	}
	savings := ledger.Posting{Account: code, Amount: m.Amount.Neg()}
	cash := ledger.Posting{Account: other, Amount: m.Amount}
	postings := []ledger.Posting{cash, savings}
	if kind == KindWithdrawal {
		savings.Amount, cash.Amount = m.Amount, m.Amount.Neg()
		postings = []ledger.Posting{savings, cash}
	}
	return ledger.Entry{Key: m.Key, Kind: kind, ValueDate: m.ValueDate, Actor: m.Actor, Memo: m.Memo,
		Postings: postings}, nil
}
