package officer

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/duty"
	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/payment"
	"github.com/kopmem/kopbot/internal/savings"
)

// The wiring of bank statement lines (payment.Import) to the desk: the
// Catat and Bukan buttons under a matched line's card. They go through the
// role check, savepoint, audit and duties of a transfer proof.

// proposalLine is the kind of a line's booking waiting for a second
// officer; its detail is the line's id.
const proposalLine = "bankline"

// pressLine handles Catat · Bukan under a statement line's card.
func (d *Desk) pressLine(ctx context.Context, tx *sql.Tx, c channel.Callback, id int64, reject bool, now time.Time) (string, error) {
	t := d.newTurn(ctx, tx, now, channel.Message{Channel: c.Channel, ID: c.ID, Chat: c.Chat, From: c.From})
	t.press = true
	t.subject = payment.BankLine{ID: id}.Ref()
	action := "press:bankline:book"
	if reject {
		action = "press:bankline:reject"
	}
	out, err := step(t, func() (string, error) {
		if err := notForPengawas(t, "mutasi"); err != nil {
			return "", err
		}
		switch {
		case !t.isOfficer:
			return "", refuse("not an officer", "officer.error.not_officer", nil)
		case reject:
			return d.rejectLine(t, id, c.MessageID)
		}
		return d.bookLine(t, id, c.MessageID)
	})
	return d.settle(t, action, out, err)
}

// lineCmd is /mutasi <MB-n> [bukan]: the card's buttons, typed (the
// terminal has no buttons).
func (d *Desk) lineCmd(t *turn, args []string) (string, error) {
	t.subject = args[0]
	id, ok := payment.ParseLineRef(args[0])
	switch {
	case !ok:
		return "", refuse("bad line ref", "payment.bank.unknown", map[string]any{"Ref": markup.Escape(args[0])})
	case len(args) == 1:
		return d.bookLine(t, id, "")
	case len(args) == 2 && (strings.EqualFold(args[1], "bukan") || strings.EqualFold(args[1], "tolak")):
		return d.rejectLine(t, id, "")
	}
	return "", refuse("bad words", "officer.error.usage", map[string]any{"Usage": d.say(t, "payment.bank.usage", nil)})
}

// bookLine books a matched line as its code says, under the duties of a
// transfer.
func (d *Desk) bookLine(t *turn, id int64, pressed string) (string, error) {
	l, err := payment.BankLineByID(t.ctx, t.tx, id)
	if err != nil {
		return "", d.explainProof(t, err)
	}
	t.amount = l.Amount
	if l.Status != payment.Pending {
		return "", d.explainProof(t, l.Decided())
	}
	m, err := lineMember(t, l)
	if err != nil {
		return "", err
	}
	return d.bookTransfer(t, transfer{ref: l.Ref(), member: m, amount: l.Amount, kind: proposalLine, key: l.Key,
		detail: strconv.FormatInt(l.ID, 10), purpose: d.cfg.Msgs.T(groupLang, "payment.bank.purpose", nil),
		post: func() (string, error) { return d.postLine(t, l.ID, m, pressed) }})
}

// postLine posts the line, sends the member a receipt of each part, and
// tells the group.
func (d *Desk) postLine(t *turn, id int64, m member.Member, pressed string) (string, error) {
	b, err := payment.BookLine(t.ctx, t.tx, id, t.off.ID, t.now)
	if err != nil {
		return "", d.explainProof(t, err)
	}
	if b.Loan.TxID != 0 {
		if _, err := d.loanReceipt(t, b.Loan); err != nil {
			return "", err
		}
	}
	if b.Wajib.ID != 0 {
		mv := savings.Movement{MemberID: m.ID, Kind: savings.Wajib, Amount: b.Code.Wajib}
		if err := d.depositReceipt(t, m, mv, b.Wajib); err != nil {
			return "", err
		}
	}
	mv := savings.Movement{MemberID: m.ID, Kind: savings.Sukarela, Amount: b.Line.Amount.Sub(b.Code.Base)}
	if err := d.depositReceipt(t, m, mv, b.Sukarela); err != nil {
		return "", err
	}
	// The audit names the line's first posting.
	t.txID = b.Sukarela.ID
	if b.Wajib.ID != 0 {
		t.txID = b.Wajib.ID
	}
	if b.Loan.TxID != 0 {
		t.txID = b.Loan.TxID
	}
	if err := d.lineDecided(t, b.Line, pressed, "payment.bank.booked", m); err != nil {
		return "", err
	}
	return d.say(t, "payment.bank.booked_notice", map[string]any{"Ref": b.Line.Ref(), "Member": markup.Escape(m.Name)}), nil
}

// confirmLine is a second officer's confirmation of a proposed line: it is
// booked now, once, by the checker.
func (d *Desk) confirmLine(t *turn, pr duty.Proposal) (string, error) {
	id, err := strconv.ParseInt(pr.Detail, 10, 64)
	if err != nil {
		return "", fmt.Errorf("proposal %d: detail %q: %w", pr.ID, pr.Detail, err)
	}
	return d.confirmTransfer(t, pr, func(m member.Member) (string, error) { return d.postLine(t, id, m, "") })
}

// rejectLine answers Bukan: the line is not the member's payment, nothing
// is posted, and the code waits for the right transfer again.
func (d *Desk) rejectLine(t *turn, id int64, pressed string) (string, error) {
	l, err := payment.RejectLine(t.ctx, t.tx, id, t.off.ID, t.now)
	if err != nil {
		return "", d.explainProof(t, err)
	}
	m, err := lineMember(t, l)
	if err != nil {
		return "", err
	}
	if err := d.lineDecided(t, l, pressed, "payment.bank.rejected", m); err != nil {
		return "", err
	}
	return d.say(t, "payment.bank.rejected_notice", map[string]any{"Ref": l.Ref()}), nil
}

// lineDecided tells the group what became of a line and removes the
// buttons of its cards.
func (d *Desk) lineDecided(t *turn, l payment.BankLine, pressed, id string, m member.Member) error {
	if err := d.takeButtonsOf(t, payment.BankData(l.ID, true), pressed); err != nil {
		return err
	}
	return d.toGroup(t.ctx, t.tx, d.cfg.Msgs.T(groupLang, id, map[string]any{"Ref": l.Ref(),
		"Officer": markup.Escape(t.off.Name), "Member": markup.Escape(m.Name), "Number": m.Number,
		"Amount": money.Format(l.Amount, groupLang), "TxID": t.txID}), nil, t.now)
}

// lineMember is whose code a line matched.
func lineMember(t *turn, l payment.BankLine) (member.Member, error) {
	c, err := payment.CodeByID(t.ctx, t.tx, l.CodeID)
	if err != nil {
		return member.Member{}, err
	}
	return member.ByID(t.ctx, t.tx, c.MemberID)
}
