package withdraw

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/store"
)

// Quote is what a member may take out now.
type Quote struct {
	Sukarela decimal.Decimal
	// Held is what the member's open requests already take.
	Held    decimal.Decimal
	Minimum decimal.Decimal
	// Available is the most one new request may ask for; zero or less
	// when nothing is.
	Available decimal.Decimal
	// Arrears is the late principal, interest and denda on the member's
	// loans.
	Arrears decimal.Decimal
}

// QuoteFor says what memberID may withdraw as of now, not counting the
// open request except (0: none), which is being decided.
func QuoteFor(ctx context.Context, q store.Queryer, memberID, except int64, now time.Time, r Rules) (Quote, error) {
	bal, err := savings.Summary(ctx, q, memberID)
	if err != nil {
		return Quote{}, fmt.Errorf("withdrawal quote: %w", err)
	}
	var held int64
	if err := q.QueryRowContext(ctx, `SELECT coalesce(sum(amount), 0) FROM withdrawals
		WHERE member_id = ? AND status IN ('pending', 'approved') AND id <> ?`, memberID, except).Scan(&held); err != nil {
		return Quote{}, fmt.Errorf("withdrawal quote: open requests: %w", err)
	}
	ov, err := loan.MemberLoans(ctx, q, memberID, now)
	if err != nil {
		return Quote{}, fmt.Errorf("withdrawal quote: %w", err)
	}
	out := Quote{Sukarela: bal.Sukarela, Held: money.FromRupiah(held), Minimum: r.Minimum, Arrears: decimal.Zero}
	for _, l := range ov.Loans {
		out.Arrears = out.Arrears.Add(l.Overdue).Add(l.Denda)
	}
	out.Available = out.Sukarela.Sub(out.Held).Sub(out.Minimum)
	return out, nil
}

// Allows checks a request of amount against the quote and the rules.
func (qt Quote) Allows(amount decimal.Decimal, r Rules) error {
	switch {
	case !amount.IsPositive() || !amount.IsInteger():
		return fmt.Errorf("%s: %w", amount, ErrAmount)
	case r.BlockArrears && qt.Arrears.IsPositive():
		return fmt.Errorf("arrears %s: %w", qt.Arrears, ErrArrears)
	case amount.GreaterThan(qt.Available):
		return fmt.Errorf("%s of %s available: %w", amount, qt.Available, ErrBelowMinimum)
	}
	return nil
}

// Request is what a member asks for.
type Request struct {
	// Key makes asking idempotent: the member's confirming message.
	Key      string
	MemberID int64
	Amount   decimal.Decimal
	Method   Method
	// Account is the bank account for a transfer: the account on file as
	// shown to the member when OnFile, else as the member typed it.
	Account string
	// OnFile is a transfer to the member's account on file, not to one
	// typed in the chat.
	OnFile bool
	At     time.Time
}

// Ask records the request after checking it, or returns the one its key
// already made (fresh false), whatever the balance is now. Run it in a
// write transaction, so no other request slips between check and insert.
func Ask(ctx context.Context, q store.Queryer, req Request, r Rules) (Withdrawal, bool, error) {
	if old, err := where(ctx, q, `key = ?`, req.Key); err == nil {
		return old, false, nil
	} else if !errors.Is(err, ErrNotFound) {
		return Withdrawal{}, false, err
	}
	req.Account = strings.TrimSpace(req.Account)
	if req.Method != Cash && (req.Method != Transfer || req.Account == "") {
		return Withdrawal{}, false, fmt.Errorf("withdrawal by %q to %q: %w", req.Method, req.Account, ErrMethod)
	}
	if req.Method == Cash {
		req.Account, req.OnFile = "", false
	}
	if req.OnFile {
		m, err := member.ByID(ctx, q, req.MemberID)
		if err != nil {
			return Withdrawal{}, false, fmt.Errorf("withdrawal of member %d: %w", req.MemberID, err)
		}
		if m.Bank.String() != req.Account {
			return Withdrawal{}, false, fmt.Errorf("withdrawal to %q, on file %q: %w", req.Account, m.Bank, ErrAccountChanged)
		}
	}
	qt, err := QuoteFor(ctx, q, req.MemberID, 0, req.At, r)
	if err != nil {
		return Withdrawal{}, false, err
	}
	if err := qt.Allows(req.Amount, r); err != nil {
		return Withdrawal{}, false, fmt.Errorf("withdrawal of member %d: %w", req.MemberID, err)
	}
	var id int64
	if err := q.QueryRowContext(ctx, `INSERT INTO withdrawals (key, member_id, amount, method, account, on_file, requested_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, req.Key, req.MemberID, req.Amount.IntPart(), string(req.Method),
		req.Account, req.OnFile, store.Stamp(req.At)).Scan(&id); err != nil {
		return Withdrawal{}, false, fmt.Errorf("record withdrawal of member %d: %w", req.MemberID, err)
	}
	w, err := ByID(ctx, q, id)
	return w, true, err
}

// ByID returns a request.
func ByID(ctx context.Context, q store.Queryer, id int64) (Withdrawal, error) {
	return where(ctx, q, `id = ?`, id)
}

// OpenOf lists the member's requests not yet posted, rejected or
// cancelled, oldest first.
func OpenOf(ctx context.Context, q store.Queryer, memberID int64) ([]Withdrawal, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+columns+` FROM withdrawals WHERE member_id = ? AND status IN ('pending', 'approved')
		ORDER BY id`, memberID)
	if err != nil {
		return nil, fmt.Errorf("open withdrawals of member %d: %w", memberID, err)
	}
	defer rows.Close()
	var out []Withdrawal
	for rows.Next() {
		w, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("open withdrawals of member %d: %w", memberID, err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

const columns = `id, key, member_id, amount, method, account, on_file, status, requested_at, approved_by, decided_by,
	coalesce(tx_id, 0), reason`

func scan(row interface{ Scan(...any) error }) (Withdrawal, error) {
	var w Withdrawal
	var amount int64
	var method, status, at string
	err := row.Scan(&w.ID, &w.Key, &w.MemberID, &amount, &method, &w.Account, &w.OnFile, &status, &at, &w.ApprovedBy, &w.DecidedBy,
		&w.TxID, &w.Reason)
	if errors.Is(err, sql.ErrNoRows) {
		return Withdrawal{}, ErrNotFound
	}
	if err != nil {
		return Withdrawal{}, err
	}
	w.Amount, w.Method, w.Status = money.FromRupiah(amount), Method(method), Status(status)
	if w.At, err = time.Parse(store.StampLayout, at); err != nil {
		return Withdrawal{}, fmt.Errorf("withdrawal %d: time %q: %w", w.ID, at, err)
	}
	return w, nil
}

func where(ctx context.Context, q store.Queryer, cond string, args ...any) (Withdrawal, error) {
	w, err := scan(q.QueryRowContext(ctx, `SELECT `+columns+` FROM withdrawals WHERE `+cond, args...))
	if err != nil {
		return Withdrawal{}, fmt.Errorf("withdrawal %v: %w", args, err)
	}
	return w, nil
}
