package loan

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// Status is where an application stands.
type Status string

// An application moves pending → approved → disbursed, or pending →
// rejected, or pending → info_requested → pending (once the member answers),
// or to cancelled by the member before it is approved. Above the
// maker-checker threshold the first approval moves it to awaiting_second.
const (
	StatusPending        Status = "pending"
	StatusInfoRequested  Status = "info_requested"
	StatusAwaitingSecond Status = "awaiting_second"
	StatusApproved       Status = "approved"
	StatusRejected       Status = "rejected"
	StatusCancelled      Status = "cancelled"
	StatusDisbursed      Status = "disbursed"
)

// Undecided reports whether officers can still decide an application in s.
func (s Status) Undecided() bool {
	return s == StatusPending || s == StatusInfoRequested || s == StatusAwaitingSecond
}

// inProgress reports whether an application in s still leads to a loan, so
// the member may not make another.
func (s Status) inProgress() bool { return s.Undecided() || s == StatusApproved }

// Terms are what an application copies from its product, so a loan keeps
// the terms it was granted on whatever the catalog says later.
type Terms struct {
	Method              Method
	RatePerMonth        decimal.Decimal
	PenaltyPerDay       decimal.Decimal
	GraceDays           int
	FirstDueAfterMonths int
	// Settlement has the method's defaults filled in.
	Settlement Settlement
}

// termColumns are Terms as stored, in the order scanTerms reads them; the
// caller prefixes the application table's alias.
const termColumns = `method, rate_per_month, penalty_per_day, grace_days, first_due_months,
	settle_policy, settle_fee, settle_discount, prepayment, round_to`

func prefixed(alias, columns string) string {
	parts := strings.Split(columns, ",")
	for i, c := range parts {
		parts[i] = alias + "." + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

// termsScan returns the scan targets for termColumns and a finish that
// parses the decimal text into t.
func termsScan(t *Terms) ([]any, func() error) {
	var rate, penalty, fee, discount string
	targets := []any{&t.Method, &rate, &penalty, &t.GraceDays, &t.FirstDueAfterMonths,
		&t.Settlement.Policy, &fee, &discount, &t.Settlement.Prepayment, &t.Settlement.RoundTo}
	return targets, func() error {
		for _, f := range []struct {
			name string
			text string
			into *decimal.Decimal
		}{{"rate", rate, &t.RatePerMonth}, {"denda", penalty, &t.PenaltyPerDay},
			{"settlement fee", fee, &t.Settlement.FeeRate}, {"settlement discount", discount, &t.Settlement.DiscountRate}} {
			v, err := decimal.NewFromString(f.text)
			if err != nil {
				return fmt.Errorf("%s %q: %w", f.name, f.text, err)
			}
			*f.into = v
		}
		t.Settlement = t.Settlement.resolved(t.Method)
		return nil
	}
}

// Application is a member's loan application.
type Application struct {
	ID            int64
	Ref           string // PJ-2611-0007
	Key           string
	MemberID      int64
	Product       string // the product's code
	ProductName   string
	Terms         Terms
	Amount        decimal.Decimal
	Tenor         int
	Purpose       string
	Status        Status
	FirstApprover string // the officer whose approval awaits a second one
	AppliedAt     time.Time
	UpdatedAt     time.Time
	// Replayed is true when Apply found the same request already made.
	Replayed bool
}

// instantLayout stores instants in UTC with a fixed width, so text order is
// time order.
const instantLayout = "2006-01-02T15:04:05.000Z"

func instant(t time.Time) string { return t.UTC().Format(instantLayout) }

const applicationColumns = `id, ref, idem_key, member_id, product, product_name, ` + termColumns + `,
	amount, tenor, purpose, status, first_approver, applied_at, updated_at`

func scanApplication(row scanner) (Application, error) {
	var a Application
	var applied, updated string
	var amount int64
	terms, parseTerms := termsScan(&a.Terms)
	targets := append(append([]any{&a.ID, &a.Ref, &a.Key, &a.MemberID, &a.Product, &a.ProductName}, terms...),
		&amount, &a.Tenor, &a.Purpose, &a.Status, &a.FirstApprover, &applied, &updated)
	if err := row.Scan(targets...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return Application{}, ErrNotFound
		}
		return Application{}, err
	}
	a.Amount = money.FromRupiah(amount)
	err := parseTerms()
	if err != nil {
		return Application{}, fmt.Errorf("application %s: %w", a.Ref, err)
	}
	if a.AppliedAt, err = time.Parse(instantLayout, applied); err != nil {
		return Application{}, fmt.Errorf("application %s: applied_at %q: %w", a.Ref, applied, err)
	}
	if a.UpdatedAt, err = time.Parse(instantLayout, updated); err != nil {
		return Application{}, fmt.Errorf("application %s: updated_at %q: %w", a.Ref, updated, err)
	}
	return a, nil
}

// ApplicationByRef returns the application with the given reference.
func ApplicationByRef(ctx context.Context, q store.Queryer, ref string) (Application, error) {
	a, err := scanApplication(q.QueryRowContext(ctx, `SELECT `+applicationColumns+` FROM loan_applications WHERE ref = ?`, ref))
	if err != nil {
		return Application{}, fmt.Errorf("application %s: %w", ref, err)
	}
	return a, nil
}

// Pending returns the applications officers can still decide (pending,
// awaiting a second approval, or waiting for the member's answer), oldest
// first: the officers' queue.
func Pending(ctx context.Context, q store.Queryer) ([]Application, error) {
	apps, err := applications(ctx, q, `WHERE status IN ('pending', 'awaiting_second', 'info_requested') ORDER BY applied_at, id`)
	if err != nil {
		return nil, fmt.Errorf("pending applications: %w", err)
	}
	return apps, nil
}

// applications reads the applications the SQL tail selects.
func applications(ctx context.Context, q store.Queryer, tail string, args ...any) ([]Application, error) {
	return collect(ctx, q, `SELECT `+applicationColumns+` FROM loan_applications `+tail, scanApplication, args...)
}

// setStatus moves the application from the status it was read in to next.
// The WHERE on the old status makes the check and the change one atomic
// step: of two officers deciding at once, only one changes anything.
func setStatus(ctx context.Context, q store.Queryer, a Application, next Status, firstApprover string, now time.Time) (bool, error) {
	res, err := q.ExecContext(ctx, `UPDATE loan_applications SET status = ?, first_approver = ?, updated_at = ?
		WHERE id = ? AND status = ? AND first_approver = ?`,
		string(next), firstApprover, instant(now), a.ID, string(a.Status), a.FirstApprover)
	if err != nil {
		return false, fmt.Errorf("set status of %s to %s: %w", a.Ref, next, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("set status of %s to %s: %w", a.Ref, next, err)
	}
	return n == 1, nil
}
