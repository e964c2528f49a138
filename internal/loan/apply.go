package loan

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// Request is a member's confirmed application.
type Request struct {
	// Key makes Apply idempotent: the member's confirming message id.
	Key      string
	MemberID int64
	Product  string
	Amount   decimal.Decimal
	Tenor    int
	Purpose  string
	Now      time.Time
}

// Apply records the member's application as pending after checking
// eligibility; a broken rule is a *RefusedError (errors.Is ErrNotEligible)
// carrying every refusal. The same Key again returns the stored application
// with Replayed set, whatever has happened to it since; the same Key for a
// different request is ErrKeyConflict. The reference counts applications per
// month of r.Now: PJ-2611-0007 is November 2026's seventh.
func Apply(ctx context.Context, q store.Queryer, r Request, cat Catalog, pol Policy) (Application, error) {
	a, err := apply(ctx, q, r, cat, pol)
	if err != nil {
		return Application{}, fmt.Errorf("apply %s: %w", r.Key, err)
	}
	return a, nil
}

func apply(ctx context.Context, q store.Queryer, r Request, cat Catalog, pol Policy) (Application, error) {
	if strings.TrimSpace(r.Key) == "" {
		return Application{}, fmt.Errorf("key: %w", ErrMissing)
	}
	prev, err := scanApplication(q.QueryRowContext(ctx, `SELECT `+applicationColumns+` FROM loan_applications
		WHERE idem_key = ?`, r.Key))
	switch {
	case err == nil:
		if prev.MemberID != r.MemberID || !strings.EqualFold(prev.Product, r.Product) ||
			!prev.Amount.Equal(r.Amount) || prev.Tenor != r.Tenor {
			return Application{}, fmt.Errorf("used by %s: %w", prev.Ref, ErrKeyConflict)
		}
		prev.Replayed = true
		return prev, nil
	case !errors.Is(err, ErrNotFound):
		return Application{}, err
	}
	if !wholePositive(r.Amount) {
		return Application{}, fmt.Errorf("amount %s: %w", r.Amount, ErrAmount)
	}
	if r.Tenor < 1 {
		return Application{}, fmt.Errorf("%d months: %w", r.Tenor, ErrTenor)
	}
	c, err := eligibility(ctx, q, r.MemberID, r.Product, r.Amount, r.Tenor, r.Now, cat, pol)
	if err != nil {
		return Application{}, err
	}
	if !c.OK() {
		return Application{}, &RefusedError{Check: c}
	}
	p := c.Product
	month := r.Now.Format("0601")
	var seq int
	if err := q.QueryRowContext(ctx, `SELECT coalesce(max(ref_seq), 0) + 1 FROM loan_applications WHERE ref_month = ?`,
		month).Scan(&seq); err != nil {
		return Application{}, fmt.Errorf("next reference: %w", err)
	}
	a := Application{Ref: fmt.Sprintf("PJ-%s-%04d", month, seq), Key: r.Key, MemberID: r.MemberID,
		Product: p.Code, ProductName: p.Name, Amount: r.Amount, Tenor: r.Tenor, Purpose: strings.TrimSpace(r.Purpose),
		Status: StatusPending, AppliedAt: r.Now.UTC().Truncate(time.Millisecond),
		Terms: Terms{Method: p.Method, RatePerMonth: p.RatePerMonth, PenaltyPerDay: p.PenaltyPerDay,
			GraceDays: p.GraceDays, FirstDueAfterMonths: pol.FirstDueAfterMonths,
			Settlement: p.Settlement.resolved(p.Method)}}
	a.UpdatedAt = a.AppliedAt
	if err := q.QueryRowContext(ctx, `INSERT INTO loan_applications (ref, ref_month, ref_seq, idem_key, member_id,
		product, product_name, `+termColumns+`, amount, tenor,
		purpose, status, applied_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		a.Ref, month, seq, a.Key, a.MemberID, a.Product, a.ProductName, string(a.Terms.Method),
		a.Terms.RatePerMonth.String(), a.Terms.PenaltyPerDay.String(), a.Terms.GraceDays, a.Terms.FirstDueAfterMonths,
		string(a.Terms.Settlement.Policy), a.Terms.Settlement.FeeRate.String(), a.Terms.Settlement.DiscountRate.String(),
		string(a.Terms.Settlement.Prepayment), a.Terms.Settlement.RoundTo,
		a.Amount.IntPart(), a.Tenor, a.Purpose, string(a.Status), instant(a.AppliedAt), instant(a.UpdatedAt)).
		Scan(&a.ID); err != nil {
		return Application{}, fmt.Errorf("insert %s: %w", a.Ref, err)
	}
	return a, nil
}

// AddInfo attaches the member's answer to an officer's question and puts
// the application back in the officers' queue (pending). Only the
// applicant can answer, and only while info is requested (ErrStatus).
func AddInfo(ctx context.Context, q store.Queryer, ref string, memberID int64, text string, now time.Time) (Application, error) {
	a, err := memberMove(ctx, q, ref, memberID, now, func(a Application) (Status, error) {
		if a.Status != StatusInfoRequested {
			return "", fmt.Errorf("no information asked, status %s: %w", a.Status, ErrStatus)
		}
		if strings.TrimSpace(text) == "" {
			return "", fmt.Errorf("empty answer: %w", ErrMissing)
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO loan_info (application_id, text, at) VALUES (?, ?, ?)`,
			a.ID, strings.TrimSpace(text), instant(now)); err != nil {
			return "", err
		}
		return StatusPending, nil
	})
	if err != nil {
		return Application{}, fmt.Errorf("add info to %s: %w", ref, err)
	}
	return a, nil
}

// Cancel withdraws the member's application while officers have not
// approved it yet (pending, info_requested or awaiting_second); later it is
// ErrStatus. Cancelling a cancelled application changes nothing.
func Cancel(ctx context.Context, q store.Queryer, ref string, memberID int64, now time.Time) (Application, error) {
	a, err := memberMove(ctx, q, ref, memberID, now, func(a Application) (Status, error) {
		if !a.Status.Undecided() && a.Status != StatusCancelled {
			return "", fmt.Errorf("status %s: %w", a.Status, ErrStatus)
		}
		return StatusCancelled, nil
	})
	if err != nil {
		return Application{}, fmt.Errorf("cancel %s: %w", ref, err)
	}
	return a, nil
}

// memberMove applies a member's action to their own application: decide
// returns the next status, having done any writing of its own.
func memberMove(ctx context.Context, q store.Queryer, ref string, memberID int64, now time.Time,
	decide func(Application) (Status, error)) (Application, error) {
	a, err := ApplicationByRef(ctx, q, ref)
	if err != nil {
		return Application{}, err
	}
	if a.MemberID != memberID {
		return Application{}, ErrNotYours
	}
	next, err := decide(a)
	if err != nil {
		return Application{}, err
	}
	if next == a.Status {
		return a, nil
	}
	ok, err := setStatus(ctx, q, a, next, "", now)
	if err != nil {
		return Application{}, err
	}
	if !ok {
		return Application{}, fmt.Errorf("changed meanwhile: %w", ErrStatus)
	}
	return ApplicationByRef(ctx, q, ref)
}
