package payment

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/store"
)

// Status is where a proof stands.
type Status string

// The statuses of a proof.
const (
	Pending  Status = "pending"
	Posted   Status = "posted"
	Rejected Status = "rejected"
)

// Proof is a transfer proof a member sent.
type Proof struct {
	ID        int64
	MemberID  int64
	MessageID string
	File      channel.Attachment
	Caption   string
	Reading
	Status     Status
	OfficerID  string
	DecidedAt  time.Time
	TxID       int64
	Reason     string
	ReceivedAt time.Time
	AskedAt    time.Time
}

// Ref is how officers and members name a proof: BT-17 (bukti transfer).
func (p Proof) Ref() string { return "BT-" + strconv.FormatInt(p.ID, 10) }

// Key is the ledger idempotency key of the proof's booking: one proof,
// one posting, whoever presses and however often.
func (p Proof) Key() string { return "proof:" + p.Ref() }

// ParseRef reads "BT-17" (any case, "#" allowed) as a proof id.
func ParseRef(s string) (int64, bool) {
	s = strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "#")
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "BT-"), 10, 64)
	return id, err == nil && id > 0 && strings.HasPrefix(s, "BT-")
}

// Record stores a proof once per message: a redelivered photo finds the
// proof its first delivery made (fresh false).
func Record(ctx context.Context, q store.Queryer, p Proof) (Proof, bool, error) {
	var amount any
	if p.Amount.IsPositive() {
		amount = p.Amount.IntPart()
	}
	res, err := q.ExecContext(ctx, `INSERT INTO payment_proofs (member_id, message_id, sha256, path, mime, size, caption,
		amount, purpose, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING`,
		p.MemberID, p.MessageID, p.File.SHA256, p.File.Path, p.File.MIME, p.File.Size, p.Caption, amount,
		string(p.Purpose), store.Stamp(p.ReceivedAt))
	if err != nil {
		return Proof{}, false, fmt.Errorf("record proof of message %s: %w", p.MessageID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return Proof{}, false, fmt.Errorf("record proof of message %s: %w", p.MessageID, err)
	}
	got, err := proofWhere(ctx, q, `message_id = ?`, p.MessageID)
	return got, n == 1, err
}

// ByID returns a proof.
func ByID(ctx context.Context, q store.Queryer, id int64) (Proof, error) {
	return proofWhere(ctx, q, `id = ?`, id)
}

const proofColumns = `id, member_id, message_id, sha256, path, mime, size, caption, coalesce(amount, 0), purpose, status,
	officer_id, coalesce(decided_at, ''), coalesce(tx_id, 0), reason, received_at, coalesce(asked_at, '')`

func proofWhere(ctx context.Context, q store.Queryer, where string, args ...any) (Proof, error) {
	var p Proof
	var amount int64
	var purpose, status, decided, received, asked string
	err := q.QueryRowContext(ctx, `SELECT `+proofColumns+` FROM payment_proofs WHERE `+where, args...).Scan(&p.ID,
		&p.MemberID, &p.MessageID, &p.File.SHA256, &p.File.Path, &p.File.MIME, &p.File.Size, &p.Caption, &amount, &purpose,
		&status, &p.OfficerID, &decided, &p.TxID, &p.Reason, &received, &asked)
	if errors.Is(err, sql.ErrNoRows) {
		return Proof{}, fmt.Errorf("proof %v: %w", args, ErrNoProof)
	}
	if err != nil {
		return Proof{}, fmt.Errorf("proof %v: %w", args, err)
	}
	p.Amount, p.Purpose, p.Status = money.FromRupiah(amount), Purpose(purpose), Status(status)
	p.File.Kind = channel.Document
	if strings.HasPrefix(p.File.MIME, "image/") {
		p.File.Kind = channel.Image
	}
	p.File.Name = p.Ref() + extension(p.File.MIME)
	for _, f := range []struct {
		s string
		t *time.Time
	}{{decided, &p.DecidedAt}, {received, &p.ReceivedAt}, {asked, &p.AskedAt}} {
		if f.s == "" {
			continue
		}
		if *f.t, err = time.Parse(time.RFC3339Nano, f.s); err != nil {
			return Proof{}, fmt.Errorf("proof %d: time %q: %w", p.ID, f.s, err)
		}
	}
	return p, nil
}

// DecidedError is a press on a proof or a statement line another press
// already decided.
type DecidedError struct {
	Ref       string
	Status    Status
	OfficerID string
}

func (e *DecidedError) Error() string {
	return fmt.Sprintf("%s already %s by %s", e.Ref, e.Status, e.OfficerID)
}

// Decided is the error of a press on p once it is decided.
func (p Proof) Decided() *DecidedError {
	return &DecidedError{Ref: p.Ref(), Status: p.Status, OfficerID: p.OfficerID}
}

// Booking is an officer's confirmation of what a proof pays.
type Booking struct {
	ProofID   int64
	Purpose   Purpose
	Amount    decimal.Decimal
	OfficerID string
	On        time.Time
	// Account is where the transfer landed: a bank account's ledger code,
	// or "" for the cash box when the cooperative configured no bank.
	Account string
}

// Booked is what a booking posted: a loan receipt for an angsuran, the
// savings transaction otherwise.
type Booked struct {
	Proof   Proof
	Loan    loan.Receipt
	Savings ledger.Tx
	Kind    savings.Kind
}

// Book posts the proof as b says, once: the first booking moves the proof
// to posted in the same transaction as the posting, and any later one is a
// *DecidedError naming who decided. The ledger memo names the proof. Run it
// in a write transaction.
func Book(ctx context.Context, q store.Queryer, b Booking) (Booked, error) {
	out, err := book(ctx, q, b)
	if err != nil {
		return Booked{}, fmt.Errorf("book proof %d as %s %s: %w", b.ProofID, b.Purpose, b.Amount, err)
	}
	return out, nil
}

func book(ctx context.Context, q store.Queryer, b Booking) (Booked, error) {
	p, err := ByID(ctx, q, b.ProofID)
	switch {
	case err != nil:
		return Booked{}, err
	case p.Status != Pending:
		return Booked{}, p.Decided()
	case !b.Amount.IsPositive() || !b.Amount.Equal(b.Amount.Floor()):
		return Booked{}, ErrAmount
	}
	out := Booked{Proof: p}
	var txID int64
	switch b.Purpose {
	case Angsuran:
		out.Loan, err = loan.Repay(ctx, q, loan.Payment{Key: p.Key(), MemberID: p.MemberID, Amount: b.Amount, On: b.On,
			OfficerID: b.OfficerID, Memo: "Angsuran, bukti transfer " + p.Ref(), Account: b.Account})
		txID = out.Loan.TxID
	case Wajib, Sukarela, Pokok:
		out.Kind = savings.Kind(b.Purpose)
		out.Savings, err = savings.Deposit(ctx, q, savings.Movement{Key: p.Key(), MemberID: p.MemberID, Kind: out.Kind,
			Amount: b.Amount, ValueDate: b.On, Actor: b.OfficerID, Memo: "Setoran " + string(b.Purpose) + ", bukti transfer " + p.Ref(),
			Account: b.Account})
		txID = out.Savings.ID
	default:
		return Booked{}, fmt.Errorf("%q: %w", b.Purpose, ErrPurpose)
	}
	if err != nil {
		return Booked{}, err
	}
	res, err := q.ExecContext(ctx, `UPDATE payment_proofs SET status = 'posted', officer_id = ?, decided_at = ?, tx_id = ?,
		purpose = ?, amount = ?, asked_at = NULL WHERE id = ? AND status = 'pending'`, b.OfficerID, store.Stamp(b.On), txID,
		string(b.Purpose), b.Amount.IntPart(), p.ID)
	if err := store.OneRow(res, err); err != nil {
		return Booked{}, fmt.Errorf("mark posted: %w", err)
	}
	out.Proof.Status, out.Proof.OfficerID, out.Proof.TxID, out.Proof.Purpose, out.Proof.Amount = Posted, b.OfficerID, txID, b.Purpose, b.Amount
	return out, nil
}

// Reject marks a pending proof rejected with the reason the member reads.
func Reject(ctx context.Context, q store.Queryer, id int64, officerID, reason string, now time.Time) (Proof, error) {
	p, err := ByID(ctx, q, id)
	switch {
	case err != nil:
		return Proof{}, fmt.Errorf("reject proof %d: %w", id, err)
	case p.Status != Pending:
		return Proof{}, p.Decided()
	}
	res, err := q.ExecContext(ctx, `UPDATE payment_proofs SET status = 'rejected', officer_id = ?, decided_at = ?, reason = ?,
		asked_at = NULL WHERE id = ? AND status = 'pending'`, officerID, store.Stamp(now), reason, id)
	if err := store.OneRow(res, err); err != nil {
		return Proof{}, fmt.Errorf("reject proof %d: %w", id, err)
	}
	p.Status, p.OfficerID, p.Reason, p.DecidedAt = Rejected, officerID, reason, now
	return p, nil
}
