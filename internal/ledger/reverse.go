package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/store"
)

// KindReversal is the kind of every transaction Reverse posts.
const KindReversal = "reversal"

// Reverse posts the exact negation of transaction txID under key. A
// transaction is reversed at most once (ErrAlreadyReversed) and a reversal is
// never reversed (ErrNotReversible): to redo a reversed transaction, post it
// again. Like Post, repeating the same call replays.
func Reverse(ctx context.Context, q store.Queryer, txID int64, key, actor, memo string, valueDate time.Time) (Tx, error) {
	tx, err := reverse(ctx, q, txID, key, actor, memo, valueDate)
	if err != nil {
		return Tx{}, fmt.Errorf("reverse %d as %s: %w", txID, key, err)
	}
	return tx, nil
}

func reverse(ctx context.Context, q store.Queryer, txID int64, key, actor, memo string, valueDate time.Time) (Tx, error) {
	orig, err := TxByID(ctx, q, txID)
	if err != nil {
		return Tx{}, err
	}
	if orig.Reverses != 0 {
		return Tx{}, ErrNotReversible
	}
	var byKey string
	err = q.QueryRowContext(ctx, `SELECT idem_key FROM ledger_transactions WHERE reverses = ?`, txID).Scan(&byKey)
	switch {
	case err == nil && byKey != key:
		return Tx{}, fmt.Errorf("by %s: %w", byKey, ErrAlreadyReversed)
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return Tx{}, err
	}
	negated := make([]Posting, len(orig.Postings))
	for i, p := range orig.Postings {
		negated[i] = Posting{Account: p.Account, Amount: p.Amount.Neg()}
	}
	return post(ctx, q, Entry{Key: key, Kind: KindReversal, ValueDate: valueDate, Actor: actor, Memo: memo,
		Postings: negated}, txID)
}
