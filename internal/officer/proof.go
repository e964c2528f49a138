package officer

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
	"github.com/kopmem/kopbot/internal/duty"
	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/notify"
	"github.com/kopmem/kopbot/internal/payment"
	"github.com/kopmem/kopbot/internal/savings"
)

// The wiring of transfer proofs (package payment) to the desk: the buttons
// under a proof's card, /bukti, and the reason after Tolak. Each goes
// through the desk's role check, savepoint and audit like every press.

// pressProof handles Catat angsuran · Catat simpanan · Jumlah lain · Tolak.
func (d *Desk) pressProof(ctx context.Context, tx *sql.Tx, c channel.Callback, pr payment.Press, now time.Time) (string, error) {
	t := d.newTurn(ctx, tx, now, channel.Message{Channel: c.Channel, ID: c.ID, Chat: c.Chat, From: c.From})
	t.press = true
	t.subject = payment.Proof{ID: pr.ProofID}.Ref()
	action := "press:proof:"
	out, err := step(t, func() (string, error) {
		if err := notForPengawas(t, "bukti"); err != nil {
			return "", err
		}
		switch {
		case !t.isOfficer:
			return "", refuse("not an officer", "officer.error.not_officer", nil)
		case pr.Other:
			action += "other"
			return d.proofOther(t, pr.ProofID)
		case pr.Reject:
			action += "reject"
			return d.askProofReason(t, pr.ProofID, c.MessageID)
		}
		action += string(pr.Purpose)
		return d.bookProof(t, pr.ProofID, pr.Purpose, pr.Amount, c.MessageID)
	})
	return d.settle(t, action, out, err)
}

// proofCmd is /bukti <BT-n> <angsuran|wajib|sukarela|pokok> <jumlah>, or
// /bukti <BT-n> tolak <alasan>: what Jumlah lain asks to type.
func (d *Desk) proofCmd(t *turn, args []string) (string, error) {
	t.subject = args[0]
	id, ok := payment.ParseRef(args[0])
	if !ok {
		return "", refuse("bad proof ref", "payment.officer.unknown", map[string]any{"Ref": markup.Escape(args[0])})
	}
	verb := strings.ToLower(args[1])
	if verb == "tolak" || verb == "reject" {
		if len(args) < 3 {
			return "", refuse("missing words", "officer.error.usage", map[string]any{"Usage": d.say(t, "payment.officer.usage", nil)})
		}
		return d.rejectProof(t, id, strings.Join(args[2:], " "), "")
	}
	purpose, ok := payment.ParsePurpose(verb)
	if !ok || len(args) < 3 {
		return "", refuse("bad purpose", "officer.error.usage", map[string]any{"Usage": d.say(t, "payment.officer.usage", nil)})
	}
	amt, err := amount(args[2:])
	if err != nil {
		return "", d.explain(t, err)
	}
	return d.bookProof(t, id, purpose, amt, "")
}

// proposalProof is the kind of a proof booking waiting for a second
// officer; its detail is "<proof id>:<purpose>".
const proposalProof = "proof"

// bookProof books the proof as the officer chose, under the duties of a
// transfer (bookTransfer). pressed is the card pressed ("" when typed),
// whose buttons go once booked.
func (d *Desk) bookProof(t *turn, id int64, purpose payment.Purpose, amt decimal.Decimal, pressed string) (string, error) {
	t.amount = amt
	p, err := payment.ByID(t.ctx, t.tx, id)
	if err != nil {
		return "", d.explainProof(t, err)
	}
	t.subject = p.Ref()
	if p.Status != payment.Pending {
		return "", d.explainProof(t, p.Decided())
	}
	m, err := member.ByID(t.ctx, t.tx, p.MemberID)
	if err != nil {
		return "", err
	}
	return d.bookTransfer(t, transfer{ref: p.Ref(), member: m, amount: amt, kind: proposalProof,
		key:     p.Key() + ":" + string(purpose) + ":" + amt.String(),
		detail:  strconv.FormatInt(p.ID, 10) + ":" + string(purpose),
		purpose: d.cfg.Msgs.T(groupLang, payment.PurposeID(purpose), nil),
		post:    func() (string, error) { return d.postProof(t, p, m, purpose, amt, pressed) }})
}

// transfer is money a member transferred that an officer books: a proof
// or a statement line.
type transfer struct {
	ref    string
	member member.Member
	amount decimal.Decimal
	// kind, key and detail make the proposal when a second officer must
	// confirm; purpose says to the group what it pays.
	kind, key, detail, purpose string
	post                       func() (string, error)
}

// bookTransfer posts tr under the same duties as a deposit at the counter:
// not on the officer's own account, nothing above the ceiling, and above
// the deposit limit a second officer confirms first.
func (d *Desk) bookTransfer(t *turn, tr transfer) (string, error) {
	if err := d.cfg.Duties.CheckOwn(t.off.ID, tr.member); err != nil {
		return "", d.explain(t, err)
	}
	second, err := d.cfg.Duties.NeedsChecker(tr.amount)
	if err != nil {
		return "", d.explain(t, err)
	}
	if second {
		return d.proposeTransfer(t, tr)
	}
	return tr.post()
}

// postProof posts the booking and tells the member and the group.
func (d *Desk) postProof(t *turn, p payment.Proof, m member.Member, purpose payment.Purpose, amt decimal.Decimal, pressed string) (string, error) {
	b, err := payment.Book(t.ctx, t.tx, payment.Booking{ProofID: p.ID, Purpose: purpose, Amount: amt, OfficerID: t.off.ID, On: t.now,
		Account: d.cfg.TransferAccount})
	if err != nil {
		return "", d.explainProof(t, err)
	}
	var said string
	if purpose == payment.Angsuran {
		t.txID = b.Loan.TxID
		said, err = d.loanReceipt(t, b.Loan)
	} else {
		mv := savings.Movement{MemberID: m.ID, Kind: b.Kind, Amount: amt}
		if err = d.depositReceipt(t, m, mv, b.Savings); err == nil {
			var data func(string) map[string]any
			if data, err = d.depositData(t, m, mv, b.Savings); err == nil {
				said = d.say(t, "officer.setor.done", data(t.lang))
			}
		}
	}
	if err != nil {
		return "", err
	}
	if err := d.proofDecided(t, b.Proof, pressed, "payment.officer.booked", m); err != nil {
		return "", err
	}
	return said, nil
}

// proposeTransfer asks the group for a second officer's confirmation of
// a booking above the deposit limit; nothing is posted yet.
func (d *Desk) proposeTransfer(t *turn, tr transfer) (string, error) {
	m := tr.member
	pr, err := duty.Propose(t.ctx, t.tx, duty.Proposal{Key: tr.key, Kind: tr.kind, MemberID: m.ID, Amount: tr.amount,
		Detail: tr.detail, Maker: t.off.ID, MadeAt: t.now})
	if err != nil {
		return "", err
	}
	data := map[string]any{"ID": pr.ID, "Ref": tr.ref, "Officer": markup.Escape(t.off.Name),
		"Member": markup.Escape(m.Name), "Number": m.Number, "Purpose": tr.purpose, "Amount": money.Format(tr.amount, groupLang),
		"Limit": money.Format(d.cfg.Duties.DepositLimit, groupLang)}
	if err := d.askChecker(t, pr, d.cfg.Msgs.T(groupLang, "payment.officer.proposed", data)); err != nil {
		return "", err
	}
	return d.say(t, "payment.officer.proposed_notice", data), nil
}

// confirmProof is a second officer's confirmation of a proposed booking:
// the proof is booked now, once, by the checker.
func (d *Desk) confirmProof(t *turn, pr duty.Proposal) (string, error) {
	idText, purpose, _ := strings.Cut(pr.Detail, ":")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		return "", fmt.Errorf("proposal %d: detail %q: %w", pr.ID, pr.Detail, err)
	}
	p, err := payment.ByID(t.ctx, t.tx, id)
	if err != nil {
		return "", d.explainProof(t, err)
	}
	return d.confirmTransfer(t, pr, func(m member.Member) (string, error) {
		return d.postProof(t, p, m, payment.Purpose(purpose), pr.Amount, "")
	})
}

// confirmTransfer posts a proposed transfer once a second officer, who is
// not the member, confirms it.
func (d *Desk) confirmTransfer(t *turn, pr duty.Proposal, post func(member.Member) (string, error)) (string, error) {
	m, err := member.ByID(t.ctx, t.tx, pr.MemberID)
	if err != nil {
		return "", err
	}
	if err := d.cfg.Duties.CheckOwn(t.off.ID, m); err != nil {
		return "", d.explain(t, err)
	}
	var said string
	if _, err := duty.Confirm(t.ctx, t.tx, pr.ID, t.off.ID, t.now, func(duty.Proposal) (int64, error) {
		var err error
		said, err = post(m)
		return t.txID, err
	}); err != nil {
		return "", d.explainProof(t, err)
	}
	return said, nil
}

// proofDecided tells the group what became of a proof and removes the
// buttons of its cards.
func (d *Desk) proofDecided(t *turn, p payment.Proof, pressed, id string, m member.Member) error {
	if err := d.takeButtonsOf(t, payment.RejectData(p.ID), pressed); err != nil {
		return err
	}
	return d.toGroup(t.ctx, t.tx, d.cfg.Msgs.T(groupLang, id, map[string]any{"Ref": p.Ref(),
		"Officer": markup.Escape(t.off.Name), "Member": markup.Escape(m.Name), "Number": m.Number,
		"Purpose": d.cfg.Msgs.T(groupLang, payment.PurposeID(p.Purpose), nil),
		"Amount":  money.Format(p.Amount, groupLang), "TxID": p.TxID, "Reason": markup.Escape(p.Reason)}), nil, t.now)
}

// proofOther tells the officer how to book another amount or purpose.
func (d *Desk) proofOther(t *turn, id int64) (string, error) {
	p, err := payment.ByID(t.ctx, t.tx, id)
	if err != nil {
		return "", d.explainProof(t, err)
	}
	if p.Status != payment.Pending {
		return "", d.explainProof(t, p.Decided())
	}
	if err := t.reply(d.say(t, "payment.officer.other", map[string]any{"Ref": p.Ref()})); err != nil {
		return "", err
	}
	return d.say(t, "payment.officer.other_notice", nil), nil
}

// askProofReason answers Tolak: the officer's next message is the reason.
func (d *Desk) askProofReason(t *turn, id int64, messageID string) (string, error) {
	p, err := payment.ByID(t.ctx, t.tx, id)
	if err != nil {
		return "", d.explainProof(t, err)
	}
	if p.Status != payment.Pending {
		return "", d.explainProof(t, p.Decided())
	}
	return d.askCardReason(t, p.Ref(), messageID)
}

// rejectProof marks the proof rejected and sends the member the reason.
func (d *Desk) rejectProof(t *turn, id int64, reason, pressed string) (string, error) {
	p, err := payment.Reject(t.ctx, t.tx, id, t.off.ID, strings.TrimSpace(reason), t.now)
	if err != nil {
		return "", d.explainProof(t, err)
	}
	t.subject = p.Ref()
	m, err := member.ByID(t.ctx, t.tx, p.MemberID)
	if err != nil {
		return "", err
	}
	if err := notify.Member(t.ctx, t.tx, d.cfg.Msgs, m, "payment.proof.rejected", map[string]any{"Ref": p.Ref(),
		"Name": m.Name, "Reason": markup.Escape(p.Reason)}, t.now); err != nil {
		return "", err
	}
	if err := d.proofDecided(t, p, pressed, "payment.officer.rejected", m); err != nil {
		return "", err
	}
	return d.say(t, "payment.officer.rejected_notice", map[string]any{"Ref": p.Ref()}), nil
}

// explainProof words what payment refuses about a proof or a statement
// line; the rest goes to explain.
func (d *Desk) explainProof(t *turn, err error) error {
	var decided *payment.DecidedError
	switch {
	case errors.As(err, &decided):
		return refuse(err.Error(), "payment.officer.decided", map[string]any{"Ref": decided.Ref,
			"Status": d.say(t, payment.StatusID(decided.Status), nil), "By": d.officerName(decided.OfficerID)})
	case errors.Is(err, payment.ErrNoProof):
		return refuse(err.Error(), "payment.officer.unknown", map[string]any{"Ref": t.subject})
	case errors.Is(err, payment.ErrNoBankLine):
		return refuse(err.Error(), "payment.bank.unknown", map[string]any{"Ref": t.subject})
	}
	return d.explain(t, err)
}
