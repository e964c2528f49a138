package kolek

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/duty"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/store"
)

// KindManual is the duty proposal kind of a class set by hand.
const KindManual = "kolek"

var (
	// ErrClass is returned for a class code the profile does not have.
	ErrClass = errors.New("no such class")
	// ErrNotWorse is returned for a class by hand no worse than the loan's
	// class now: by hand a loan only goes down (an upgrade comes from its
	// payments).
	ErrNotWorse = errors.New("the class by hand must be worse than the loan's class now")
	// ErrReason is returned for a class by hand without a reason.
	ErrReason = errors.New("a class by hand needs a reason")
	// ErrNotOutstanding is returned for a loan with nothing outstanding.
	ErrNotOutstanding = errors.New("the loan has nothing outstanding")
	// ErrNotManual is returned for a proposal that is not a class by hand.
	ErrNotManual = errors.New("not a class by hand")
)

// Manual is a class by hand, proposed or confirmed.
type Manual struct {
	LoanID int64  `json:"loan_id"`
	Ref    string `json:"ref"`
	Class  string `json:"class"`
	From   string `json:"from"`
	Reason string `json:"reason"`
	// Proposal is the duty proposal that carries it.
	Proposal duty.Proposal `json:"-"`
}

// ProposeManual has officer propose that the loan ref be held at class
// from today, for reason; a second officer confirms it with
// ConfirmManual. The proposal's amount is the loan's outstanding, so the
// group sees what is at stake; key makes proposing idempotent.
func ProposeManual(ctx context.Context, q store.Queryer, p Profile, ref, class, reason, officer, key string,
	now time.Time) (Manual, error) {
	class, reason = strings.ToUpper(strings.TrimSpace(class)), strings.TrimSpace(reason)
	to := p.index(class)
	switch {
	case to < 0:
		return Manual{}, fmt.Errorf("%s %q (%s): %w", p.Key, class, strings.Join(p.Codes(), ", "), ErrClass)
	case reason == "":
		return Manual{}, fmt.Errorf("loan %s: %w", ref, ErrReason)
	}
	l, err := loanNow(ctx, q, p, ref, now)
	if err != nil {
		return Manual{}, err
	}
	if to <= l.Class {
		return Manual{}, fmt.Errorf("loan %s is %s, asked %s: %w", ref, p.Classes[l.Class].Code, class, ErrNotWorse)
	}
	m := Manual{LoanID: l.ID, Ref: l.Ref, Class: class, From: p.Classes[l.Class].Code, Reason: reason}
	detail, err := json.Marshal(m)
	if err != nil {
		return Manual{}, fmt.Errorf("loan %s: %w", ref, err)
	}
	m.Proposal, err = duty.Propose(ctx, q, duty.Proposal{Key: "kolek:" + key, Kind: KindManual, MemberID: l.MemberID,
		Amount: l.Outstanding, Detail: string(detail), Maker: officer, MadeAt: now})
	if err != nil {
		return Manual{}, fmt.Errorf("loan %s: %w", ref, err)
	}
	return m, nil
}

// ConfirmManual has officer, a second officer, confirm proposal id: the
// class holds from today, and the loan's history records the change with
// its reason. duty refuses the maker and a second confirmation.
func ConfirmManual(ctx context.Context, q store.Queryer, p Profile, id int64, officer string, now time.Time) (Manual, error) {
	pr, err := duty.ProposalByID(ctx, q, id)
	if err != nil {
		return Manual{}, err
	}
	m, err := manualOf(pr)
	if err != nil {
		return Manual{}, err
	}
	day := dateOf(now)
	m.Proposal, err = duty.Confirm(ctx, q, id, officer, now, func(duty.Proposal) (int64, error) {
		if _, err := q.ExecContext(ctx, `INSERT INTO kolek_manual (loan_id, class, on_date, reason, proposal_id)
			VALUES (?, ?, ?, ?, ?)`, m.LoanID, m.Class, day.Format(ledger.DateLayout), m.Reason, id); err != nil {
			return 0, fmt.Errorf("class of %s by hand: %w", m.Ref, err)
		}
		_, err := Refresh(ctx, q, p, day)
		return 0, err // it moves no money
	})
	if err != nil {
		return Manual{}, fmt.Errorf("loan %s: %w", m.Ref, err)
	}
	return m, nil
}

// ManualOf reads the class by hand proposal id carries.
func ManualOf(ctx context.Context, q store.Queryer, id int64) (Manual, error) {
	pr, err := duty.ProposalByID(ctx, q, id)
	if err != nil {
		return Manual{}, err
	}
	return manualOf(pr)
}

func manualOf(pr duty.Proposal) (Manual, error) {
	m, err := duty.DetailOf[Manual](pr, KindManual, ErrNotManual)
	if err != nil {
		return Manual{}, err
	}
	m.Proposal = pr
	return m, nil
}

// loanNow is the loan ref as the book stands at the end of today.
func loanNow(ctx context.Context, q store.Queryer, p Profile, ref string, now time.Time) (Loan, error) {
	pf, err := Assess(ctx, q, p, dateOf(now))
	if err != nil {
		return Loan{}, err
	}
	for _, l := range pf.Loans {
		if strings.EqualFold(l.Ref, ref) {
			return l, nil
		}
	}
	return Loan{}, fmt.Errorf("loan %s: %w", ref, ErrNotOutstanding)
}
