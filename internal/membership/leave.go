package membership

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/store"
)

// Settlement is what a member leaving would be paid: their savings less
// what they owe. Loans are never set off against savings here: a member
// with a loan open settles it first (pelunasan at the counter, from their
// sukarela or in cash), then leaves with pokok and wajib whole.
type Settlement struct {
	Member  member.Member
	Savings savings.Balances
	// Quotes are the pelunasan of each open loan on the day; Loan is their
	// total less denda, Denda the denda in them.
	Quotes []loan.Quote
	Loan   decimal.Decimal
	Denda  decimal.Decimal
	// Requests are loan requests still in progress.
	Requests []loan.Application
	// Net is savings less loan and denda: what the member is paid when
	// nothing blocks, negative when they owe more than they hold.
	Net decimal.Decimal
}

// Blocked reports whether the member must first settle a loan or see a
// request through before leaving.
func (s Settlement) Blocked() bool { return len(s.Quotes) > 0 || len(s.Requests) > 0 }

// BlockedError carries the settlement of a member who cannot leave yet.
type BlockedError struct{ Settlement Settlement }

func (e *BlockedError) Error() string {
	return fmt.Sprintf("member %s: %d loans open, %d requests in progress: %v", e.Settlement.Member.Number,
		len(e.Settlement.Quotes), len(e.Settlement.Requests), ErrBlocked)
}

func (e *BlockedError) Unwrap() error { return ErrBlocked }

// Quote is the settlement of memberID leaving on the day of on. A member
// who left already is refused with member.ErrLeft.
func Quote(ctx context.Context, q store.Queryer, memberID int64, on time.Time) (Settlement, error) {
	m, err := member.ByID(ctx, q, memberID)
	if err != nil {
		return Settlement{}, err
	}
	if m.Left() {
		return Settlement{Member: m}, fmt.Errorf("member %s left on %s: %w", m.Number, m.LeftOn.Format(member.DateLayout), member.ErrLeft)
	}
	s := Settlement{Member: m, Loan: decimal.Zero, Denda: decimal.Zero}
	if s.Savings, err = savings.Summary(ctx, q, m.ID); err != nil {
		return Settlement{}, err
	}
	o, err := loan.MemberLoans(ctx, q, m.ID, on)
	if err != nil {
		return Settlement{}, err
	}
	for _, l := range o.Loans {
		qt, err := loan.Settle(ctx, q, l.Ref, on)
		if err != nil {
			return Settlement{}, fmt.Errorf("settlement of member %s: %w", m.Number, err)
		}
		s.Quotes = append(s.Quotes, qt)
		s.Loan = s.Loan.Add(qt.Total.Sub(qt.Denda))
		s.Denda = s.Denda.Add(qt.Denda)
	}
	s.Requests = o.Applications
	s.Net = s.Savings.Total.Sub(s.Loan).Sub(s.Denda)
	return s, nil
}

// Leaving is a member's leaving as confirmed: Expect is the payout the
// settlement showed when it was proposed.
type Leaving struct {
	MemberID int64
	Expect   decimal.Decimal
	// To is the member's account on file the savings are transferred to,
	// as it was shown when proposed; zero pays cash at the office.
	To member.BankAccount
	// From is the cooperative's bank account in the ledger (BANK-…) a
	// transfer is paid from.
	From string
	// Maker asked for it; Checker (a manajer) confirmed it.
	Maker, Checker string
	At             time.Time
}

// Left is a member who left, with what they were paid.
type Left struct {
	Settlement Settlement
	// Tx is the payout, zero when they held nothing.
	Tx ledger.Tx
	// To is the account the payout was transferred to; zero for cash.
	To member.BankAccount
}

// LeaveKey is the ledger key of member id's payout: a member is paid out
// once, however often the confirmation is pressed or replayed.
func LeaveKey(memberID int64) string { return "membership:leave:" + strconv.FormatInt(memberID, 10) }

// Leave pays the member's savings out and closes their accounts: the
// member is marked left (deposits to them are refused from then on) and
// their open conversation with the officers is closed. A loan open or a
// request in progress refuses it (*BlockedError); savings that differ from
// Expect refuse it (ErrChanged), since the manajer confirmed another
// figure, and so does an account on file that is no longer l.To
// (ErrAccountChanged). Run it in a write transaction.
func Leave(ctx context.Context, q store.Queryer, l Leaving) (Left, error) {
	s, err := Quote(ctx, q, l.MemberID, l.At)
	if err != nil {
		return Left{}, err
	}
	if s.Blocked() {
		return Left{}, &BlockedError{Settlement: s}
	}
	if !s.Savings.Total.Equal(l.Expect) {
		return Left{}, fmt.Errorf("member %s holds %s, confirmed %s: %w", s.Member.Number, s.Savings.Total, l.Expect, ErrChanged)
	}
	from, method, how := "", "cash", "tunai"
	if !l.To.IsZero() {
		if s.Member.Bank != l.To {
			return Left{}, fmt.Errorf("member %s: transfer to an account no longer on file: %w", s.Member.Number, ErrAccountChanged)
		}
		// The memo names no account: the books outlive an erased member.
		from, method, how = l.From, "transfer", "transfer ke rekening anggota"
	}
	tx, _, err := savings.PayOut(ctx, q, s.Member.ID, LeaveKey(s.Member.ID), from, l.At, l.Checker,
		"Anggota "+s.Member.Number+" keluar: simpanan dikembalikan, "+how+" (diajukan "+l.Maker+", disetujui "+l.Checker+")")
	if err != nil {
		return Left{}, err
	}
	if err := member.MarkLeft(ctx, q, s.Member.ID, l.At); err != nil {
		return Left{}, err
	}
	var txID any
	if tx.ID != 0 {
		txID = tx.ID
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO membership_leaves (member_id, maker, checker, tx_id, method, at)
		VALUES (?, ?, ?, ?, ?, ?)`, s.Member.ID, l.Maker, l.Checker, txID, method, store.Stamp(l.At)); err != nil {
		return Left{}, fmt.Errorf("member %s leaves: %w", s.Member.Number, err)
	}
	h, err := member.OpenHandoffOf(ctx, q, s.Member.ID)
	switch {
	case err == nil:
		err = member.CloseHandoff(ctx, q, h.ID, l.Checker, l.At)
	case errors.Is(err, member.ErrNoHandoff):
		err = nil
	}
	if err != nil {
		return Left{}, fmt.Errorf("member %s leaves: %w", s.Member.Number, err)
	}
	return Left{Settlement: s, Tx: tx, To: l.To}, nil
}
