package loan

import (
	"context"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// Eligibility checks whether the member may apply for amount over tenor
// months of product as of now, and explains every rule broken. The dialog
// calls it at each step: a zero amount or tenor (not asked yet) skips the
// rules about it, so the first call can tell the member their plafon.
// An unknown product stops the check there; the other rules are all checked.
func Eligibility(ctx context.Context, q store.Queryer, memberID int64, product string, amount decimal.Decimal,
	tenor int, now time.Time, cat Catalog, pol Policy) (Check, error) {
	c, err := eligibility(ctx, q, memberID, product, amount, tenor, now, cat, pol)
	if err != nil {
		return Check{}, fmt.Errorf("eligibility of member %d for %s: %w", memberID, product, err)
	}
	return c, nil
}

func eligibility(ctx context.Context, q store.Queryer, memberID int64, product string, amount decimal.Decimal,
	tenor int, now time.Time, cat Catalog, pol Policy) (Check, error) {
	bal, err := savings.Summary(ctx, q, memberID)
	if err != nil {
		return Check{}, err
	}
	c := Check{Savings: bal.Total, Plafon: bal.Total.Mul(pol.PlafonMultiple).Floor(), MaxAmount: decimal.Zero}
	refuse := func(r Refusal) { c.Refusals = append(c.Refusals, r) }
	p, ok := cat.ByCode(product)
	if !ok {
		refuse(Refusal{Reason: ReasonUnknownProduct, Product: product})
		return c, nil
	}
	c.Product = p
	c.MaxAmount = decimal.Min(p.MaxAmount, c.Plafon)

	apps, err := applications(ctx, q, `WHERE member_id = ? AND status IN ('pending', 'info_requested',
		'awaiting_second', 'approved') ORDER BY id`, memberID)
	if err != nil {
		return Check{}, err
	}
	for _, a := range apps {
		refuse(Refusal{Reason: ReasonPendingRequest, Ref: a.Ref, Status: a.Status})
	}
	open, err := loans(ctx, q, `WHERE l.member_id = ? AND l.status = 'open' ORDER BY l.id`, memberID)
	if err != nil {
		return Check{}, err
	}
	for _, l := range open {
		lines, err := state(ctx, q, l, now, 0)
		if err != nil {
			return Check{}, err
		}
		if overdue, days := arrears(lines); overdue.IsPositive() {
			refuse(Refusal{Reason: ReasonArrears, Ref: l.Ref, Outstanding: overdue, Days: days})
		}
		principal, _, _ := owed(lines)
		refuse(Refusal{Reason: ReasonOpenLoan, Ref: l.Ref, Outstanding: principal})
	}

	c.Refusals = append(c.Refusals, p.Refusals(amount, tenor)...)
	if !amount.IsZero() && amount.GreaterThan(c.Plafon) {
		refuse(Refusal{Reason: ReasonAbovePlafon, Amount: amount, Limit: c.Plafon, Savings: c.Savings,
			Multiple: pol.PlafonMultiple})
	}
	return c, nil
}

// Refusals are the product's own limits that amount over tenor months
// break; a zero amount or tenor (not asked yet) skips the rules about it.
// They need no database: a simulation checks only these.
func (p Product) Refusals(amount decimal.Decimal, tenor int) []Refusal {
	var rs []Refusal
	if !amount.IsZero() {
		switch {
		case amount.LessThan(p.MinAmount):
			rs = append(rs, Refusal{Reason: ReasonAmountBelowMin, Amount: amount, Limit: p.MinAmount})
		case amount.GreaterThan(p.MaxAmount):
			rs = append(rs, Refusal{Reason: ReasonAmountAboveMax, Amount: amount, Limit: p.MaxAmount})
		}
	}
	if tenor != 0 && (tenor < p.MinTenor || tenor > p.MaxTenor) {
		rs = append(rs, Refusal{Reason: ReasonTenorOutOfRange, Tenor: tenor, MinTenor: p.MinTenor, MaxTenor: p.MaxTenor})
	}
	return rs
}
