package loan

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// Reading many loans at once binds their refs or ids as one JSON array, so
// each query keeps one text, and one prepared statement, whatever the number.

// LoansByRef returns the loans with the given references, by reference:
// LoanByRef for a few hundred loans in one query. It fails with ErrNotFound
// if any is missing.
func LoansByRef(ctx context.Context, q store.Queryer, refs []string) (map[string]Loan, error) {
	arg, err := json.Marshal(refs)
	if err != nil {
		return nil, fmt.Errorf("loans by ref: %w", err)
	}
	ls, err := loans(ctx, q, `WHERE l.ref IN (SELECT value FROM json_each(?))`, string(arg))
	if err != nil {
		return nil, fmt.Errorf("loans by ref: %w", err)
	}
	out := make(map[string]Loan, len(ls))
	for _, l := range ls {
		out[l.Ref] = l
	}
	for _, ref := range refs {
		if _, ok := out[ref]; !ok {
			return nil, fmt.Errorf("loan %s: %w", ref, ErrNotFound)
		}
	}
	return out, nil
}

// InstallmentOf names installment No of Loan.
type InstallmentOf struct {
	Loan Loan
	No   int
}

// DendaDue returns the denda each installment has accrued by asOf and is
// not yet paid, as the loan's status gives it (InstallmentStatus.DendaDue),
// in the order given. It reads only these installments, not their loans'
// whole schedules: an installment's denda depends on nothing else.
func DendaDue(ctx context.Context, q store.Queryer, ins []InstallmentOf, asOf time.Time) ([]decimal.Decimal, error) {
	pairs := make([][2]int64, len(ins))
	ids := make([]int64, len(ins))
	for i, in := range ins {
		pairs[i] = [2]int64{in.Loan.ID, int64(in.No)}
		ids[i] = in.Loan.ID
	}
	arg, err := json.Marshal(pairs)
	if err != nil {
		return nil, fmt.Errorf("denda due: %w", err)
	}
	plans, err := installmentRows(ctx, q, `(loan_id, no) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?))`, string(arg))
	if err != nil {
		return nil, fmt.Errorf("denda due: %w", err)
	}
	allocs, err := allocRows(ctx, q, ids, 0)
	if err != nil {
		return nil, fmt.Errorf("denda due: %w", err)
	}
	out := make([]decimal.Decimal, len(ins))
	for i, in := range ins {
		var plan []Installment
		for _, row := range plans[in.Loan.ID] {
			if row.No == in.No {
				plan = append(plan, row)
			}
		}
		if len(plan) == 0 {
			return nil, fmt.Errorf("denda due: installment %d of %s: %w", in.No, in.Loan.Ref, ErrNotFound)
		}
		out[i] = position(in.Loan.Terms, plan, allocs[in.Loan.ID], asOf)[0].DendaDue()
	}
	return out, nil
}

// installmentRows reads the schedule rows the SQL condition where selects,
// by loan id, each loan's in installment order; Remaining is left zero.
func installmentRows(ctx context.Context, q store.Queryer, where string, args ...any) (map[int64][]Installment, error) {
	rows, err := q.QueryContext(ctx, `SELECT loan_id, no, due_on, principal, interest FROM loan_current
		WHERE `+where+` ORDER BY loan_id, no`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]Installment{}
	for rows.Next() {
		var loanID int64
		var in Installment
		var due string
		var principal, interest int64
		if err := rows.Scan(&loanID, &in.No, &due, &principal, &interest); err != nil {
			return nil, err
		}
		in.Principal, in.Interest = money.FromRupiah(principal), money.FromRupiah(interest)
		in.Total = in.Principal.Add(in.Interest)
		if in.Due, err = time.Parse(ledger.DateLayout, due); err != nil {
			return nil, err
		}
		out[loanID] = append(out[loanID], in)
	}
	return out, rows.Err()
}

// allocRows reads the allocations of the loans with the given ids, up to
// and including payment uptoPayment (0: all of them), by loan id, each
// loan's in the order they were made.
func allocRows(ctx context.Context, q store.Queryer, ids []int64, uptoPayment int64) (map[int64][]allocRow, error) {
	arg, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT x.loan_id, x.installment_no, x.part, x.amount, coalesce(o.paid_on, p.paid_on)
		FROM loan_allocations x
		JOIN loan_payments p ON p.id = x.payment_id
		LEFT JOIN loan_payments o ON o.id = p.reverses
		WHERE x.loan_id IN (SELECT value FROM json_each(?1)) AND (?2 = 0 OR x.payment_id <= ?2)
		ORDER BY x.loan_id, x.id`, string(arg), uptoPayment)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]allocRow{}
	for rows.Next() {
		var loanID int64
		var a allocRow
		var amount int64
		var on string
		if err := rows.Scan(&loanID, &a.no, &a.part, &amount, &on); err != nil {
			return nil, err
		}
		a.amount = money.FromRupiah(amount)
		if a.on, err = time.Parse(ledger.DateLayout, on); err != nil {
			return nil, err
		}
		out[loanID] = append(out[loanID], a)
	}
	return out, rows.Err()
}
