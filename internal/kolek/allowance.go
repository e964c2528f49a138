package kolek

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/books"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// KindAllowance is the ledger kind of the month-end allowance posting.
const KindAllowance = "allowance"

// Booked returns the allowance the books hold: the credit balance of the
// chart's allowance account at the end of date.
func Booked(ctx context.Context, q store.Queryer, c books.Chart, date time.Time) (decimal.Decimal, error) {
	b, err := books.BalancesAt(ctx, q, c, date)
	if err != nil {
		return decimal.Zero, err
	}
	return b.Get(c.Code(books.RoleAllowance)).Neg(), nil
}

// Posting is a month's allowance adjustment.
type Posting struct {
	Month    string
	Required decimal.Decimal
	Booked   decimal.Decimal // before the posting
	// Amount is what was posted: positive tops up, negative releases.
	Amount   decimal.Decimal
	TxID     int64
	Replayed bool
}

// PostAllowance brings the booked allowance to what the portfolio requires,
// dated pf.AsOf, once per month: a second call in the month replays the
// first posting, and nothing is posted when nothing is missing.
func PostAllowance(ctx context.Context, q store.Queryer, c books.Chart, pf Portfolio, officer string) (Posting, error) {
	month := pf.AsOf.Format("2006-01")
	key := "allowance:" + month
	p := Posting{Month: month, Required: pf.Required}
	if tx, err := ledger.TxByKey(ctx, q, key); err == nil {
		p.TxID, p.Replayed = tx.ID, true
		for _, l := range tx.Postings {
			if l.Account == c.Code(books.RoleAllowanceExpense) {
				p.Amount = l.Amount
			}
		}
		return p, nil
	} else if !errors.Is(err, ledger.ErrNotFound) {
		return Posting{}, err
	}
	booked, err := Booked(ctx, q, c, pf.AsOf)
	if err != nil {
		return Posting{}, err
	}
	p.Booked, p.Amount = booked, pf.Required.Sub(booked)
	if p.Amount.IsZero() {
		return p, nil
	}
	for _, role := range []books.Role{books.RoleAllowance, books.RoleAllowanceExpense} {
		a, _ := c.Account(c.Code(role))
		if _, err := ledger.EnsureAccount(ctx, q, a.Code, a.Name, a.Type); err != nil {
			return Posting{}, fmt.Errorf("allowance %s: %w", month, err)
		}
	}
	tx, err := ledger.Post(ctx, q, ledger.Entry{Key: key, Kind: KindAllowance, ValueDate: pf.AsOf, Actor: officer,
		Memo: fmt.Sprintf("Penyisihan piutang %s: wajib %s, sudah %s", month, money.FormatPlain(pf.Required, "id"),
			money.FormatPlain(booked, "id")),
		Postings: []ledger.Posting{
			{Account: c.Code(books.RoleAllowanceExpense), Amount: p.Amount},
			{Account: c.Code(books.RoleAllowance), Amount: p.Amount.Neg()},
		}})
	if err != nil {
		return Posting{}, fmt.Errorf("allowance %s: %w", month, err)
	}
	p.TxID = tx.ID
	return p, nil
}
