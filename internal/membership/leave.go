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
	"github.com/kopmem/kopbot/internal/withdraw"
)

// Settlement is what a member leaving would be paid: their savings less
// what they owe. Loans are set off against the savings (kompensasi), as
// the AD/ART of a KSP has it: the pelunasan of each open loan on the day is
// taken from sukarela, then wajib, then pokok, and the rest is paid out. A
// member whose savings do not cover it pays the difference first.
type Settlement struct {
	Member  member.Member
	Savings savings.Balances
	// Quotes are the pelunasan of each open loan on the day; Loan is their
	// total less denda, Denda the denda in them.
	Quotes []loan.Quote
	Loan   decimal.Decimal
	Denda  decimal.Decimal
	// Requests are loan requests still in progress, Withdrawals requests
	// to withdraw sukarela not yet paid, rejected or cancelled: either
	// would move money the settlement does not count.
	Requests    []loan.Application
	Withdrawals []withdraw.Withdrawal
	// Net is savings less loan and denda: what the member is paid when
	// nothing blocks, negative when they owe more than they hold.
	Net decimal.Decimal
}

// SetOff is what the savings pay of the loans: every pelunasan, denda
// included.
func (s Settlement) SetOff() decimal.Decimal { return s.Loan.Add(s.Denda) }

// Short is what the member must pay on their loans before leaving: what
// the savings do not cover, zero when they do.
func (s Settlement) Short() decimal.Decimal { return decimal.Max(s.Net.Neg(), decimal.Zero) }

// Blocked reports whether the member must first pay what their savings do
// not cover or see a request through before leaving.
func (s Settlement) Blocked() bool {
	return s.Net.IsNegative() || len(s.Requests) > 0 || len(s.Withdrawals) > 0
}

// BlockedError carries the settlement of a member who cannot leave yet.
type BlockedError struct{ Settlement Settlement }

func (e *BlockedError) Error() string {
	return fmt.Sprintf("member %s: %s short of the loans, %d loan and %d withdrawal requests in progress: %v",
		e.Settlement.Member.Number, e.Settlement.Short(), len(e.Settlement.Requests), len(e.Settlement.Withdrawals), ErrBlocked)
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
	if s.Withdrawals, err = withdraw.OpenOf(ctx, q, m.ID); err != nil {
		return Settlement{}, fmt.Errorf("settlement of member %s: %w", m.Number, err)
	}
	s.Net = s.Savings.Total.Sub(s.Loan).Sub(s.Denda)
	return s, nil
}

// Leaving is a member's leaving as confirmed: Expect is the savings and
// SetOff the loans' pelunasan that the settlement showed when it was
// proposed.
type Leaving struct {
	MemberID int64
	Expect   decimal.Decimal
	SetOff   decimal.Decimal
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
	// SetOffs are the loans the savings paid off.
	SetOffs []loan.Receipt
	// Tx is the payout, zero when nothing was left to pay.
	Tx ledger.Tx
	// To is the account the payout was transferred to; zero for cash.
	To member.BankAccount
}

// LeaveKey is the ledger key of member id's payout: a member is paid out
// once, however often the confirmation is pressed or replayed.
func LeaveKey(memberID int64) string { return "membership:leave:" + strconv.FormatInt(memberID, 10) }

// SetOffKey is the payment key of loan ref paid off from the savings of
// member id on leaving.
func SetOffKey(memberID int64, ref string) string { return LeaveKey(memberID) + ":" + ref }

// Leave pays the member's open loans off from their savings, pays the rest
// out and closes their accounts: the member is marked left (deposits to
// them are refused from then on) and their open conversation with the
// officers is closed. Savings short of the loans or a request in progress
// refuse it (*BlockedError); savings or a pelunasan that differ from what
// was confirmed refuse it (ErrChanged), since the manajer confirmed other
// figures, and so does an account on file that is no longer l.To
// (ErrAccountChanged). Run it in a write transaction: the set-off and the
// payout are one.
func Leave(ctx context.Context, q store.Queryer, l Leaving) (Left, error) {
	s, err := Quote(ctx, q, l.MemberID, l.At)
	if err != nil {
		return Left{}, err
	}
	if s.Blocked() {
		return Left{}, &BlockedError{Settlement: s}
	}
	if !s.Savings.Total.Equal(l.Expect) || !s.SetOff().Equal(l.SetOff) {
		return Left{}, fmt.Errorf("member %s holds %s and owes %s, confirmed %s and %s: %w", s.Member.Number,
			s.Savings.Total, s.SetOff(), l.Expect, l.SetOff, ErrChanged)
	}
	// Only what the set-off leaves is transferred; nothing left is no transfer.
	var to member.BankAccount
	from, method, how := "", "cash", "tunai"
	if !l.To.IsZero() && s.Net.IsPositive() {
		if s.Member.Bank != l.To {
			return Left{}, fmt.Errorf("member %s: transfer to an account no longer on file: %w", s.Member.Number, ErrAccountChanged)
		}
		// The memo names no account: the books outlive an erased member.
		from, method, how, to = l.From, "transfer", "transfer ke rekening anggota", l.To
	}
	setOffs, err := setOff(ctx, q, s, l)
	if err != nil {
		return Left{}, err
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
	return Left{Settlement: s, SetOffs: setOffs, Tx: tx, To: to}, nil
}

// setOff pays each of s's loans off from the member's savings, sukarela
// first: it is the member's own money at call, while pokok and wajib are
// the capital the cooperative returns last.
func setOff(ctx context.Context, q store.Queryer, s Settlement, l Leaving) ([]loan.Receipt, error) {
	held := map[savings.Kind]decimal.Decimal{}
	for _, k := range savings.Kinds {
		held[k] = s.Savings.Of(k)
	}
	var paid []loan.Receipt
	for _, qt := range s.Quotes {
		var from []ledger.Posting
		left := qt.Total
		for _, k := range []savings.Kind{savings.Sukarela, savings.Wajib, savings.Pokok} {
			take := decimal.Min(left, held[k])
			if !take.IsPositive() {
				continue
			}
			code, err := savings.AccountCode(ctx, q, s.Member.ID, k)
			if err != nil {
				return nil, fmt.Errorf("set off %s: %w", qt.Ref, err)
			}
			from = append(from, ledger.Posting{Account: code, Amount: take})
			held[k], left = held[k].Sub(take), left.Sub(take)
		}
		if left.IsPositive() {
			// Quote found the savings cover every loan; this is a bug, not a member's problem.
			return nil, fmt.Errorf("set off %s: %s not covered: %w", qt.Ref, left, ErrBlocked)
		}
		r, err := loan.Repay(ctx, q, loan.Payment{Key: SetOffKey(s.Member.ID, qt.Ref), LoanRef: qt.Ref, MemberID: s.Member.ID,
			Amount: qt.Total, On: l.At, OfficerID: l.Checker, From: from,
			Memo: "Pelunasan " + qt.Ref + " dari simpanan anggota " + s.Member.Number + " yang keluar (diajukan " + l.Maker +
				", disetujui " + l.Checker + ")"})
		if err != nil {
			return nil, fmt.Errorf("set off %s: %w", qt.Ref, err)
		}
		if !r.Closed {
			return nil, fmt.Errorf("set off %s: paid %s, loan still open: %w", qt.Ref, qt.Total, ErrChanged)
		}
		paid = append(paid, r)
	}
	return paid, nil
}
