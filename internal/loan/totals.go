package loan

import (
	"context"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// Totals is one day of lending, for /laporan. Repaid = Denda + Interest +
// Principal is net of the reversals dated that day: a payment taken back and
// posted again the same day counts once, its denda too. Repayments counts
// the day's payments and Reversals/Reversed the reversals netted out.
type Totals struct {
	Day           time.Time // a date, midnight UTC
	Applications  int
	Applied       decimal.Decimal
	Approvals     int // final approvals
	Approved      decimal.Decimal
	Rejections    int
	Disbursements int
	Disbursed     decimal.Decimal
	Repayments    int
	Repaid        decimal.Decimal
	Denda         decimal.Decimal
	Interest      decimal.Decimal
	Principal     decimal.Decimal
	Reversals     int
	Reversed      decimal.Decimal
}

// TodayTotals sums the lending of the calendar day of day in loc:
// applications made and decisions taken within that day's hours, and
// disbursements and payments with that value date.
func TodayTotals(ctx context.Context, q store.Queryer, day time.Time, loc *time.Location) (Totals, error) {
	y, m, d := day.In(loc).Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, loc)
	from, to := instant(start), instant(start.AddDate(0, 0, 1))
	t := Totals{Day: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
	date := t.Day.Format(ledger.DateLayout)
	var applied, approved, disbursed, repaid, denda, interest, principal, reversed int64
	err := q.QueryRowContext(ctx, `WITH
		apps AS (SELECT count(*) AS n, coalesce(sum(amount), 0) AS amount FROM loan_applications
			WHERE applied_at >= ?1 AND applied_at < ?2),
		decs AS (SELECT count(*) FILTER (WHERE x.status = 'approved') AS approvals,
			coalesce(sum(a.amount) FILTER (WHERE x.status = 'approved'), 0) AS approved,
			count(*) FILTER (WHERE x.status = 'rejected') AS rejections
			FROM loan_decisions x JOIN loan_applications a ON a.id = x.application_id WHERE x.at >= ?1 AND x.at < ?2),
		outs AS (SELECT count(*) AS n, coalesce(sum(principal), 0) AS amount FROM loan_loans WHERE disbursed_on = ?3),
		pays AS (SELECT count(*) FILTER (WHERE reverses IS NULL) AS n,
			coalesce(sum(amount), 0) AS paid,
			count(*) FILTER (WHERE reverses IS NOT NULL) AS reversals,
			coalesce(-sum(amount) FILTER (WHERE reverses IS NOT NULL), 0) AS reversed
			FROM loan_payments WHERE paid_on = ?3),
		parts AS (SELECT coalesce(sum(x.amount) FILTER (WHERE x.part = 'denda'), 0) AS denda,
			coalesce(sum(x.amount) FILTER (WHERE x.part = 'bunga'), 0) AS bunga,
			coalesce(sum(x.amount) FILTER (WHERE x.part = 'pokok'), 0) AS pokok
			FROM loan_allocations x JOIN loan_payments p ON p.id = x.payment_id
			WHERE p.paid_on = ?3)
		SELECT apps.n, apps.amount, decs.approvals, decs.approved, decs.rejections, outs.n, outs.amount,
			pays.n, pays.paid, pays.reversals, pays.reversed, parts.denda, parts.bunga, parts.pokok
		FROM apps, decs, outs, pays, parts`,
		from, to, date).Scan(&t.Applications, &applied, &t.Approvals, &approved, &t.Rejections,
		&t.Disbursements, &disbursed, &t.Repayments, &repaid, &t.Reversals, &reversed, &denda, &interest, &principal)
	if err != nil {
		return Totals{}, fmt.Errorf("totals of %s: %w", date, err)
	}
	t.Applied, t.Approved, t.Disbursed = money.FromRupiah(applied), money.FromRupiah(approved), money.FromRupiah(disbursed)
	t.Repaid, t.Reversed = money.FromRupiah(repaid), money.FromRupiah(reversed)
	t.Denda, t.Interest, t.Principal = money.FromRupiah(denda), money.FromRupiah(interest), money.FromRupiah(principal)
	return t, nil
}
