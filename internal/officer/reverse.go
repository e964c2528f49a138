package officer

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/kopmem/kopbot/internal/books"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/notify"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/shopspring/decimal"
)

// corrected is a reversal done: whose entry, which, and what it moved.
type corrected struct {
	memberID int64
	newTxID  int64
	amount   decimal.Decimal
	// entry says the reversed entry in a reader's language.
	entry func(lang string) string
}

// forceFlag ends a /batal that may leave a member's savings below zero.
const forceFlag = "--paksa"

// reverse is /batal <txid> [alasan] [--paksa], a manajer's correction of a
// mistaken repayment or savings movement. A disbursement is not undone this
// way: the cash left the office, and the loan has a schedule members were
// told. A correction that would leave savings below zero (the money was
// withdrawn meanwhile) is refused unless the manajer adds --paksa and a
// reason: then it is posted, the audit row says so, and `kopbot ledger
// check` lists the negative balance until it is covered.
func (d *Desk) reverse(t *turn, args []string) (string, error) {
	t.subject = args[0]
	force := len(args) > 1 && strings.EqualFold(args[len(args)-1], forceFlag)
	if force {
		args = args[:len(args)-1]
		if len(args) == 1 {
			return "", refuse("--paksa without a reason", "officer.error.paksa_reason", map[string]any{"Subject": t.subject})
		}
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(args[0], "#"), 10, 64)
	if err != nil || id <= 0 {
		return "", d.explain(t, ledger.ErrNotFound)
	}
	orig, err := ledger.TxByID(t.ctx, t.tx, id)
	if err != nil {
		return "", d.explain(t, err)
	}
	for _, p := range orig.Postings {
		if p.Amount.IsPositive() {
			t.amount = t.amount.Add(p.Amount)
		}
	}
	if orig.Reverses != 0 {
		return "", d.explain(t, ledger.ErrNotReversible)
	}
	reason := strings.Join(args[1:], " ")
	if reason == "" {
		reason = "/batal " + t.off.Name
	}
	if orig.Kind == books.KindJournal {
		return d.reverseJournal(t, orig, reason)
	}
	var c corrected
	switch orig.Kind {
	case loan.KindRepayment:
		c, err = d.reverseRepayment(t, orig, reason)
	case savings.KindDeposit, savings.KindWithdrawal:
		c, err = d.reverseSavings(t, orig, reason, force)
	case loan.KindDisbursement:
		return "", refuse("disbursement", "officer.error.batal_disbursement", map[string]any{"Subject": t.subject})
	default:
		return "", refuse("kind "+orig.Kind, "officer.error.batal_kind", map[string]any{"Subject": t.subject})
	}
	if err != nil {
		return "", d.explain(t, err)
	}
	t.txID = c.newTxID
	m, err := member.ByID(t.ctx, t.tx, c.memberID)
	if err != nil {
		return "", err
	}
	// Checked after the fact, inside the step: a refusal undoes the reversal.
	if m.Left() {
		// Their accounts are closed and their loans settled at leaving
		// (a set-off is a repayment): a mistake then is corrected in the
		// books by a journal, not by reopening a former member's accounts.
		t.subject = m.Number
		return "", d.explain(t, fmt.Errorf("reverse %d of member %s: %w", orig.ID, m.Number, member.ErrLeft))
	}
	if err := d.cfg.Duties.CheckOwn(t.off.ID, m); err != nil {
		return "", d.explain(t, err)
	}
	data := func(lang string) map[string]any {
		return map[string]any{"Name": markup.Escape(m.Name), "Member": markup.Escape(m.Name), "Number": m.Number,
			"Entry": c.entry(lang), "Amount": money.Format(c.amount, lang), "Date": orig.ValueDate.Format(DateLayout),
			"TxID": orig.ID, "NewTxID": c.newTxID}
	}
	if err := notify.Member(t.ctx, t.tx, d.cfg.Msgs, m, "notice.ledger.corrected", data(m.Lang), t.now); err != nil {
		return "", err
	}
	done := d.say(t, "officer.batal.done", data(t.lang))
	if t.note != "" {
		done += "\n" + d.say(t, "officer.batal.forced", data(t.lang))
	}
	return done, nil
}

func (d *Desk) reverseRepayment(t *turn, orig ledger.Tx, reason string) (corrected, error) {
	rev, err := loan.ReverseRepayment(t.ctx, t.tx, strings.TrimPrefix(orig.Key, "repay:"), t.off.ID, reason, t.now)
	if err != nil {
		return corrected{}, err
	}
	if rev.Replayed {
		return corrected{}, ledger.ErrAlreadyReversed
	}
	l, err := loan.LoanByRef(t.ctx, t.tx, rev.Ref)
	if err != nil {
		return corrected{}, err
	}
	return corrected{memberID: l.MemberID, newTxID: rev.TxID, amount: rev.Amount, entry: func(lang string) string {
		return d.cfg.Msgs.T(lang, "notice.entry.repayment", map[string]any{"Ref": rev.Ref})
	}}, nil
}

func (d *Desk) reverseSavings(t *turn, orig ledger.Tx, reason string, force bool) (corrected, error) {
	memberID, kind, amt, err := savings.Owner(t.ctx, t.tx, orig)
	if err != nil {
		return corrected{}, err
	}
	err = savings.CheckReversal(t.ctx, t.tx, orig)
	switch {
	case errors.Is(err, savings.ErrWouldGoNegative) && force:
		t.note = forceFlag + ": " + err.Error()
	case err != nil:
		return corrected{}, err
	}
	tx, err := ledger.Reverse(t.ctx, t.tx, orig.ID, "reverse:"+orig.Key, t.off.ID, reason, t.now)
	if err != nil {
		return corrected{}, err
	}
	if tx.Replayed {
		return corrected{}, ledger.ErrAlreadyReversed
	}
	return corrected{memberID: memberID, newTxID: tx.ID, amount: amt, entry: func(lang string) string {
		id := "notice.entry.deposit"
		if orig.Kind == savings.KindWithdrawal {
			id = "notice.entry.withdrawal"
		}
		return d.cfg.Msgs.T(lang, id, map[string]any{"Kind": kindName(d.cfg.Msgs, lang, kind)})
	}}, nil
}
