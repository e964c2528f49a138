package officer

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/books"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/duty"
	"github.com/kopmem/kopbot/internal/kolek"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/notify"
	"github.com/kopmem/kopbot/internal/savings"
)

// proposalDeposit is the kind of a deposit waiting for a second officer.
const proposalDeposit = "deposit"

// deposit is /setor <no> <wajib|sukarela|pokok> <jumlah>: cash paid into
// the member's savings, with a receipt showing the new balance. Above
// the deposit limit nothing is posted yet: the group is asked for a second
// officer's confirmation (a button, or /konfirmasi at the terminal), since a
// deposit raises the member's plafon and one officer alone could otherwise
// create money to lend against.
func (d *Desk) deposit(t *turn, args []string) (string, error) {
	m, err := findMember(t, args[0])
	if err != nil {
		return "", d.explain(t, err)
	}
	t.subject = m.Number
	kind, err := savings.ParseKind(args[1])
	if err != nil {
		return "", refuse(err.Error(), "officer.error.kind", map[string]any{"Subject": markup.Escape(args[1])})
	}
	amt, err := amount(args[2:])
	if err != nil {
		return "", d.explain(t, err)
	}
	t.amount = amt
	if err := d.cfg.Duties.CheckOwn(t.off.ID, m); err != nil {
		return "", d.explain(t, err)
	}
	second, err := d.cfg.Duties.NeedsChecker(amt)
	if err != nil {
		return "", d.explain(t, err)
	}
	if kind == savings.Pokok {
		if err := savings.CheckPokok(t.ctx, t.tx, m.ID, amt, d.cfg.Duties.Pokok); err != nil {
			return "", d.explain(t, err)
		}
	}
	if second {
		return d.propose(t, m, kind, amt)
	}
	mv := savings.Movement{Key: key(t), MemberID: m.ID, Kind: kind, Amount: amt, ValueDate: t.now, Actor: t.off.ID,
		Memo: "Setoran " + string(kind) + " di kantor"}
	tx, err := d.postDeposit(t, m, mv)
	if err != nil {
		return "", err
	}
	data, err := d.depositData(t, m, mv, tx)
	if err != nil {
		return "", err
	}
	return d.say(t, "officer.setor.done", data(t.lang)), nil
}

// propose asks the group for a second officer's confirmation of a deposit.
func (d *Desk) propose(t *turn, m member.Member, kind savings.Kind, amt decimal.Decimal) (string, error) {
	p, err := duty.Propose(t.ctx, t.tx, duty.Proposal{Key: key(t), Kind: proposalDeposit, MemberID: m.ID, Amount: amt,
		Detail: string(kind), Maker: t.off.ID, MadeAt: t.now})
	if err != nil {
		return "", err
	}
	data := func(lang string) map[string]any {
		return map[string]any{"ID": p.ID, "Officer": markup.Escape(t.off.Name), "Member": markup.Escape(m.Name),
			"Number": m.Number, "Kind": kindName(d.cfg.Msgs, lang, kind), "Amount": money.Format(amt, lang),
			"Limit": money.Format(d.cfg.Duties.DepositLimit, lang)}
	}
	if err := d.askChecker(t, p, d.cfg.Msgs.T(groupLang, "officer.group.confirm_deposit", data(groupLang))); err != nil {
		return "", err
	}
	return d.say(t, "officer.setor.proposed", data(t.lang)), nil
}

// askChecker puts text, with the Konfirmasi button, to the group for a
// second officer to confirm proposal p; a replayed proposal was asked
// already.
func (d *Desk) askChecker(t *turn, p duty.Proposal, text string) error {
	if p.Replayed {
		return nil
	}
	buttons := [][]channel.Button{{{Text: d.cfg.Msgs.T(groupLang, "officer.button.confirm", nil), Data: confirmData(p.ID)}}}
	return d.toGroup(t.ctx, t.tx, text, buttons, t.now)
}

// confirmCmd is /konfirmasi <id>, the terminal's Konfirmasi button.
func (d *Desk) confirmCmd(t *turn, args []string) (string, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(args[0], "#"), 10, 64)
	if err != nil || id <= 0 {
		t.subject = args[0]
		return "", d.explain(t, duty.ErrNotFound)
	}
	return d.confirm(t, id)
}

// confirm is a second officer's confirmation of proposal id: the deposit is
// posted now, under the proposal's own key, and the member gets the
// receipt. The proposer, and an officer who is the member, cannot confirm.
func (d *Desk) confirm(t *turn, id int64) (string, error) {
	t.subject = "#" + strconv.FormatInt(id, 10)
	p, err := duty.ProposalByID(t.ctx, t.tx, id)
	if err != nil {
		return "", d.explain(t, err)
	}
	t.amount = p.Amount
	switch p.Kind {
	case proposalProof:
		return d.confirmProof(t, p)
	case proposalLine:
		return d.confirmLine(t, p)
	case proposalWithdraw:
		return d.confirmWithdrawal(t, p)
	case proposalLeave:
		return d.confirmLeave(t, p)
	case books.KindJournal:
		return d.confirmJournal(t, p)
	case kolek.KindManual:
		return d.confirmManual(t, p)
	}
	m, err := member.ByID(t.ctx, t.tx, p.MemberID)
	if err != nil {
		return "", err
	}
	if err := d.cfg.Duties.CheckOwn(t.off.ID, m); err != nil {
		return "", d.explain(t, err)
	}
	mv := savings.Movement{Key: "duty:" + strconv.FormatInt(id, 10), MemberID: m.ID, Kind: savings.Kind(p.Detail),
		Amount: p.Amount, ValueDate: t.now, Actor: t.off.ID,
		Memo: "Setoran " + p.Detail + " di kantor, dicatat " + p.Maker + ", dikonfirmasi " + t.off.ID}
	var tx ledger.Tx
	p, err = duty.Confirm(t.ctx, t.tx, id, t.off.ID, t.now, func(p duty.Proposal) (int64, error) {
		if mv.Kind == savings.Pokok {
			if err := savings.CheckPokok(t.ctx, t.tx, m.ID, p.Amount, d.cfg.Duties.Pokok); err != nil {
				return 0, err
			}
		}
		var err error
		tx, err = d.postDeposit(t, m, mv)
		return tx.ID, err
	})
	if err != nil {
		return "", d.explain(t, err)
	}
	data, err := d.depositData(t, m, mv, tx)
	if err != nil {
		return "", err
	}
	gd := data(groupLang)
	gd["Officer"], gd["Maker"], gd["ID"] = markup.Escape(t.off.Name), markup.Escape(d.officerName(p.Maker)), p.ID
	if err := d.toGroup(t.ctx, t.tx, d.cfg.Msgs.T(groupLang, "officer.group.deposit_confirmed", gd), nil, t.now); err != nil {
		return "", err
	}
	return d.say(t, "officer.setor.done", data(t.lang)), nil
}

// postDeposit posts mv and queues the member's receipt.
func (d *Desk) postDeposit(t *turn, m member.Member, mv savings.Movement) (ledger.Tx, error) {
	tx, err := savings.Deposit(t.ctx, t.tx, mv)
	if err != nil {
		return ledger.Tx{}, d.explain(t, err)
	}
	return tx, d.depositReceipt(t, m, mv, tx)
}

// depositReceipt queues the member's receipt of tx, unless it is a replay
// whose receipt went already.
func (d *Desk) depositReceipt(t *turn, m member.Member, mv savings.Movement, tx ledger.Tx) error {
	t.txID = tx.ID
	if tx.Replayed {
		return nil
	}
	data, err := d.depositData(t, m, mv, tx)
	if err != nil {
		return err
	}
	return notify.Member(t.ctx, t.tx, d.cfg.Msgs, m, "notice.savings.deposit", data(m.Lang), t.now)
}

// depositData is what receipts of mv say, in a reader's language.
func (d *Desk) depositData(t *turn, m member.Member, mv savings.Movement, tx ledger.Tx) (func(lang string) map[string]any, error) {
	bal, err := savings.Summary(t.ctx, t.tx, m.ID)
	if err != nil {
		return nil, err
	}
	return func(lang string) map[string]any {
		return map[string]any{"Name": markup.Escape(m.Name), "Member": markup.Escape(m.Name), "Number": m.Number,
			"Kind": kindName(d.cfg.Msgs, lang, mv.Kind), "Amount": money.Format(mv.Amount, lang),
			"Balance": money.Format(bal.Of(mv.Kind), lang), "Total": money.Format(bal.Total, lang),
			"Date": t.now.Format(DateLayout), "TxID": tx.ID}
	}, nil
}

// kindName says a kind of savings in lang, with the words members read.
func kindName(msgs Localizer, lang string, k savings.Kind) string {
	switch k {
	case savings.Pokok:
		return msgs.T(lang, "savings.kind.pokok", nil)
	case savings.Wajib:
		return msgs.T(lang, "savings.kind.wajib", nil)
	}
	return msgs.T(lang, "savings.kind.sukarela", nil)
}
