package withdraw

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/store"
)

// ErrNotApproved is paying out cash for a request no officer approved yet.
var ErrNotApproved = errors.New("withdrawal not approved yet")

// Decision is an officer's act on a request.
type Decision struct {
	ID        int64
	OfficerID string
	Role      loan.Role
	At        time.Time
}

// Approve approves a pending request: a transfer is posted at once (the
// officer sends it from the bank), cash waits for PayOut. The checks of
// the request are made again, since the balance or the loans may have
// changed since the member asked. Run it in a write transaction.
func Approve(ctx context.Context, q store.Queryer, d Decision, r Rules) (Withdrawal, ledger.Tx, error) {
	w, tx, err := approve(ctx, q, d, r)
	if err != nil {
		return w, ledger.Tx{}, fmt.Errorf("approve withdrawal %d by %s: %w", d.ID, d.OfficerID, err)
	}
	return w, tx, nil
}

func approve(ctx context.Context, q store.Queryer, d Decision, r Rules) (Withdrawal, ledger.Tx, error) {
	w, err := ByID(ctx, q, d.ID)
	switch {
	case err != nil:
		return Withdrawal{}, ledger.Tx{}, err
	case w.Status != Pending:
		return w, ledger.Tx{}, &DecidedError{W: w}
	case w.NeedsManager(r) && d.Role != loan.RoleManajer:
		return w, ledger.Tx{}, fmt.Errorf("%s above %s: %w", w.Amount, r.ManagerLimit, ErrNeedsManager)
	}
	qt, err := QuoteFor(ctx, q, w.MemberID, w.ID, d.At, r)
	if err != nil {
		return w, ledger.Tx{}, err
	}
	if err := qt.Allows(w.Amount, r); err != nil {
		return w, ledger.Tx{}, err
	}
	if w.Method == Transfer {
		return post(ctx, q, w, d, Pending, r)
	}
	res, err := q.ExecContext(ctx, `UPDATE withdrawals SET status = 'approved', approved_by = ?, approved_at = ?
		WHERE id = ? AND status = 'pending'`, d.OfficerID, store.Stamp(d.At), w.ID)
	if err := store.OneRow(res, err); err != nil {
		return w, ledger.Tx{}, fmt.Errorf("mark approved: %w", err)
	}
	w.Status, w.ApprovedBy = Approved, d.OfficerID
	return w, ledger.Tx{}, nil
}

// PayOut records an approved cash request as paid at the office and posts
// it. A second call finds it posted (*DecidedError). Run it in a write
// transaction.
func PayOut(ctx context.Context, q store.Queryer, d Decision, r Rules) (Withdrawal, ledger.Tx, error) {
	w, err := ByID(ctx, q, d.ID)
	switch {
	case err != nil:
		return Withdrawal{}, ledger.Tx{}, fmt.Errorf("pay out withdrawal %d: %w", d.ID, err)
	case w.Status == Pending:
		return w, ledger.Tx{}, fmt.Errorf("pay out %s: %w", w.Ref(), ErrNotApproved)
	case w.Status != Approved:
		return w, ledger.Tx{}, &DecidedError{W: w}
	}
	w, tx, err := post(ctx, q, w, d, Approved, r)
	if err != nil {
		return w, ledger.Tx{}, fmt.Errorf("pay out %s by %s: %w", w.Ref(), d.OfficerID, err)
	}
	return w, tx, nil
}

// post takes the amount out of the member's sukarela into the cash desk
// or the bank, under the request's own key, and marks it posted.
func post(ctx context.Context, q store.Queryer, w Withdrawal, d Decision, from Status, r Rules) (Withdrawal, ledger.Tx, error) {
	mv := savings.Movement{Key: w.LedgerKey(), MemberID: w.MemberID, Kind: savings.Sukarela, Amount: w.Amount,
		ValueDate: d.At, Actor: d.OfficerID, Memo: "Penarikan simpanan sukarela " + w.Ref() + ", tunai di kantor"}
	if w.Method == Transfer {
		// The account stays with the request, not in the books: a member
		// who is erased leaves no account number in a ledger memo.
		mv.Account, mv.Memo = r.BankAccount, "Penarikan simpanan sukarela "+w.Ref()+", transfer ke rekening anggota"
	}
	tx, err := savings.Withdraw(ctx, q, mv)
	if err != nil {
		return w, ledger.Tx{}, err
	}
	approver := w.ApprovedBy
	if approver == "" {
		approver = d.OfficerID
	}
	res, err := q.ExecContext(ctx, `UPDATE withdrawals SET status = 'posted', approved_by = ?,
		approved_at = coalesce(approved_at, ?), decided_by = ?, decided_at = ?, tx_id = ? WHERE id = ? AND status = ?`,
		approver, store.Stamp(d.At), d.OfficerID, store.Stamp(d.At), tx.ID, w.ID, string(from))
	if err := store.OneRow(res, err); err != nil {
		return w, ledger.Tx{}, fmt.Errorf("mark posted: %w", err)
	}
	w.Status, w.ApprovedBy, w.DecidedBy, w.TxID = Posted, approver, d.OfficerID, tx.ID
	return w, tx, nil
}

// Reject refuses an open request with the reason the member reads.
func Reject(ctx context.Context, q store.Queryer, d Decision, reason string) (Withdrawal, error) {
	w, err := end(ctx, q, d.ID, 0, Rejected, d.OfficerID, reason, d.At)
	if err != nil {
		return w, fmt.Errorf("reject withdrawal %d by %s: %w", d.ID, d.OfficerID, err)
	}
	return w, nil
}

// Cancel withdraws the member's own open request before it is posted.
func Cancel(ctx context.Context, q store.Queryer, memberID, id int64, at time.Time) (Withdrawal, error) {
	w, err := end(ctx, q, id, memberID, Cancelled, "", "", at)
	if err != nil {
		return w, fmt.Errorf("cancel withdrawal %d of member %d: %w", id, memberID, err)
	}
	return w, nil
}

// end ends an open request as status; memberID, when not 0, must own it.
func end(ctx context.Context, q store.Queryer, id, memberID int64, status Status, officerID, reason string, at time.Time) (Withdrawal, error) {
	w, err := ByID(ctx, q, id)
	switch {
	case err != nil:
		return Withdrawal{}, err
	case memberID != 0 && w.MemberID != memberID:
		return Withdrawal{}, ErrNotFound
	case !w.Status.Open():
		return w, &DecidedError{W: w}
	}
	res, err := q.ExecContext(ctx, `UPDATE withdrawals SET status = ?, decided_by = ?, decided_at = ?, reason = ?
		WHERE id = ? AND status IN ('pending', 'approved')`, string(status), officerID, store.Stamp(at), reason, id)
	if err := store.OneRow(res, err); err != nil {
		return w, err
	}
	w.Status, w.Reason = status, reason
	if officerID != "" {
		w.DecidedBy = officerID
	}
	return w, nil
}
