package duty

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/store"
)

// Proposal is money one officer asked to move, waiting for a second.
type Proposal struct {
	ID int64
	// Key makes proposing idempotent: the maker's message.
	Key  string
	Kind string
	// MemberID is the member concerned; 0 for the cooperative's own money
	// (a journal entry) or a decision about a loan that posts nothing.
	MemberID int64
	Amount   decimal.Decimal
	// Detail is the caller's, e.g. the kind of savings.
	Detail  string
	Maker   string
	MadeAt  time.Time
	Status  string
	Checker string
	// TxID is the ledger transaction the confirmation posted, 0 for a
	// decision that posts nothing.
	TxID int64
	// Replayed is set when Propose found the key already proposed.
	Replayed bool
}

// The statuses of a proposal.
const (
	StatusOpen      = "open"
	StatusConfirmed = "confirmed"
)

const proposalColumns = `id, key, kind, coalesce(member_id, 0), amount, detail, maker, made_at, status, coalesce(checker, ''), coalesce(tx_id, 0)`

func scanProposal(row interface{ Scan(...any) error }) (Proposal, error) {
	var p Proposal
	var amount int64
	var made string
	err := row.Scan(&p.ID, &p.Key, &p.Kind, &p.MemberID, &amount, &p.Detail, &p.Maker, &made, &p.Status, &p.Checker, &p.TxID)
	if errors.Is(err, sql.ErrNoRows) {
		return Proposal{}, ErrNotFound
	}
	if err != nil {
		return Proposal{}, err
	}
	p.Amount = decimal.NewFromInt(amount)
	if p.MadeAt, err = time.Parse(store.StampLayout, made); err != nil {
		return Proposal{}, fmt.Errorf("proposal %d: time %q: %w", p.ID, made, err)
	}
	return p, nil
}

// Propose records p as waiting for a second officer and returns it with
// its id; the same key again returns the first proposal, Replayed.
func Propose(ctx context.Context, q store.Queryer, p Proposal) (Proposal, error) {
	if !p.Amount.IsPositive() || !p.Amount.IsInteger() || p.Maker == "" || p.Kind == "" || p.Key == "" {
		return Proposal{}, fmt.Errorf("propose %s %s by %q: incomplete", p.Kind, p.Amount, p.Maker)
	}
	old, err := scanProposal(q.QueryRowContext(ctx, `SELECT `+proposalColumns+` FROM duty_proposals WHERE key = ?`, p.Key))
	if err == nil {
		old.Replayed = true
		return old, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return Proposal{}, fmt.Errorf("propose %s: %w", p.Key, err)
	}
	if err := q.QueryRowContext(ctx, `INSERT INTO duty_proposals (key, kind, member_id, amount, detail, maker, made_at)
		VALUES (?, ?, nullif(?, 0), ?, ?, ?, ?) RETURNING id`, p.Key, p.Kind, p.MemberID, p.Amount.IntPart(), p.Detail, p.Maker,
		store.Stamp(p.MadeAt)).Scan(&p.ID); err != nil {
		return Proposal{}, fmt.Errorf("propose %s: %w", p.Key, err)
	}
	p.Status = StatusOpen
	return p, nil
}

// ProposalByID finds a proposal.
func ProposalByID(ctx context.Context, q store.Queryer, id int64) (Proposal, error) {
	p, err := scanProposal(q.QueryRowContext(ctx, `SELECT `+proposalColumns+` FROM duty_proposals WHERE id = ?`, id))
	if err != nil {
		return Proposal{}, fmt.Errorf("proposal %d: %w", id, err)
	}
	return p, nil
}

// DetailOf decodes p's detail, JSON of a T, for a package whose proposals
// are of kind; a proposal of another kind is errKind.
func DetailOf[T any](p Proposal, kind string, errKind error) (T, error) {
	var d T
	if p.Kind != kind {
		return d, fmt.Errorf("proposal %d is a %s: %w", p.ID, p.Kind, errKind)
	}
	if err := json.Unmarshal([]byte(p.Detail), &d); err != nil {
		return d, fmt.Errorf("proposal %d: detail: %w", p.ID, err)
	}
	return d, nil
}

// Confirm has checker confirm proposal id and carries it out with post,
// which returns the ledger transaction it posted (0: none); both happen in q's
// transaction, so a failed post leaves the proposal open. The maker never
// confirms their own proposal (ErrSameOfficer), and a proposal is carried
// out once (ErrSettled, with who confirmed it).
func Confirm(ctx context.Context, q store.Queryer, id int64, checker string, now time.Time,
	post func(Proposal) (int64, error)) (Proposal, error) {
	p, err := ProposalByID(ctx, q, id)
	if err != nil {
		return Proposal{}, err
	}
	switch {
	case p.Status != StatusOpen:
		return p, fmt.Errorf("proposal %d %s by %s: %w", id, p.Status, p.Checker, ErrSettled)
	case p.Maker == checker:
		return p, fmt.Errorf("proposal %d by %s: %w", id, checker, ErrSameOfficer)
	}
	txID, err := post(p)
	if err != nil {
		return p, fmt.Errorf("carry out proposal %d: %w", id, err)
	}
	// A proposal carried out without a posting of its own (a cash
	// withdrawal approved, to be paid at the desk later) keeps no tx.
	var tx any
	if txID > 0 {
		tx = txID
	}
	res, err := q.ExecContext(ctx, `UPDATE duty_proposals SET status = 'confirmed', checker = ?, checked_at = ?, tx_id = ?
		WHERE id = ? AND status = 'open'`, checker, store.Stamp(now), tx, id)
	if err != nil {
		return p, fmt.Errorf("confirm proposal %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return p, fmt.Errorf("confirm proposal %d: changed meanwhile: %w", id, ErrSettled)
	}
	p.Status, p.Checker, p.TxID = StatusConfirmed, checker, txID
	return p, nil
}
