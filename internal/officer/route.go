package officer

import (
	"fmt"
	"strings"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/payment"
	"github.com/kopmem/kopbot/internal/withdraw"
)

// What an officer writes in the officers' group (no command) goes where the
// officer pointed, by Telegram's reply, and nowhere else: a reply to a
// member's forwarded message reaches that member, a reply to a message of
// one loan request concerns that request alone, and everything else is the
// officers' own talk, which reaches no member. Nothing is guessed from
// which conversations happen to be open, and the officer is told what
// became of a reply to kopbot.

// replyKind is what an officer's message answers.
type replyKind int

const (
	// plainMessage answers nothing.
	plainMessage replyKind = iota
	// toSomeoneElse answers a message kopbot did not send: another officer's.
	toSomeoneElse
	// toOther answers kopbot's message about no member or request (a
	// summary, a list, a notice).
	toOther
	// toForward answers a member's message forwarded from a handoff.
	toForward
	// toRequest answers a message of one loan request: its announcement,
	// the prompt for a reason, the member's answer to a question.
	toRequest
	// toCard answers the card of a transfer proof or a withdrawal, or its
	// prompt for a reason.
	toCard
)

// replied is what an officer's message answers, and whose it is.
type replied struct {
	kind    replyKind
	handoff member.Handoff
	ref     string
	// card is the proof's or the withdrawal's ref (BT-17, W-12).
	card string
}

// requestKey keys a group message about the loan request ref, so a reply to
// it is known to concern that request: what is "prompt", "info"…, id makes
// the key unique (the press or message that caused it).
func requestKey(ref, what, id string) string { return "request:" + ref + ":" + what + ":" + id }

// repliedTo finds what the turn's message answers, from the outbox, which
// keeps the platform id and the key of everything kopbot sent.
func (d *Desk) repliedTo(t *turn) (replied, error) {
	if t.replyTo == "" {
		return replied{kind: plainMessage}, nil
	}
	chat, msgID, found := strings.Cut(t.replyTo, ":")
	if !found || chat != t.chat {
		return replied{kind: toSomeoneElse}, nil
	}
	it, ok, err := outbox.SentAs(t.ctx, t.tx, t.ch, chat, msgID)
	if err != nil || !ok {
		return replied{kind: toSomeoneElse}, err
	}
	if rest, ok := strings.CutPrefix(it.Key, "handoff:"); ok {
		idText, _, _ := strings.Cut(rest, ":")
		if id, ok := member.ParseTag(idText); ok {
			h, err := member.HandoffByID(t.ctx, t.tx, id)
			if err != nil {
				return replied{}, err
			}
			return replied{kind: toForward, handoff: h}, nil
		}
	}
	if rest, ok := strings.CutPrefix(it.Key, "request:"); ok {
		ref, _, _ := strings.Cut(rest, ":")
		return replied{kind: toRequest, ref: ref}, nil
	}
	if ref, ok := cardKeyed(it.Key); ok {
		return replied{kind: toCard, card: ref}, nil
	}
	for _, row := range it.Buttons {
		for _, b := range row {
			if _, ref, ok := parseData(b.Data); ok {
				return replied{kind: toRequest, ref: ref}, nil
			}
			if pr, ok := payment.ParsePress(b.Data); ok {
				return replied{kind: toCard, card: payment.Proof{ID: pr.ProofID}.Ref()}, nil
			}
			if pr, ok := withdraw.ParsePress(b.Data); ok {
				return replied{kind: toCard, card: withdraw.Withdrawal{ID: pr.ID}.Ref()}, nil
			}
		}
	}
	return replied{kind: toOther}, nil
}

// repliesTraced reports whether ch tells what a message replies to. Where
// it does not (the terminal seat, one officer's own), the officer's next
// message after Tolak or Minta info is the reason, as there is nothing
// else it could be meant for.
func repliesTraced(ch channel.Name) bool { return ch == channel.Telegram }

// route handles an officer's words in the officers' group.
func (d *Desk) route(t *turn, text string) error {
	if text == "" { // a photo without a caption carries nothing to pass on
		return nil
	}
	r, err := d.repliedTo(t)
	if err != nil {
		return err
	}
	if done, err := d.routeCard(t, r, text); err != nil || done {
		return err
	}
	p, waiting, err := peekReason(t)
	if err != nil {
		return err
	}
	if !repliesTraced(t.ch) && waiting {
		return d.giveReason(t, p, text)
	}
	switch r.kind {
	case toForward:
		return d.replyToForward(t, r.handoff, text)
	case toRequest:
		if waiting && p.ref == r.ref {
			return d.giveReason(t, p, text)
		}
		data := map[string]any{"Ref": r.ref}
		id, why := "officer.route.request_talk", "reply to a request with no reason awaited"
		if waiting {
			data["Pending"], id, why = p.ref, "officer.route.other_request", "reply to another request than the one awaiting a reason"
		}
		return d.told(t, "reply:request", r.ref, refuse(why, id, data))
	case toOther:
		return d.told(t, "reply:other", "", refuse("reply to a message of no member", "officer.route.no_member", nil))
	}
	if waiting && t.now.Sub(p.at) <= d.cfg.ReasonWait {
		return d.told(t, "talk", p.ref, refuse("reason without a reply", "officer.route.reason_needs_reply",
			map[string]any{"Ref": p.ref}))
	}
	return nil // the officers' own talk
}

// told audits what became of an officer's words that went nowhere, and
// tells the officer so.
func (d *Desk) told(t *turn, action, subject string, why error) error {
	t.subject = subject
	reply, err := d.settle(t, action, "", why)
	if err != nil {
		return err
	}
	return t.reply(reply)
}

// replyToForward passes an officer's reply to a forwarded message on to
// that handoff's member, or says why it did not go.
func (d *Desk) replyToForward(t *turn, h member.Handoff, text string) error {
	out, err := step(t, func() (string, error) {
		if strings.HasPrefix(text, "/") {
			return "", refuse("unknown command as a reply", "officer.route.not_a_command", nil)
		}
		if err := notForPengawas(t, "balas"); err != nil {
			return "", err
		}
		if h.Open() {
			return d.answer(t, h, text)
		}
		t.subject = h.Tag()
		m, err := member.ByID(t.ctx, t.tx, h.MemberID)
		if err != nil {
			return "", err
		}
		return "", refuse("reply to a closed handoff", "officer.route.closed", map[string]any{"Tag": h.Tag(),
			"Member": markup.Escape(m.Name), "Number": m.Number, "Phone": "+" + m.Phone})
	})
	reply, err := d.settle(t, "reply:handoff", out, err)
	if err != nil {
		return err
	}
	return t.reply(reply)
}

// giveReason takes text as the reason or question the press p waits for.
func (d *Desk) giveReason(t *turn, p pending, text string) error {
	if err := dropReason(t); err != nil {
		return err
	}
	t.subject = p.ref
	out, err := step(t, func() (string, error) {
		if t.now.Sub(p.at) > d.cfg.ReasonWait {
			return "", refuse("reason came too late", "officer.error.reason_expired", map[string]any{"Ref": p.ref,
				"Minutes": d.reasonMinutes()})
		}
		return d.decide(t, p.verdict, p.ref, text, p.messageID)
	})
	reply, err := d.settle(t, "reason:"+string(p.verdict), out, err)
	if err != nil {
		return err
	}
	return t.reply(reply)
}

func (d *Desk) reasonMinutes() int { return int(d.cfg.ReasonWait.Minutes()) }

// replyKeyed queues text to the turn's chat under key.
func (t *turn) replyKeyed(text, key string) error {
	if _, err := outbox.Enqueue(t.ctx, t.tx, outbox.Item{Reply: channel.Reply{Channel: t.ch, Chat: t.chat, Text: text},
		Key: key}, t.now); err != nil {
		return fmt.Errorf("reply to %s:%s: %w", t.ch, t.chat, err)
	}
	return nil
}
