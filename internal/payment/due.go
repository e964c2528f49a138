package payment

import (
	"context"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/period"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/store"
)

// Due is what a member owes now, as the officers' card shows it.
type Due struct {
	// Loan is the member's oldest open loan, nil when they have none;
	// Installment is what is due on it now: the late installments, or the
	// next one, plus denda.
	Loan        *loan.LoanStatus
	Installment decimal.Decimal
	// Wajib is this month's simpanan wajib still unpaid.
	Wajib decimal.Decimal
}

// DueNow is what memberID owes as of now; wajib is the monthly simpanan
// wajib (zero: none asked).
func DueNow(ctx context.Context, q store.Queryer, memberID int64, now time.Time, wajib decimal.Decimal) (Due, error) {
	var d Due
	ov, err := loan.MemberLoans(ctx, q, memberID, now)
	if err != nil {
		return Due{}, err
	}
	if len(ov.Loans) > 0 {
		l := ov.Loans[0]
		d.Loan = &l
		d.Installment = l.Overdue
		if !l.Overdue.IsPositive() && l.NextDue != nil {
			d.Installment = l.NextDue.Amount
		}
		d.Installment = d.Installment.Add(l.Denda)
	}
	if wajib.IsPositive() {
		c, err := savings.WajibOf(ctx, q, memberID, period.Of(now), wajib)
		if err != nil {
			return Due{}, err
		}
		d.Wajib = c.Short
	}
	return d, nil
}
