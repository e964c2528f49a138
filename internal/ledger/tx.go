package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/store"
)

// TxByKey returns the transaction posted under key, or ErrNotFound.
func TxByKey(ctx context.Context, q store.Queryer, key string) (Tx, error) {
	tx, err := loadTx(ctx, q, `idem_key = ?`, key)
	if err != nil {
		return Tx{}, fmt.Errorf("transaction %s: %w", key, err)
	}
	return tx, nil
}

// TxByID returns the transaction with id, or ErrNotFound.
func TxByID(ctx context.Context, q store.Queryer, id int64) (Tx, error) {
	tx, err := loadTx(ctx, q, `id = ?`, id)
	if err != nil {
		return Tx{}, fmt.Errorf("transaction %d: %w", id, err)
	}
	return tx, nil
}

// loadTx reads a transaction and its postings in posting order. Two queries
// are consistent without a shared snapshot because postings are written with
// their transaction and never change.
func loadTx(ctx context.Context, q store.Queryer, where string, arg any) (Tx, error) {
	var tx Tx
	var date string
	err := q.QueryRowContext(ctx, `SELECT id, idem_key, kind, value_date, actor, memo, coalesce(reverses, 0)
		FROM ledger_transactions WHERE `+where, arg).
		Scan(&tx.ID, &tx.Key, &tx.Kind, &date, &tx.Actor, &tx.Memo, &tx.Reverses)
	if errors.Is(err, sql.ErrNoRows) {
		return Tx{}, ErrNotFound
	}
	if err != nil {
		return Tx{}, err
	}
	if tx.ValueDate, err = time.Parse(DateLayout, date); err != nil {
		return Tx{}, fmt.Errorf("bad value date %q: %w", date, err)
	}
	rows, err := q.QueryContext(ctx, `SELECT a.code, p.amount FROM ledger_postings p
		JOIN ledger_accounts a ON a.id = p.account_id WHERE p.tx_id = ? ORDER BY p.id`, tx.ID)
	if err != nil {
		return Tx{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var p Posting
		var amount int64
		if err := rows.Scan(&p.Account, &amount); err != nil {
			return Tx{}, err
		}
		p.Amount = money.FromRupiah(amount)
		tx.Postings = append(tx.Postings, p)
	}
	return tx, rows.Err()
}
