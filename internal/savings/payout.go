package savings

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/store"
)

// KindPayOut is the ledger kind of a leaving member's savings paid back.
const KindPayOut = "payout"

// PayOut pays back everything a member holds, pokok and wajib included,
// in one transaction under key: each savings account is emptied and the
// total is paid from the account from (the cash box for "", or a BANK-…
// account for a transfer). It is what a member who leaves receives; while they stay,
// pokok and wajib are never withdrawn (Withdraw). Nothing held is no
// transaction at all (the zero Tx). Run it in the write transaction that
// closes the member, so no movement slips in between.
func PayOut(ctx context.Context, q store.Queryer, memberID int64, key, from string, on time.Time, actor, memo string) (ledger.Tx, Balances, error) {
	switch tx, err := ledger.TxByKey(ctx, q, key); {
	case err == nil:
		// Paid already: the balances now are zero, the payout's are in tx.
		return tx, Balances{}, nil
	case !errors.Is(err, ledger.ErrNotFound):
		return ledger.Tx{}, Balances{}, fmt.Errorf("pay out %s: %w", key, err)
	}
	b, err := Summary(ctx, q, memberID)
	if err != nil {
		return ledger.Tx{}, Balances{}, fmt.Errorf("pay out %s: %w", key, err)
	}
	if !b.Total.IsPositive() {
		return ledger.Tx{}, b, nil
	}
	var postings []ledger.Posting
	for _, k := range Kinds {
		amt := b.Of(k)
		if amt.IsZero() {
			continue
		}
		if amt.IsNegative() {
			return ledger.Tx{}, Balances{}, fmt.Errorf("pay out %s: %s holds %s: %w", key, k, amt, ErrWouldGoNegative)
		}
		code, err := account(ctx, q, memberID, k)
		if err != nil {
			return ledger.Tx{}, Balances{}, err
		}
		postings = append(postings, ledger.Posting{Account: code, Amount: amt})
	}
	other, err := OtherSide(ctx, q, from)
	if err != nil {
		return ledger.Tx{}, Balances{}, fmt.Errorf("pay out %s: %w", key, err)
	}
	postings = append(postings, ledger.Posting{Account: other, Amount: b.Total.Neg()})
	tx, err := ledger.Post(ctx, q, ledger.Entry{Key: key, Kind: KindPayOut, ValueDate: on, Actor: actor, Memo: memo,
		Postings: postings})
	if err != nil {
		return ledger.Tx{}, Balances{}, fmt.Errorf("pay out: %w", err)
	}
	return tx, b, nil
}
