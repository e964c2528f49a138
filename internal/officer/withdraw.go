package officer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/duty"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/notify"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/kopmem/kopbot/internal/withdraw"
)

// The wiring of members' withdrawals (package withdraw) to the desk: the
// announcement with Setujui / Tolak, Sudah dibayar under an approved cash
// withdrawal, /tarik and /bayarkan, and a manajer's confirmation above the
// limit through the duty proposals. Each goes through the desk's role
// check, savepoint and audit like every press.

var _ withdraw.Officers = (*Desk)(nil)

// proposalWithdraw is the kind of a withdrawal a petugas approved above the
// manager limit, waiting for a manajer; its detail is the request's id.
const proposalWithdraw = "withdraw"

// WithdrawRules are the rules the desk decides withdrawals by, defaults
// filled in: the members' side checks by the same.
func (d *Desk) WithdrawRules() withdraw.Rules { return d.cfg.Withdraw }

// AnnounceWithdrawal queues a member's new request to the officers' group
// with what they need to decide it and the two buttons.
func (d *Desk) AnnounceWithdrawal(ctx context.Context, q store.Queryer, w withdraw.Withdrawal, m member.Member, now time.Time) error {
	qt, err := withdraw.QuoteFor(ctx, q, m.ID, 0, now, d.cfg.Withdraw)
	if err != nil {
		return fmt.Errorf("announce %s: %w", w.Ref(), err)
	}
	const lang = groupLang
	text := d.cfg.Msgs.T(lang, "withdraw.officer.announce", map[string]any{"Ref": w.Ref(),
		"Member": markup.Escape(m.Name), "Number": m.Number, "Amount": money.Format(w.Amount, lang),
		"How": markup.Escape(withdraw.How(d.cfg.Msgs, lang, w)), "Sukarela": money.Format(qt.Sukarela, lang),
		"After": money.Format(qt.Sukarela.Sub(qt.Held), lang), "Minimum": money.Format(qt.Minimum, lang),
		"Arrears": money.Format(qt.Arrears, lang), "Manager": w.NeedsManager(d.cfg.Withdraw),
		"Typed": w.Method == withdraw.Transfer && !w.OnFile,
		"Limit": money.Format(d.cfg.Withdraw.ManagerLimit, lang)})
	buttons := [][]channel.Button{
		{{Text: d.cfg.Msgs.T(lang, "officer.button.approve", nil), Data: withdraw.Data(withdraw.VerbApprove, w.ID)}},
		{{Text: d.cfg.Msgs.T(lang, "officer.button.reject", nil), Data: withdraw.Data(withdraw.VerbReject, w.ID)}},
	}
	if err := d.toGroup(ctx, q, text, buttons, now); err != nil {
		return fmt.Errorf("announce %s: %w", w.Ref(), err)
	}
	return nil
}

// WithdrawalCancelled tells the group a member cancelled w and takes its
// buttons away.
func (d *Desk) WithdrawalCancelled(ctx context.Context, q store.Queryer, w withdraw.Withdrawal, m member.Member, now time.Time) error {
	for _, v := range []withdraw.Verb{withdraw.VerbApprove, withdraw.VerbPaid} {
		if err := d.clearButtons(ctx, q, withdraw.Data(v, w.ID), member.Address{}, "", now); err != nil {
			return fmt.Errorf("cancelled %s: %w", w.Ref(), err)
		}
	}
	return d.toGroup(ctx, q, d.cfg.Msgs.T(groupLang, "withdraw.officer.cancelled", map[string]any{"Ref": w.Ref(),
		"Member": markup.Escape(m.Name), "Amount": money.Format(w.Amount, groupLang)}), nil, now)
}

// pressWithdrawal handles Setujui · Tolak · Sudah dibayar.
func (d *Desk) pressWithdrawal(ctx context.Context, tx *sql.Tx, c channel.Callback, pr withdraw.Press, now time.Time) (string, error) {
	t := d.newTurn(ctx, tx, now, channel.Message{Channel: c.Channel, ID: c.ID, Chat: c.Chat, From: c.From})
	t.press = true
	t.subject = withdraw.Withdrawal{ID: pr.ID}.Ref()
	out, err := step(t, func() (string, error) {
		if !t.isOfficer {
			return "", refuse("not an officer", "officer.error.not_officer", nil)
		}
		if err := notForPengawas(t, "tarik"); err != nil {
			return "", err
		}
		if pr.Verb == withdraw.VerbReject {
			return d.askWithdrawalReason(t, pr.ID, c.MessageID)
		}
		return d.actOnWithdrawal(t, pr, "", c.MessageID)
	})
	return d.settle(t, "press:withdraw:"+string(pr.Verb), out, err)
}

// withdrawalCmd is /tarik <W-n> setujui, or /tarik <W-n> tolak <alasan>.
func (d *Desk) withdrawalCmd(t *turn, args []string) (string, error) {
	t.subject = args[0]
	id, ok := withdraw.ParseRef(args[0])
	if !ok {
		return "", refuse("bad withdrawal ref", "withdraw.officer.unknown", map[string]any{"Ref": markup.Escape(args[0])})
	}
	usage := func() error {
		return refuse("bad verb", "officer.error.usage", map[string]any{"Usage": d.say(t, "withdraw.officer.usage", nil)})
	}
	switch strings.ToLower(args[1]) {
	case "setujui", "approve":
		return d.actOnWithdrawal(t, withdraw.Press{ID: id, Verb: withdraw.VerbApprove}, "", "")
	case "tolak", "reject":
		if len(args) < 3 {
			return "", usage()
		}
		return d.actOnWithdrawal(t, withdraw.Press{ID: id, Verb: withdraw.VerbReject}, strings.Join(args[2:], " "), "")
	}
	return "", usage()
}

// payOutCmd is /bayarkan <W-n>: the cash of an approved withdrawal was
// handed over.
func (d *Desk) payOutCmd(t *turn, args []string) (string, error) {
	t.subject = args[0]
	id, ok := withdraw.ParseRef(args[0])
	if !ok {
		return "", refuse("bad withdrawal ref", "withdraw.officer.unknown", map[string]any{"Ref": markup.Escape(args[0])})
	}
	return d.actOnWithdrawal(t, withdraw.Press{ID: id, Verb: withdraw.VerbPaid}, "", "")
}

// withdrawalFor loads the request id an officer acts on, and its member,
// refusing the officer's own.
func (d *Desk) withdrawalFor(t *turn, id int64) (withdraw.Withdrawal, member.Member, error) {
	w, err := withdraw.ByID(t.ctx, t.tx, id)
	if err != nil {
		return w, member.Member{}, d.explainWithdrawal(t, err)
	}
	t.subject, t.amount = w.Ref(), w.Amount
	m, err := member.ByID(t.ctx, t.tx, w.MemberID)
	if err != nil {
		return w, m, err
	}
	if err := d.cfg.Duties.CheckOwn(t.off.ID, m); err != nil {
		return w, m, d.explain(t, err)
	}
	return w, m, nil
}

// askWithdrawalReason answers Tolak under a request still open: the
// officer's next message is the reason the member reads.
func (d *Desk) askWithdrawalReason(t *turn, id int64, pressed string) (string, error) {
	w, _, err := d.withdrawalFor(t, id)
	if err != nil {
		return "", err
	}
	if !w.Status.Open() {
		return "", d.explainWithdrawal(t, &withdraw.DecidedError{W: w})
	}
	return d.askCardReason(t, w.Ref(), pressed)
}

// actOnWithdrawal does what pr asks, never on the officer's own account.
// pressed is the message pressed ("" when typed), whose buttons go.
func (d *Desk) actOnWithdrawal(t *turn, pr withdraw.Press, reason, pressed string) (string, error) {
	w, m, err := d.withdrawalFor(t, pr.ID)
	if err != nil {
		return "", err
	}
	switch pr.Verb {
	case withdraw.VerbReject:
		return d.rejectWithdrawal(t, w, m, reason, pressed)
	case withdraw.VerbPaid:
		return d.postWithdrawal(t, m, pressed, func() (withdraw.Withdrawal, ledger.Tx, error) {
			return withdraw.PayOut(t.ctx, t.tx, d.decision(t, w.ID), d.cfg.Withdraw)
		})
	}
	if w.Status == withdraw.Pending && w.NeedsManager(d.cfg.Withdraw) && t.off.Role != loan.RoleManajer {
		return d.proposeWithdrawal(t, w, m)
	}
	return d.approveWithdrawal(t, w, m, pressed)
}

func (d *Desk) decision(t *turn, id int64) withdraw.Decision {
	return withdraw.Decision{ID: id, OfficerID: t.off.ID, Role: t.off.Role, At: t.now}
}

// approveWithdrawal approves w: a transfer is posted now, cash waits for
// Sudah dibayar under the group's new message.
func (d *Desk) approveWithdrawal(t *turn, w withdraw.Withdrawal, m member.Member, pressed string) (string, error) {
	if w.Method == withdraw.Transfer {
		return d.postWithdrawal(t, m, pressed, func() (withdraw.Withdrawal, ledger.Tx, error) {
			return withdraw.Approve(t.ctx, t.tx, d.decision(t, w.ID), d.cfg.Withdraw)
		})
	}
	w, _, err := withdraw.Approve(t.ctx, t.tx, d.decision(t, w.ID), d.cfg.Withdraw)
	if err != nil {
		return "", d.explainWithdrawal(t, err)
	}
	if err := d.takeButtonsOf(t, withdraw.Data(withdraw.VerbApprove, w.ID), pressed); err != nil {
		return "", err
	}
	if err := notify.Member(t.ctx, t.tx, d.cfg.Msgs, m, "withdraw.notice.approved_cash", map[string]any{"Name": markup.Escape(m.Name),
		"Ref": w.Ref(), "Amount": money.Format(w.Amount, m.Lang)}, t.now); err != nil {
		return "", err
	}
	buttons := [][]channel.Button{{{Text: d.cfg.Msgs.T(groupLang, "withdraw.officer.button.paid", nil),
		Data: withdraw.Data(withdraw.VerbPaid, w.ID)}}}
	if err := d.toGroup(t.ctx, t.tx, d.cfg.Msgs.T(groupLang, "withdraw.officer.approved_cash", d.withdrawalData(t, w, m, groupLang)),
		buttons, t.now); err != nil {
		return "", err
	}
	return d.say(t, "withdraw.officer.approved_notice", map[string]any{"Ref": w.Ref()}), nil
}

// postWithdrawal runs post, which posts a withdrawal, then sends the
// member the receipt and tells the group.
func (d *Desk) postWithdrawal(t *turn, m member.Member, pressed string, post func() (withdraw.Withdrawal, ledger.Tx, error)) (string, error) {
	w, tx, err := post()
	if err != nil {
		return "", d.explainWithdrawal(t, err)
	}
	t.txID = tx.ID
	for _, v := range []withdraw.Verb{withdraw.VerbApprove, withdraw.VerbPaid} {
		if err := d.takeButtonsOf(t, withdraw.Data(v, w.ID), pressed); err != nil {
			return "", err
		}
	}
	bal, err := savings.Summary(t.ctx, t.tx, m.ID)
	if err != nil {
		return "", err
	}
	md := d.withdrawalData(t, w, m, m.Lang)
	md["Name"], md["Balance"], md["Total"] = markup.Escape(m.Name), money.Format(bal.Sukarela, m.Lang), money.Format(bal.Total, m.Lang)
	md["Date"], md["TxID"] = t.now.Format(DateLayout), tx.ID
	if err := notify.Member(t.ctx, t.tx, d.cfg.Msgs, m, "withdraw.notice.posted", md, t.now); err != nil {
		return "", err
	}
	gd := d.withdrawalData(t, w, m, groupLang)
	gd["TxID"] = tx.ID
	if err := d.toGroup(t.ctx, t.tx, d.cfg.Msgs.T(groupLang, "withdraw.officer.posted", gd), nil, t.now); err != nil {
		return "", err
	}
	if t.inGroupOf(d) && !t.press {
		return "", nil // the group message just said it
	}
	od := d.withdrawalData(t, w, m, t.lang)
	od["TxID"] = tx.ID
	return d.say(t, "withdraw.officer.posted", od), nil
}

// rejectWithdrawal declines w with the officer's reason and tells the
// member.
func (d *Desk) rejectWithdrawal(t *turn, w withdraw.Withdrawal, m member.Member, reason, pressed string) (string, error) {
	w, err := withdraw.Reject(t.ctx, t.tx, d.decision(t, w.ID), strings.TrimSpace(reason))
	if err != nil {
		return "", d.explainWithdrawal(t, err)
	}
	for _, v := range []withdraw.Verb{withdraw.VerbApprove, withdraw.VerbPaid} {
		if err := d.takeButtonsOf(t, withdraw.Data(v, w.ID), pressed); err != nil {
			return "", err
		}
	}
	md := d.withdrawalData(t, w, m, m.Lang)
	md["Name"] = markup.Escape(m.Name)
	if err := notify.Member(t.ctx, t.tx, d.cfg.Msgs, m, "withdraw.notice.rejected", md, t.now); err != nil {
		return "", err
	}
	if err := d.toGroup(t.ctx, t.tx, d.cfg.Msgs.T(groupLang, "withdraw.officer.rejected", d.withdrawalData(t, w, m, groupLang)),
		nil, t.now); err != nil {
		return "", err
	}
	return d.say(t, "withdraw.officer.rejected_notice", map[string]any{"Ref": w.Ref()}), nil
}

// proposeWithdrawal passes a petugas's approval above the manager limit to
// a manajer, through a duty proposal: nothing is approved yet.
func (d *Desk) proposeWithdrawal(t *turn, w withdraw.Withdrawal, m member.Member) (string, error) {
	pr, err := duty.Propose(t.ctx, t.tx, duty.Proposal{Key: w.LedgerKey() + ":approve", Kind: proposalWithdraw,
		MemberID: m.ID, Amount: w.Amount, Detail: strconv.FormatInt(w.ID, 10), Maker: t.off.ID, MadeAt: t.now})
	if err != nil {
		return "", err
	}
	data := d.withdrawalData(t, w, m, groupLang)
	data["ID"], data["Limit"] = pr.ID, money.Format(d.cfg.Withdraw.ManagerLimit, groupLang)
	if err := d.askChecker(t, pr, d.cfg.Msgs.T(groupLang, "withdraw.officer.proposed", data)); err != nil {
		return "", err
	}
	return d.say(t, "withdraw.officer.proposed_notice", data), nil
}

// confirmWithdrawal is a manajer's confirmation of a petugas's approval
// above the limit: the withdrawal is approved now, by the manajer.
func (d *Desk) confirmWithdrawal(t *turn, pr duty.Proposal) (string, error) {
	id, err := strconv.ParseInt(pr.Detail, 10, 64)
	if err != nil {
		return "", fmt.Errorf("proposal %d: detail %q: %w", pr.ID, pr.Detail, err)
	}
	w, err := withdraw.ByID(t.ctx, t.tx, id)
	if err != nil {
		return "", d.explainWithdrawal(t, err)
	}
	t.subject = w.Ref()
	if t.off.Role != loan.RoleManajer {
		return "", d.explainWithdrawal(t, withdraw.ErrNeedsManager)
	}
	// approveWithdrawal words its own refusals, which pass through.
	return d.confirmTransfer(t, pr, func(m member.Member) (string, error) {
		return d.approveWithdrawal(t, w, m, "")
	})
}

// withdrawalData is what the messages about w say, in lang.
func (d *Desk) withdrawalData(t *turn, w withdraw.Withdrawal, m member.Member, lang string) map[string]any {
	return map[string]any{"Ref": w.Ref(), "Officer": markup.Escape(t.off.Name), "Member": markup.Escape(m.Name),
		"Number": m.Number, "Amount": money.Format(w.Amount, lang),
		"How": markup.Escape(withdraw.How(d.cfg.Msgs, lang, w)), "Reason": markup.Escape(w.Reason)}
}

// explainWithdrawal words what withdraw refuses; the rest goes to explain.
func (d *Desk) explainWithdrawal(t *turn, err error) error {
	var decided *withdraw.DecidedError
	data := map[string]any{"Ref": t.subject, "Limit": money.Format(d.cfg.Withdraw.ManagerLimit, t.lang)}
	switch {
	case errors.As(err, &decided):
		w := decided.W
		by := w.DecidedBy
		if by == "" {
			by = w.ApprovedBy
		}
		name := d.say(t, "officer.by_member", nil)
		if by != "" {
			name = d.officerName(by)
		}
		return refuse(err.Error(), "withdraw.officer.decided", map[string]any{"Ref": w.Ref(),
			"Status": d.say(t, withdraw.StatusID(w.Status), nil), "By": markup.Escape(name)})
	case errors.Is(err, withdraw.ErrNotFound):
		return refuse(err.Error(), "withdraw.officer.unknown", data)
	case errors.Is(err, withdraw.ErrNeedsManager):
		return refuse(err.Error(), "withdraw.officer.needs_manager", data)
	case errors.Is(err, withdraw.ErrNotApproved):
		return refuse(err.Error(), "withdraw.officer.not_approved", data)
	case errors.Is(err, withdraw.ErrBelowMinimum), errors.Is(err, savings.ErrInsufficient):
		return refuse(err.Error(), "withdraw.officer.refused_minimum", d.quoteData(t, data))
	case errors.Is(err, withdraw.ErrArrears):
		return refuse(err.Error(), "withdraw.officer.refused_arrears", d.quoteData(t, data))
	}
	return d.explain(t, err)
}

// quoteData adds what the member of the turn's withdrawal may take out now.
func (d *Desk) quoteData(t *turn, data map[string]any) map[string]any {
	id, _ := withdraw.ParseRef(t.subject)
	w, err := withdraw.ByID(t.ctx, t.tx, id)
	if err != nil {
		return data
	}
	if qt, err := withdraw.QuoteFor(t.ctx, t.tx, w.MemberID, w.ID, t.now, d.cfg.Withdraw); err == nil {
		data["Available"], data["Arrears"] = money.Format(qt.Available, t.lang), money.Format(qt.Arrears, t.lang)
	}
	return data
}
