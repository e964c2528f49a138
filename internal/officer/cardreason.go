package officer

import (
	"fmt"
	"strings"

	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/payment"
	"github.com/kopmem/kopbot/internal/withdraw"
)

// Tolak under a card that moves a member's money, a transfer proof's
// (BT-17) or a withdrawal's (W-12), decides nothing yet: the officer is
// asked for the reason, which the member reads. One wait (payment's) serves
// both: it belongs to one officer in one chat, names one card, lapses after
// ReasonWait, and in Telegram only a reply to that card or its prompt is
// taken as the reason.

// cardReason is how one kind of card takes its reason.
type cardReason struct {
	// kind names it in the audit: reason:proof, reply:withdraw.
	kind string
	// The messages: the prompt in the group, the answer to a reply that
	// no press waits for, and the one to a reason come too late.
	prompt, noReason, expired string
	// reject rejects the card with reason; pressed is the card pressed.
	reject func(t *turn, reason, pressed string) (string, error)
}

// cardReasonOf is the card named ref's way of taking a reason.
func (d *Desk) cardReasonOf(ref string) (cardReason, bool) {
	if id, ok := payment.ParseRef(ref); ok {
		return cardReason{kind: "proof", prompt: "payment.officer.prompt_reason", noReason: "payment.officer.reply_no_reason",
			expired: "officer.error.reason_expired", reject: func(t *turn, reason, pressed string) (string, error) {
				return d.rejectProof(t, id, reason, pressed)
			}}, true
	}
	if id, ok := withdraw.ParseRef(ref); ok {
		return cardReason{kind: "withdraw", prompt: "withdraw.officer.prompt_reason", noReason: "withdraw.officer.reply_no_reason",
			expired: "withdraw.officer.reason_expired", reject: func(t *turn, reason, pressed string) (string, error) {
				return d.actOnWithdrawal(t, withdraw.Press{ID: id, Verb: withdraw.VerbReject}, reason, pressed)
			}}, true
	}
	return cardReason{}, false
}

// cardKey keys a group message about the card ref, so a reply to it is
// known to concern that card.
func cardKey(ref, what, msgID string) string { return "card:" + ref + ":" + what + ":" + msgID }

// cardKeyed reads the card's ref back from a key cardKey made.
func cardKeyed(key string) (string, bool) {
	rest, ok := strings.CutPrefix(key, "card:")
	ref, _, _ := strings.Cut(rest, ":")
	return ref, ok && ref != ""
}

// askCardReason answers Tolak under the card ref, which the caller found
// still open: the officer's next message is the reason. messageID is the
// card pressed, whose buttons go once it is rejected.
func (d *Desk) askCardReason(t *turn, ref, messageID string) (string, error) {
	cr, ok := d.cardReasonOf(ref)
	if !ok {
		return "", fmt.Errorf("ask a reason for %q: no such card", ref)
	}
	if err := payment.AwaitReason(t.ctx, t.tx, t.off.ID, t.ch, t.chat, payment.Waiting{Ref: ref, MessageID: messageID, At: t.now}); err != nil {
		return "", err
	}
	data := map[string]any{"Ref": ref, "Officer": markup.Escape(t.off.Name), "Minutes": d.reasonMinutes()}
	// Keyed to the card, so a reply to the prompt is the reason.
	if err := t.replyKeyed(d.say(t, cr.prompt, data), cardKey(ref, "prompt", t.msgID)); err != nil {
		return "", err
	}
	return d.say(t, "officer.notice.type_reason", data), nil
}

// routeCard takes an officer's words as the reason a Tolak press waits
// for: in Telegram only when they reply to that card or its prompt, at the
// terminal (which tells no replies) as the next message. done is false
// when the words are not about a card.
func (d *Desk) routeCard(t *turn, r replied, text string) (bool, error) {
	traced := repliesTraced(t.ch)
	if traced && r.kind != toCard {
		return false, nil
	}
	w, waiting, err := payment.PeekReason(t.ctx, t.tx, t.off.ID, t.ch, t.chat)
	switch {
	case err != nil:
		return true, err
	case !traced && !waiting:
		return false, nil
	case traced && (!waiting || w.Ref != r.card):
		cr, _ := d.cardReasonOf(r.card)
		return true, d.told(t, "reply:"+cr.kind, r.card, refuse("reply to a card with no reason awaited",
			cr.noReason, map[string]any{"Ref": r.card}))
	}
	if err := payment.DropReason(t.ctx, t.tx, t.off.ID, t.ch, t.chat); err != nil {
		return true, err
	}
	cr, ok := d.cardReasonOf(w.Ref)
	if !ok {
		return true, fmt.Errorf("reason awaited for %q: no such card", w.Ref)
	}
	t.subject = w.Ref
	out, err := step(t, func() (string, error) {
		if t.now.Sub(w.At) > d.cfg.ReasonWait {
			return "", refuse("reason came too late", cr.expired, map[string]any{"Ref": w.Ref, "Minutes": d.reasonMinutes()})
		}
		return cr.reject(t, text, w.MessageID)
	})
	reply, err := d.settle(t, "reason:"+cr.kind, out, err)
	if err != nil {
		return true, err
	}
	return true, t.reply(reply)
}
