package loan

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// Payment is money a member pays on a loan.
type Payment struct {
	// Key makes Repay idempotent: the message or import line that reported
	// the payment.
	Key string
	// LoanRef is the loan paid. Empty: the member's open loan (the oldest,
	// should there be several).
	LoanRef string
	// MemberID is whose open loan is paid when LoanRef is empty; with a
	// LoanRef it is checked when not zero (ErrNotYours).
	MemberID  int64
	Amount    decimal.Decimal
	On        time.Time // the value date
	OfficerID string    // who took the money: the ledger's actor
	// Memo, when set, replaces the ledger memo "Angsuran <ref>": a transfer
	// proof names itself there.
	Memo string
	// Account is where the money landed: "" is the cash box (KAS), a
	// transfer a bank account of the cooperative (BANK-…).
	Account string
	// From, when set, replaces Account: the money never came in but was
	// taken from the member's savings (a leaving member's set-off), one
	// debit per savings account, together exactly Amount.
	From []ledger.Posting
}

// NextDue is the first installment not fully paid and what remains of it
// (principal and interest; denda is reported apart).
type NextDue struct {
	No     int
	Due    time.Time
	Amount decimal.Decimal
}

// Receipt is what a payment paid and where it left the loan.
type Receipt struct {
	Ref         string // the loan's
	Key         string // the payment's
	On          time.Time
	Paid        decimal.Decimal
	Denda       decimal.Decimal
	Interest    decimal.Decimal
	Principal   decimal.Decimal
	Allocations []Allocation
	// Fee is an early settlement's fee; Settled is true when the payment was
	// the settlement amount of the day (see Settle).
	Fee     decimal.Decimal
	Settled bool
	// Rescheduled is true when the payment re-amortised the loan; Schedule
	// is then the installments still to pay, in the new schedule.
	Rescheduled bool
	Schedule    []InstallmentStatus
	// RemainingPrincipal is the principal still owed after the payment;
	// Closed is true when it left nothing owed at all.
	RemainingPrincipal decimal.Decimal
	NextDue            *NextDue
	Closed             bool
	TxID               int64
	// Replayed is true when Repay found the payment already recorded.
	Replayed bool
}

// Repay records a payment on a loan as of p.On and posts one entry: debit
// KAS (or p.Account) the amount; credit PINJ-<ref> the principal, PEND-BUNGA the interest,
// PEND-DENDA the denda, PEND-PELUNASAN a settlement fee.
//
// The payment pays, in order: all denda; the interest of the installments
// due by p.On, oldest first; their principal, oldest first (allocateDue).
// Up to the coming installment's amount, what is left pays that installment
// ahead of its date, interest then principal, as on the day: members pay a
// few days early every month. Anything more is prepayment and only ever
// reduces principal not yet due, never pays interest that has not accrued:
// on a flat loan it pays the coming installments' principal, nearest first;
// on an annuity loan it is recorded on the current installment and the rest
// of the schedule is re-amortised (reamortised), a new schedule version.
// Prepaying all the principal not yet due leaves only the current period's
// interest as the policy charges it, due on the current installment's date.
// Paying exactly the day's settlement amount (Settle) closes the loan with
// that interest and fee. More than the settlement amount is ErrOverpayment;
// more than all the principal but less than the settlement amount is a
// *SettlementError. Both post nothing.
//
// A payment dated before the loan's disbursement or its latest payment is
// ErrBackdated. When nothing is owed any more the loan is closed. The same
// Key again returns the same receipt with Replayed set, posted once.
func Repay(ctx context.Context, q store.Queryer, p Payment) (Receipt, error) {
	r, err := repay(ctx, q, p)
	if err != nil {
		return Receipt{}, fmt.Errorf("repay %s %s: %w", p.LoanRef, p.Key, err)
	}
	return r, nil
}

// applied is what a payment does to a loan before anything is written.
type applied struct {
	allocs []Allocation
	fee    decimal.Decimal
	// plan, when not nil, is the new schedule, made for reason.
	plan       []Installment
	reason     string
	settlement *Quote
}

func repay(ctx context.Context, q store.Queryer, p Payment) (Receipt, error) {
	if strings.TrimSpace(p.Key) == "" || strings.TrimSpace(p.OfficerID) == "" {
		return Receipt{}, fmt.Errorf("key and officer: %w", ErrMissing)
	}
	if !wholePositive(p.Amount) {
		return Receipt{}, fmt.Errorf("amount %s: %w", p.Amount, ErrAmount)
	}
	if r, found, err := replayPayment(ctx, q, p); found || err != nil {
		return r, err
	}
	l, err := payee(ctx, q, p)
	if err != nil {
		return Receipt{}, err
	}
	on := dateOf(p.On)
	if err := notBackdated(ctx, q, l, on); err != nil {
		return Receipt{}, err
	}
	a, err := applyPayment(ctx, q, l, p.Amount, on)
	if err != nil {
		return Receipt{}, err
	}
	tx, err := postRepayment(ctx, q, l, p, a.allocs, a.fee)
	if err != nil {
		return Receipt{}, err
	}
	var paymentID int64
	if err := q.QueryRowContext(ctx, `INSERT INTO loan_payments (loan_id, idem_key, tx_id, paid_on, amount, officer_id)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, l.ID, p.Key, tx.ID, on.Format(ledger.DateLayout), p.Amount.IntPart(),
		p.OfficerID).Scan(&paymentID); err != nil {
		return Receipt{}, fmt.Errorf("insert payment: %w", err)
	}
	if err := insertAllocations(ctx, q, l.ID, paymentID, a.allocs, false); err != nil {
		return Receipt{}, err
	}
	if a.plan != nil {
		if err := insertVersion(ctx, q, l, paymentID, a.reason, on, a.plan); err != nil {
			return Receipt{}, err
		}
	}
	if s := a.settlement; s != nil {
		if _, err := q.ExecContext(ctx, `INSERT INTO loan_settlements (payment_id, loan_id, policy, days, interest, fee)
			VALUES (?, ?, ?, ?, ?, ?)`, paymentID, l.ID, string(s.Policy), s.Days, s.Interest.IntPart(), s.Fee.IntPart()); err != nil {
			return Receipt{}, fmt.Errorf("insert settlement: %w", err)
		}
	}
	r, err := receipt(ctx, q, l, paymentID)
	if err != nil {
		return Receipt{}, err
	}
	if r.Closed {
		if err := setLoanClosed(ctx, q, l, on); err != nil {
			return Receipt{}, err
		}
	}
	return r, nil
}

// applyPayment works out what amount paid on on does to loan l, as Repay
// documents.
func applyPayment(ctx context.Context, q store.Queryer, l Loan, amount decimal.Decimal, on time.Time) (applied, error) {
	_, rows, lines, err := records(ctx, q, l, on, 0)
	if err != nil {
		return applied{}, err
	}
	qt := quote(l, lines, on)
	if amount.GreaterThan(qt.Total) {
		return applied{}, fmt.Errorf("paying %s, %s more than settling costs: %w", amount, amount.Sub(qt.Total), ErrOverpayment)
	}
	if amount.Equal(qt.Total) && qt.next >= 0 {
		a := applied{fee: qt.Fee, plan: closingPlan(lines, qt), reason: "settlement", settlement: &qt}
		settled := position(l.Terms, remainingAfter(l.Principal, a.plan), rows, on)
		a.allocs, err = allocateAll(settled, amount.Sub(qt.Fee), on)
		return a, err
	}
	var a applied
	var beyond decimal.Decimal
	a.allocs, beyond = allocateDue(lines, amount, on)
	if !beyond.IsPositive() {
		return a, nil
	}
	// The coming installment is the first not yet due that is not yet paid;
	// when the current period's is paid already, the prepayment starts
	// from the next one and no day of the current period is re-priced.
	next, days := qt.next, qt.Days
	for next < len(lines)-1 && !lines[next].Unpaid().IsPositive() {
		next, days = next+1, 0
	}
	cur := lines[next]
	prepaid := Allocation{No: cur.No, Part: PartPrincipal, Amount: beyond}
	switch {
	case !beyond.GreaterThan(cur.Unpaid()):
		// The coming installment paid ahead of its date, as members do
		// every month: it pays that installment, interest then principal,
		// as it would on the day.
		al := &allocator{left: beyond, out: a.allocs}
		al.take(cur.No, PartInterest, cur.UnpaidInterest())
		al.take(cur.No, PartPrincipal, cur.UnpaidPrincipal())
		a.allocs = al.out
	case beyond.GreaterThan(qt.Outstanding):
		return applied{}, &SettlementError{Quote: qt}
	case beyond.Equal(qt.Outstanding):
		a.plan, a.reason = closingPlan(lines, qt), "prepayment"
		a.allocs = append(a.allocs, Allocation{No: lines[qt.next].No, Part: PartPrincipal, Amount: beyond})
	case l.Terms.Method == Annuity:
		if a.plan, err = reamortised(l.Terms, lines, next, days, qt.Outstanding, beyond); err != nil {
			return applied{}, err
		}
		a.reason = "prepayment"
		a.allocs = append(a.allocs, prepaid)
	default:
		a.allocs = append(a.allocs, prepayPrincipal(lines, qt.next, beyond)...)
	}
	return a, nil
}

// replayPayment answers a key already recorded: its receipt when the
// payment is the same, ErrKeyConflict when it is not.
func replayPayment(ctx context.Context, q store.Queryer, p Payment) (Receipt, bool, error) {
	var id, amount int64
	var ref string
	err := q.QueryRowContext(ctx, `SELECT p.id, p.amount, l.ref FROM loan_payments p JOIN loan_loans l ON l.id = p.loan_id
		WHERE p.idem_key = ?`, p.Key).Scan(&id, &amount, &ref)
	if errors.Is(err, sql.ErrNoRows) {
		return Receipt{}, false, nil
	}
	if err != nil {
		return Receipt{}, false, fmt.Errorf("find payment: %w", err)
	}
	if (p.LoanRef != "" && p.LoanRef != ref) || amount != p.Amount.IntPart() {
		return Receipt{}, true, fmt.Errorf("used for %s on %s: %w", money.FromRupiah(amount), ref, ErrKeyConflict)
	}
	l, err := LoanByRef(ctx, q, ref)
	if err != nil {
		return Receipt{}, true, err
	}
	r, err := receipt(ctx, q, l, id)
	r.Replayed = true
	return r, true, err
}

// payee is the loan a payment is for.
func payee(ctx context.Context, q store.Queryer, p Payment) (Loan, error) {
	if p.LoanRef != "" {
		l, err := LoanByRef(ctx, q, p.LoanRef)
		if err == nil && p.MemberID != 0 && l.MemberID != p.MemberID {
			err = fmt.Errorf("loan %s: %w", p.LoanRef, ErrNotYours)
		}
		return l, err
	}
	open, err := loans(ctx, q, `WHERE l.member_id = ? AND l.status = 'open' ORDER BY l.id LIMIT 1`, p.MemberID)
	if err != nil {
		return Loan{}, fmt.Errorf("open loan of member %d: %w", p.MemberID, err)
	}
	if len(open) == 0 {
		return Loan{}, fmt.Errorf("member %d: %w", p.MemberID, ErrNoOpenLoan)
	}
	return open[0], nil
}

// notBackdated refuses a payment dated before the loan's disbursement or its
// latest payment still standing: denda and allocation are computed forward.
func notBackdated(ctx context.Context, q store.Queryer, l Loan, on time.Time) error {
	var latest string
	if err := q.QueryRowContext(ctx, `SELECT coalesce(max(p.paid_on), '') FROM loan_payments p
		WHERE p.loan_id = ? AND p.reverses IS NULL AND NOT EXISTS (SELECT 1 FROM loan_payments r WHERE r.reverses = p.id)`,
		l.ID).Scan(&latest); err != nil {
		return fmt.Errorf("latest payment: %w", err)
	}
	day := on.Format(ledger.DateLayout)
	if on.Before(l.DisbursedOn) || day < latest {
		return fmt.Errorf("%s: disbursed %s, last paid %q: %w", day, l.DisbursedOn.Format(ledger.DateLayout), latest,
			ErrBackdated)
	}
	return nil
}

func postRepayment(ctx context.Context, q store.Queryer, l Loan, p Payment, allocs []Allocation, fee decimal.Decimal) (ledger.Tx, error) {
	denda, interest, principal := sumParts(allocs)
	for code, name := range map[string]string{InterestIncome: "Pendapatan bunga pinjaman", PenaltyIncome: "Pendapatan denda pinjaman",
		SettlementIncome: "Pendapatan biaya pelunasan dipercepat"} {
		if _, err := ledger.EnsureAccount(ctx, q, code, name, ledger.Income); err != nil {
			return ledger.Tx{}, err
		}
	}
	postings, err := sources(ctx, q, p)
	if err != nil {
		return ledger.Tx{}, err
	}
	for _, leg := range []ledger.Posting{
		{Account: l.AccountCode(), Amount: principal},
		{Account: InterestIncome, Amount: interest},
		{Account: PenaltyIncome, Amount: denda},
		{Account: SettlementIncome, Amount: fee},
	} {
		// The ledger refuses zero legs; a payment of denda only has one credit.
		if !leg.Amount.IsZero() {
			postings = append(postings, ledger.Posting{Account: leg.Account, Amount: leg.Amount.Neg()})
		}
	}
	return ledger.Post(ctx, q, ledger.Entry{Key: "repay:" + p.Key, Kind: KindRepayment, ValueDate: p.On,
		Actor: p.OfficerID, Memo: cmp.Or(p.Memo, "Angsuran "+l.Ref), Postings: postings})
}

// sources are the debit legs of payment p: where its money came from.
func sources(ctx context.Context, q store.Queryer, p Payment) ([]ledger.Posting, error) {
	if len(p.From) == 0 {
		into, err := savings.OtherSide(ctx, q, p.Account)
		return []ledger.Posting{{Account: into, Amount: p.Amount}}, err
	}
	sum := decimal.Zero
	for _, d := range p.From {
		if !wholePositive(d.Amount) {
			return nil, fmt.Errorf("from %s %s: %w", d.Account, d.Amount, ErrAmount)
		}
		sum = sum.Add(d.Amount)
	}
	if !sum.Equal(p.Amount) {
		return nil, fmt.Errorf("taken %s for a payment of %s: %w", sum, p.Amount, ErrAmount)
	}
	return slices.Clone(p.From), nil
}

// insertAllocations writes a payment's allocations in one statement,
// negated for a reversal.
func insertAllocations(ctx context.Context, q store.Queryer, loanID, paymentID int64, allocs []Allocation, negate bool) error {
	args := make([]any, 0, 5*len(allocs))
	for _, a := range allocs {
		amount := a.Amount
		if negate {
			amount = amount.Neg()
		}
		args = append(args, paymentID, loanID, a.No, string(a.Part), amount.IntPart())
	}
	values := strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?), ", len(allocs)), ", ")
	if _, err := q.ExecContext(ctx, `INSERT INTO loan_allocations (payment_id, loan_id, installment_no, part, amount)
		VALUES `+values, args...); err != nil {
		return fmt.Errorf("insert allocations: %w", err)
	}
	return nil
}

// paymentAllocations reads what payment paid.
func paymentAllocations(ctx context.Context, q store.Queryer, paymentID int64) ([]Allocation, error) {
	out, err := collect(ctx, q, `SELECT installment_no, part, amount FROM loan_allocations
		WHERE payment_id = ? ORDER BY id`, func(row scanner) (Allocation, error) {
		var a Allocation
		var amount int64
		err := row.Scan(&a.No, &a.Part, &amount)
		a.Amount = money.FromRupiah(amount)
		return a, err
	}, paymentID)
	if err != nil {
		return nil, fmt.Errorf("allocations of payment %d: %w", paymentID, err)
	}
	return out, nil
}

// receipt rebuilds a payment's receipt from the records: what it paid, and
// the loan as it stood right after it.
func receipt(ctx context.Context, q store.Queryer, l Loan, paymentID int64) (Receipt, error) {
	r := Receipt{Ref: l.Ref}
	var on string
	var amount int64
	if err := q.QueryRowContext(ctx, `SELECT idem_key, tx_id, paid_on, amount FROM loan_payments WHERE id = ?`, paymentID).
		Scan(&r.Key, &r.TxID, &on, &amount); err != nil {
		return Receipt{}, fmt.Errorf("payment %d: %w", paymentID, err)
	}
	var err error
	if r.On, err = time.Parse(ledger.DateLayout, on); err != nil {
		return Receipt{}, fmt.Errorf("payment %d: date %q: %w", paymentID, on, err)
	}
	r.Paid = money.FromRupiah(amount)
	if r.Allocations, err = paymentAllocations(ctx, q, paymentID); err != nil {
		return Receipt{}, err
	}
	r.Denda, r.Interest, r.Principal = sumParts(r.Allocations)
	var reason string
	if r.Fee, reason, err = paymentSettlement(ctx, q, paymentID); err != nil {
		return Receipt{}, err
	}
	r.Settled, r.Rescheduled = reason == "settlement", reason == "prepayment"
	lines, err := state(ctx, q, l, r.On, paymentID)
	if err != nil {
		return Receipt{}, err
	}
	if r.Rescheduled {
		for _, ln := range lines {
			if ln.Unpaid().IsPositive() {
				r.Schedule = append(r.Schedule, ln)
			}
		}
	}
	principal, interest, denda := owed(lines)
	r.RemainingPrincipal = principal
	r.Closed = principal.Add(interest).Add(denda).IsZero()
	if next, ok := nextUnpaid(lines); ok {
		r.NextDue = &NextDue{No: next.No, Due: next.Due, Amount: next.Unpaid()}
	}
	return r, nil
}

// setLoanClosed records that the loan owes nothing (on), or, with a zero
// on, that it owes again after a reversal.
func setLoanClosed(ctx context.Context, q store.Queryer, l Loan, on time.Time) error {
	status, closedOn := "open", any(nil)
	if !on.IsZero() {
		status, closedOn = "closed", dateOf(on).Format(ledger.DateLayout)
	}
	if _, err := q.ExecContext(ctx, `UPDATE loan_loans SET status = ?, closed_on = ? WHERE id = ?`, status, closedOn, l.ID); err != nil {
		return fmt.Errorf("set loan %s %s: %w", l.Ref, status, err)
	}
	return nil
}
