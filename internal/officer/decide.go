package officer

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/notify"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/store"
)

// decide records the officer's verdict on ref and tells everyone concerned:
// the group who decided, the member what it means for them. buttons is the
// announcement pressed ("" for a typed command): a final decision takes its
// buttons away, so nobody presses them again. It returns the notice for the
// officer, or "" when the group message already told them.
func (d *Desk) decide(t *turn, verdict loan.Verdict, ref, reason, buttons string) (string, error) {
	t.subject = ref
	if err := d.notOwnApplication(t, ref); err != nil {
		return "", err
	}
	related, err := d.relatedApplication(t, ref, verdict)
	if err != nil {
		return "", err
	}
	o, err := loan.Decide(t.ctx, t.tx, loan.Decision{AppRef: ref, OfficerID: t.off.ID, Role: t.off.Role,
		Verdict: verdict, Reason: reason, Now: t.now, Related: related}, d.cfg.Policy)
	if err != nil {
		return "", d.explain(t, err)
	}
	a := o.Application
	m, err := member.ByID(t.ctx, t.tx, a.MemberID)
	if err != nil {
		return "", err
	}
	var groupID, noticeID, memberID string
	switch o.Status {
	case loan.StatusAwaitingSecond:
		groupID, noticeID = "officer.group.first_approval", "officer.notice.awaiting_manager"
		if related {
			groupID, noticeID = "officer.group.first_board_approval", "officer.notice.awaiting_board"
		}
	case loan.StatusApproved:
		groupID, noticeID, memberID = "officer.group.approved", "officer.notice.approved", "notice.loan.approved"
	case loan.StatusRejected:
		groupID, noticeID, memberID = "officer.group.rejected", "officer.notice.rejected", "notice.loan.rejected"
	case loan.StatusInfoRequested:
		groupID, noticeID, memberID = "officer.group.info_requested", "officer.notice.info_requested", "notice.loan.info_requested"
	default:
		return "", fmt.Errorf("decision left %s %s", a.Ref, o.Status)
	}
	if o.Final {
		if err := d.takeButtons(t, a.Ref, buttons); err != nil {
			return "", err
		}
	}
	data := func(lang string) map[string]any {
		return map[string]any{"Ref": a.Ref, "Officer": markup.Escape(t.off.Name), "Member": markup.Escape(m.Name),
			"Number": m.Number, "Amount": money.Format(a.Amount, lang), "Tenor": a.Tenor,
			"Reason": markup.Escape(strings.TrimSpace(reason))}
	}
	if err := d.toGroup(t.ctx, t.tx, d.cfg.Msgs.T(groupLang, groupID, data(groupLang)), nil, t.now); err != nil {
		return "", err
	}
	if memberID != "" {
		md := data(m.Lang)
		md["Name"] = markup.Escape(m.Name)
		if o.Status == loan.StatusApproved {
			plan, err := scheduleOf(a, t.now)
			if err != nil {
				return "", err
			}
			md["Installment"] = money.Format(plan[0].Total, m.Lang)
		}
		if err := notify.Member(t.ctx, t.tx, d.cfg.Msgs, m, memberID, md, t.now); err != nil {
			return "", err
		}
	}
	if t.inGroupOf(d) && !t.press {
		return "", nil
	}
	return d.say(t, noticeID, data(t.lang)), nil
}

// notOwnApplication refuses an officer deciding on their own loan request,
// and records its amount for the audit.
func (d *Desk) notOwnApplication(t *turn, ref string) error {
	a, err := loan.ApplicationByRef(t.ctx, t.tx, ref)
	if err != nil {
		return d.explain(t, err)
	}
	t.amount = a.Amount
	m, err := member.ByID(t.ctx, t.tx, a.MemberID)
	if err != nil {
		return err
	}
	return d.explain(t, d.cfg.Duties.CheckOwn(t.off.ID, m))
}

// relatedApplication tells whether ref's applicant is a related party, and
// refuses an approval above the related-party cap.
func (d *Desk) relatedApplication(t *turn, ref string, verdict loan.Verdict) (bool, error) {
	a, err := loan.ApplicationByRef(t.ctx, t.tx, ref)
	if err != nil {
		return false, d.explain(t, err)
	}
	m, err := member.ByID(t.ctx, t.tx, a.MemberID)
	if err != nil {
		return false, err
	}
	related, err := d.checkRelated(t, a, m, verdict)
	if e, ok := d.explainRelated(t, err); ok {
		return related, e
	}
	return related, err
}

// decidedError is what Decide would answer for an application no longer
// open, for a press that asks for a reason before deciding anything.
func (d *Desk) decidedError(t *turn, a loan.Application) error {
	hist, err := loan.Decisions(t.ctx, t.tx, a.Ref)
	if err != nil {
		return err
	}
	e := &loan.AlreadyDecidedError{Ref: a.Ref, Status: a.Status}
	if len(hist) > 0 {
		e.Last = hist[len(hist)-1]
	}
	return e
}

// scheduleOf is the schedule the application's own copied terms give, which
// is the one its loan will have whatever the catalog says by then.
func scheduleOf(a loan.Application, from time.Time) ([]loan.Installment, error) {
	p := loan.Product{Code: a.Product, Name: a.ProductName, Method: a.Terms.Method, RatePerMonth: a.Terms.RatePerMonth,
		MinAmount: a.Amount, MaxAmount: a.Amount, MinTenor: a.Tenor, MaxTenor: a.Tenor,
		PenaltyPerDay: a.Terms.PenaltyPerDay, GraceDays: a.Terms.GraceDays}
	plan, err := loan.Schedule(p, a.Amount, a.Tenor, from)
	if err != nil {
		return nil, fmt.Errorf("schedule of %s: %w", a.Ref, err)
	}
	return plan, nil
}

// approveCmd is /setujui <ref>, for the terminal, which has no buttons.
func (d *Desk) approveCmd(t *turn, args []string) (string, error) {
	return d.decide(t, loan.Approve, strings.ToUpper(args[0]), "", "")
}

// rejectCmd is /tolak <ref> <alasan>.
func (d *Desk) rejectCmd(t *turn, args []string) (string, error) {
	return d.decide(t, loan.Reject, strings.ToUpper(args[0]), strings.Join(args[1:], " "), "")
}

// askInfoCmd is /info <ref> <pertanyaan>.
func (d *Desk) askInfoCmd(t *turn, args []string) (string, error) {
	return d.decide(t, loan.AskInfo, strings.ToUpper(args[0]), strings.Join(args[1:], " "), "")
}

// takeButtons removes the buttons of every announcement of ref the group
// got, and of the one pressed, so nobody presses them again however the
// decision was taken (a press, or /setujui typed in a terminal).
func (d *Desk) takeButtons(t *turn, ref, pressed string) error {
	return d.takeButtonsOf(t, buttonData("ap", ref), pressed)
}

// takeButtonsOf removes the buttons of every group message that carries a
// button with data, and of pressed in the presser's chat.
func (d *Desk) takeButtonsOf(t *turn, data, pressed string) error {
	var at member.Address
	if pressed != "" {
		at = member.Address{Channel: t.ch, Chat: t.chat}
	}
	return d.clearButtons(t.ctx, t.tx, data, at, pressed, t.now)
}

// clearButtons removes the buttons of every group message that carries a
// button with data, and of the message pressed in chat at (none when
// pressed is ""), for a change no press made too (a member cancelling).
func (d *Desk) clearButtons(ctx context.Context, q store.Queryer, data string, at member.Address, pressed string, now time.Time) error {
	ids, err := outbox.SentWithButton(ctx, q, d.cfg.Group.Channel, d.cfg.Group.Chat, data)
	if err != nil {
		return err
	}
	group := member.Address{Channel: d.cfg.Group.Channel, Chat: d.cfg.Group.Chat}
	edits := map[member.Address][]string{group: ids}
	if pressed != "" && !slices.Contains(edits[at], pressed) {
		edits[at] = append(edits[at], pressed)
	}
	for at, ids := range edits {
		for _, id := range ids {
			if _, err := outbox.Enqueue(ctx, q, outbox.Item{Reply: channel.Reply{Channel: at.Channel, Chat: at.Chat,
				EditOf: id}}, now); err != nil {
				return err
			}
		}
	}
	return nil
}
