package kolek

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// Loan is one loan's standing on a day.
type Loan struct {
	ID       int64
	Ref      string
	MemberID int64
	Facts
	Class int // index into the profile's classes
	// Manual is the reason of a class set by hand that holds the loan
	// worse than its facts would; "" otherwise.
	Manual string
}

// Bucket is one class's share of the portfolio.
type Bucket struct {
	Class       Class
	Count       int
	Outstanding decimal.Decimal
	// Required is the allowance the class requires, rounded to the Rupiah.
	Required decimal.Decimal
}

// Mover is a loan whose class changed.
type Mover struct {
	Ref      string
	From, To string
	On       time.Time
	DPD      int
}

// Portfolio is the loan book judged on a day.
type Portfolio struct {
	Profile     Profile
	AsOf        time.Time
	Loans       []Loan
	Buckets     []Bucket
	Outstanding decimal.Decimal
	// NPL is the non-performing classes' outstanding.
	NPL decimal.Decimal
	// Risk is the RPM: Σ class risk weight × outstanding.
	Risk decimal.Decimal
	// Required is the allowance the classes require.
	Required decimal.Decimal
}

// NPLRatio is NPL / outstanding in percent, zero for an empty book.
func (p Portfolio) NPLRatio() decimal.Decimal { return percent(p.NPL, p.Outstanding) }

// RiskRatio is the RPM / outstanding in percent.
func (p Portfolio) RiskRatio() decimal.Decimal { return percent(p.Risk, p.Outstanding) }

func percent(part, whole decimal.Decimal) decimal.Decimal {
	if whole.IsZero() {
		return decimal.Zero
	}
	return part.Mul(decimal.NewFromInt(100)).DivRound(whole, 2)
}

// positions reads every loan outstanding at the end of asOf with the facts
// its class is judged on, in one pass over the schedule and allocations.
// A reversed payment is counted until its reversal's date, so a past day
// is judged as it stood then. The + keeps the last payment's lookup on the
// loan's own payments: on the reverses index, "reverses IS NULL" is every
// payment ever made, read again for each loan. only narrows the loans read
// (see changed); "" reads them all.
func positions(only string) string {
	return `WITH paid AS (
	SELECT a.loan_id, a.installment_no,
		sum(CASE WHEN a.part IN ('bunga', 'pokok') THEN a.amount ELSE 0 END) AS due_paid,
		sum(CASE WHEN a.part = 'pokok' THEN a.amount ELSE 0 END) AS principal_paid
	FROM loan_allocations a JOIN loan_payments p ON p.id = a.payment_id
	WHERE p.paid_on <= ?1 GROUP BY a.loan_id, a.installment_no),
live AS (SELECT id, ref, member_id, disbursed_on FROM loan_loans
	WHERE disbursed_on <= ?1 AND (closed_on IS NULL OR closed_on > ?1)` + only + `)
SELECT l.id, l.ref, l.member_id, l.disbursed_on,
	sum(i.principal - coalesce(pd.principal_paid, 0)),
	coalesce(min(CASE WHEN i.principal + i.interest - coalesce(pd.due_paid, 0) > 0 THEN i.due_on END), ''),
	coalesce((SELECT max(p.paid_on) FROM loan_payments p WHERE p.loan_id = l.id AND +p.reverses IS NULL AND p.paid_on <= ?1
		AND NOT EXISTS (SELECT 1 FROM loan_payments r WHERE r.reverses = p.id AND r.paid_on <= ?1)), ''),
	coalesce((SELECT c.value FROM kolek_collateral c WHERE c.loan_id = l.id ORDER BY c.id DESC LIMIT 1), 0),
	coalesce((SELECT m.class || char(31) || m.reason FROM kolek_manual m WHERE m.loan_id = l.id AND m.on_date <= ?1
		ORDER BY m.id DESC LIMIT 1), '')
FROM live l JOIN loan_current i ON i.loan_id = l.id
LEFT JOIN paid pd ON pd.loan_id = i.loan_id AND pd.installment_no = i.no
GROUP BY l.id ORDER BY l.id`
}

// Assess judges the loan book at the end of asOf without writing anything.
func Assess(ctx context.Context, q store.Queryer, p Profile, asOf time.Time) (Portfolio, error) {
	loans, err := judge(ctx, q, p, asOf, "")
	if err != nil {
		return Portfolio{}, err
	}
	return book(p, asOf, loans), nil
}

// judge reads and classes the loans outstanding at the end of asOf, in
// id order; only and its args narrow them (positions).
func judge(ctx context.Context, q store.Queryer, p Profile, asOf time.Time, only string, args ...any) ([]Loan, error) {
	day := asOf.Format(ledger.DateLayout)
	rows, err := q.QueryContext(ctx, positions(only), append([]any{day}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("kolektibilitas %s: %w", day, err)
	}
	defer rows.Close()
	var loans []Loan
	asOfDay := dateOf(asOf)
	for rows.Next() {
		var l Loan
		var disbursed, oldest, lastPaid, manual string
		var outstanding, collateral int64
		if err := rows.Scan(&l.ID, &l.Ref, &l.MemberID, &disbursed, &outstanding, &oldest, &lastPaid, &collateral,
			&manual); err != nil {
			return nil, fmt.Errorf("kolektibilitas %s: %w", day, err)
		}
		if outstanding <= 0 {
			continue
		}
		l.Outstanding, l.Collateral = money.FromRupiah(outstanding), money.FromRupiah(collateral)
		if l.Disbursed, err = time.Parse(ledger.DateLayout, disbursed); err != nil {
			return nil, fmt.Errorf("loan %s: %w", l.Ref, err)
		}
		if lastPaid != "" {
			if l.LastPaid, err = time.Parse(ledger.DateLayout, lastPaid); err != nil {
				return nil, fmt.Errorf("loan %s: %w", l.Ref, err)
			}
		}
		if oldest != "" {
			due, err := time.Parse(ledger.DateLayout, oldest)
			if err != nil {
				return nil, fmt.Errorf("loan %s: %w", l.Ref, err)
			}
			l.DPD = max(0, int(asOfDay.Sub(due).Hours()/24))
		}
		l.Class = p.Classify(l.Facts, asOfDay)
		if class, reason, ok := strings.Cut(manual, "\x1f"); ok && p.index(class) > l.Class {
			l.Class, l.Manual = p.index(class), reason
		}
		loans = append(loans, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("kolektibilitas %s: %w", day, err)
	}
	return loans, nil
}

// book sums judged loans into the portfolio of asOf.
func book(p Profile, asOf time.Time, loans []Loan) Portfolio {
	pf := empty(p, asOf)
	pf.Loans = loans
	for _, l := range loans {
		b := &pf.Buckets[l.Class]
		b.Count++
		b.Outstanding = b.Outstanding.Add(l.Outstanding)
		pf.Outstanding = pf.Outstanding.Add(l.Outstanding)
	}
	for i := range pf.Buckets {
		b := &pf.Buckets[i]
		b.Required = b.Outstanding.Mul(b.Class.Allowance).Round(0)
	}
	pf.totals()
	return pf
}

// empty is the portfolio of asOf with every class's bucket at zero.
func empty(p Profile, asOf time.Time) Portfolio {
	pf := Portfolio{Profile: p, AsOf: asOf, Buckets: make([]Bucket, len(p.Classes))}
	for i, c := range p.Classes {
		pf.Buckets[i] = Bucket{Class: c, Outstanding: decimal.Zero, Required: decimal.Zero}
	}
	return pf
}

// totals sums the buckets' allowance, NPL and risk into the portfolio's.
func (pf *Portfolio) totals() {
	for _, b := range pf.Buckets {
		pf.Required = pf.Required.Add(b.Required)
		pf.Risk = pf.Risk.Add(b.Outstanding.Mul(b.Class.Risk))
		if b.Class.NPL {
			pf.NPL = pf.NPL.Add(b.Outstanding)
		}
	}
	pf.Risk = pf.Risk.Round(0)
}

// Refresh assesses the book at asOf and appends a history row for every
// loan whose class differs from its latest recorded one (or has none), so
// the history holds each change once however often it runs.
func Refresh(ctx context.Context, q store.Queryer, p Profile, asOf time.Time) (Portfolio, error) {
	j, err := Judge(ctx, q, p, asOf)
	if err != nil {
		return Portfolio{}, err
	}
	return j.Record(ctx, q)
}

// Judged is the loan book judged in a read, for Record to write under the
// writer: judging every loan takes over a second at 100,000 members, which
// the writer, shared with every member's answer, should not wait for.
type Judged struct {
	Portfolio
	seen marks
}

// marks are the last rows a read saw of what a loan's class is judged on.
// Their ids only grow (nothing there is deleted or edited; a loan closes
// with a payment and reopens with a reversal, and a new schedule comes with
// a payment too), so anything that came later has a larger id.
type marks struct{ loan, payment, collateral, manual int64 }

func readMarks(ctx context.Context, q store.Queryer) (marks, error) {
	var m marks
	if err := q.QueryRowContext(ctx, `SELECT (SELECT coalesce(max(id), 0) FROM loan_loans),
		(SELECT coalesce(max(id), 0) FROM loan_payments), (SELECT coalesce(max(id), 0) FROM kolek_collateral),
		(SELECT coalesce(max(id), 0) FROM kolek_manual)`).Scan(&m.loan, &m.payment, &m.collateral, &m.manual); err != nil {
		return marks{}, fmt.Errorf("kolektibilitas marks: %w", err)
	}
	return m, nil
}

// Judge assesses the book at asOf, in one read transaction, for Record.
func Judge(ctx context.Context, q store.Queryer, p Profile, asOf time.Time) (Judged, error) {
	seen, err := readMarks(ctx, q)
	if err != nil {
		return Judged{}, err
	}
	pf, err := Assess(ctx, q, p, asOf)
	if err != nil {
		return Judged{}, err
	}
	return Judged{Portfolio: pf, seen: seen}, nil
}

// Record appends, in q's write transaction, a history row for every loan
// whose class differs from its latest recorded one, as Refresh does, and
// returns the book as it stands in q. The loans whose facts changed since
// j was judged (a payment or its reversal, a new loan, collateral, a class
// by hand) are judged again here, so nothing posted between the read and
// the write is lost from the history or the figures; the rest are taken as
// read.
func (j Judged) Record(ctx context.Context, q store.Queryer) (Portfolio, error) {
	pf := j.Portfolio
	now, err := readMarks(ctx, q)
	if err != nil {
		return Portfolio{}, err
	}
	if now != j.seen {
		if pf, err = j.meanwhile(ctx, q); err != nil {
			return Portfolio{}, err
		}
	}
	latest, err := latestClasses(ctx, q)
	if err != nil {
		return Portfolio{}, err
	}
	day := pf.AsOf.Format(ledger.DateLayout)
	for _, l := range pf.Loans {
		code := pf.Profile.Classes[l.Class].Code
		if latest[l.ID] == code {
			continue
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO kolek_history (loan_id, on_date, class, dpd, profile, by_hand)
			VALUES (?, ?, ?, ?, ?, ?)`, l.ID, day, code, l.DPD, pf.Profile.Key, l.Manual); err != nil {
			return Portfolio{}, fmt.Errorf("record class of %s: %w", l.Ref, err)
		}
	}
	return pf, nil
}

// changedSince lists the loans with a row past the marks ?1…?4.
const changedSince = `SELECT id FROM loan_loans WHERE id > ?1
	UNION SELECT loan_id FROM loan_payments WHERE id > ?2
	UNION SELECT loan_id FROM kolek_collateral WHERE id > ?3
	UNION SELECT loan_id FROM kolek_manual WHERE id > ?4`

// meanwhile is j's book with the loans that changed since it was judged
// judged again in q: one that is paid off or no longer outstanding leaves
// the book, a new one enters it.
func (j Judged) meanwhile(ctx context.Context, q store.Queryer) (Portfolio, error) {
	rows, err := q.QueryContext(ctx, changedSince, j.seen.loan, j.seen.payment, j.seen.collateral, j.seen.manual)
	if err != nil {
		return Portfolio{}, fmt.Errorf("kolektibilitas: loans changed: %w", err)
	}
	defer rows.Close()
	changed := map[int64]bool{}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return Portfolio{}, fmt.Errorf("kolektibilitas: loans changed: %w", err)
		}
		changed[id] = true
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return Portfolio{}, fmt.Errorf("kolektibilitas: loans changed: %w", err)
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return Portfolio{}, err
	}
	again, err := judge(ctx, q, j.Profile, j.AsOf, ` AND id IN (SELECT value FROM json_each(?2))`, string(list))
	if err != nil {
		return Portfolio{}, err
	}
	loans := make([]Loan, 0, len(j.Loans)+len(again))
	for _, l := range j.Loans {
		if !changed[l.ID] {
			loans = append(loans, l)
		}
	}
	loans = append(loans, again...)
	slices.SortFunc(loans, func(a, b Loan) int { return cmp.Compare(a.ID, b.ID) })
	return book(j.Profile, j.AsOf, loans), nil
}

func latestClasses(ctx context.Context, q store.Queryer) (map[int64]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT h.loan_id, h.class FROM kolek_history h
		WHERE h.id = (SELECT max(id) FROM kolek_history WHERE loan_id = h.loan_id)`)
	if err != nil {
		return nil, fmt.Errorf("latest classes: %w", err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var class string
		if err := rows.Scan(&id, &class); err != nil {
			return nil, fmt.Errorf("latest classes: %w", err)
		}
		out[id] = class
	}
	return out, rows.Err()
}

// Movers lists the class changes recorded in [from, to] of loans that had
// a class before: a new loan's first class is no move.
func Movers(ctx context.Context, q store.Queryer, from, to time.Time) ([]Mover, error) {
	rows, err := q.QueryContext(ctx, `SELECT l.ref, prev.class, h.class, h.on_date, h.dpd FROM kolek_history h
		JOIN loan_loans l ON l.id = h.loan_id
		JOIN kolek_history prev ON prev.id = (SELECT max(id) FROM kolek_history WHERE loan_id = h.loan_id AND id < h.id)
		WHERE h.on_date BETWEEN ? AND ? ORDER BY h.on_date, l.ref`, from.Format(ledger.DateLayout), to.Format(ledger.DateLayout))
	if err != nil {
		return nil, fmt.Errorf("movers: %w", err)
	}
	defer rows.Close()
	var out []Mover
	for rows.Next() {
		var m Mover
		var on string
		if err := rows.Scan(&m.Ref, &m.From, &m.To, &on, &m.DPD); err != nil {
			return nil, fmt.Errorf("movers: %w", err)
		}
		if m.On, err = time.Parse(ledger.DateLayout, on); err != nil {
			return nil, fmt.Errorf("movers: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// History is a loan's recorded classes, oldest first.
func History(ctx context.Context, q store.Queryer, loanID int64) ([]Mover, error) {
	rows, err := q.QueryContext(ctx, `SELECT on_date, class, dpd FROM kolek_history WHERE loan_id = ? ORDER BY id`, loanID)
	if err != nil {
		return nil, fmt.Errorf("history of loan %d: %w", loanID, err)
	}
	defer rows.Close()
	var out []Mover
	prev := ""
	for rows.Next() {
		var m Mover
		var on string
		if err := rows.Scan(&on, &m.To, &m.DPD); err != nil {
			return nil, fmt.Errorf("history of loan %d: %w", loanID, err)
		}
		if m.On, err = time.Parse(ledger.DateLayout, on); err != nil {
			return nil, err
		}
		m.From, prev = prev, m.To
		out = append(out, m)
	}
	return out, rows.Err()
}

// RecordCollateral records the value of a loan's collateral.
func RecordCollateral(ctx context.Context, q store.Queryer, loanID int64, value decimal.Decimal, note, officer string, now time.Time) error {
	v, err := money.ToRupiah(value)
	if err != nil || v < 0 {
		return fmt.Errorf("collateral of loan %d: %s: not a whole Rupiah amount", loanID, value)
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO kolek_collateral (loan_id, value, note, officer_id, at) VALUES (?, ?, ?, ?, ?)`,
		loanID, v, note, officer, store.Stamp(now)); err != nil {
		return fmt.Errorf("collateral of loan %d: %w", loanID, err)
	}
	return nil
}

func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
