package officer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/notify"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/store"
)

// Relay implements router.Desk: what a member writes in an open handoff is
// posted to the officers' group under the handoff's tag, which /balas,
// /selesai and Telegram's hashtag search all take.
func (d *Desk) Relay(ctx context.Context, q store.Queryer, h member.Handoff, m member.Member, msgID, text string, now time.Time) error {
	return d.relay(ctx, q, h, m, msgID, text, nil, now)
}

// Forward implements router.Desk: a file the member sent in an open handoff
// goes to the group as it is, under the handoff's tag.
func (d *Desk) Forward(ctx context.Context, q store.Queryer, h member.Handoff, m member.Member, msgID, caption string, file channel.Attachment, now time.Time) error {
	return d.relay(ctx, q, h, m, msgID, caption, &file, now)
}

// relay queues the member's line (or file) for the group under h's head and
// foot. Lines of one handoff queued close together go as one message
// (outbox.Batch), each row keeping its own key, so a reply to that message
// still finds the handoff; a file goes alone.
func (d *Desk) relay(ctx context.Context, q store.Queryer, h member.Handoff, m member.Member, msgID, text string, file *channel.Attachment, now time.Time) error {
	data := map[string]any{"Tag": h.Tag(), "Member": markup.Escape(m.Name), "Number": m.Number, "Phone": m.Phone}
	lines := outbox.Batch{Group: fmt.Sprintf("handoff:%d", h.ID), Line: markup.Escape(text),
		Head: d.cfg.Msgs.T(groupLang, "officer.handoff.head", data) + "\n",
		Foot: "\n\n" + d.cfg.Msgs.T(groupLang, "officer.handoff.foot", data)}
	if _, err := outbox.Enqueue(ctx, q, outbox.Item{Reply: channel.Reply{Channel: d.cfg.Group.Channel,
		Chat: d.cfg.Group.Chat, Attachment: file}, Key: forwardKey(h, msgID), Batch: &lines}, now); err != nil {
		return fmt.Errorf("relay %s: %w", h.Tag(), err)
	}
	return nil
}

// Left implements router.Desk: the member ended the handoff (selesai, menu),
// so the officers know it is closed before anyone replies to it.
func (d *Desk) Left(ctx context.Context, q store.Queryer, h member.Handoff, m member.Member, text string, now time.Time) error {
	msg := d.cfg.Msgs.T(groupLang, "officer.handoff.member_left", map[string]any{"Tag": h.Tag(),
		"Member": markup.Escape(m.Name), "Number": m.Number, "Text": markup.Escape(text)})
	if err := d.toGroup(ctx, q, msg, nil, now); err != nil {
		return fmt.Errorf("%s closed by the member: %w", h.Tag(), err)
	}
	return nil
}

// forwardKey names a forwarded member message, so that an officer's
// Telegram reply to it finds its handoff whatever else is open.
func forwardKey(h member.Handoff, msgID string) string {
	return fmt.Sprintf("handoff:%d:%s", h.ID, msgID)
}

// answerCmd is /balas <tag> <text>.
func (d *Desk) answerCmd(t *turn, args []string) (string, error) {
	h, err := d.handoffByTag(t, args[0])
	if err != nil {
		return "", err
	}
	return d.answer(t, h, strings.Join(args[1:], " "))
}

// answer sends text to h's member where they chat, signed by the officer.
func (d *Desk) answer(t *turn, h member.Handoff, text string) (string, error) {
	t.subject = h.Tag()
	m, err := member.ByID(t.ctx, t.tx, h.MemberID)
	if err != nil {
		return "", err
	}
	if err := notify.Member(t.ctx, t.tx, d.cfg.Msgs, m, "handoff.reply", map[string]any{"Tag": h.Tag(),
		"Officer": markup.Escape(t.off.Name), "Text": markup.Escape(text)}, t.now); err != nil {
		return "", err
	}
	if err := member.TouchHandoff(t.ctx, t.tx, h.ID, t.now); err != nil {
		return "", err
	}
	return d.say(t, "officer.handoff.sent", map[string]any{"Tag": h.Tag(), "Member": markup.Escape(m.Name)}), nil
}

// closeCmd is /selesai [tag]; without a tag it closes the only open handoff.
func (d *Desk) closeCmd(t *turn, args []string) (string, error) {
	h, err := d.pickHandoff(t, args)
	if err != nil {
		return "", err
	}
	if err := member.CloseHandoff(t.ctx, t.tx, h.ID, t.off.ID, t.now); err != nil {
		return "", err
	}
	m, err := member.ByID(t.ctx, t.tx, h.MemberID)
	if err != nil {
		return "", err
	}
	if err := notify.Member(t.ctx, t.tx, d.cfg.Msgs, m, "handoff.closed", map[string]any{"Name": m.Name}, t.now); err != nil {
		return "", err
	}
	return d.say(t, "officer.handoff.ended", map[string]any{"Tag": h.Tag(), "Member": markup.Escape(m.Name)}), nil
}

// handoffs is /obrolan: the open handoffs, oldest first, with how long
// since the last message either way.
func (d *Desk) handoffs(t *turn, _ []string) (string, error) {
	open, err := member.OpenHandoffs(t.ctx, t.tx)
	if err != nil {
		return "", err
	}
	if len(open) == 0 {
		return d.say(t, "officer.handoff.none", nil), nil
	}
	lines := make([]string, len(open))
	for i, h := range open {
		m, err := member.ByID(t.ctx, t.tx, h.MemberID)
		if err != nil {
			return "", err
		}
		lines[i] = d.say(t, "officer.handoff.line", map[string]any{"Tag": h.Tag(), "Member": markup.Escape(m.Name),
			"Number": m.Number, "Age": d.age(t, t.now.Sub(h.LastAt))})
	}
	return d.say(t, "officer.handoff.list", map[string]any{"Count": len(open), "Lines": strings.Join(lines, "\n")}), nil
}

// pickHandoff is the open handoff args name, or the only one open.
func (d *Desk) pickHandoff(t *turn, args []string) (member.Handoff, error) {
	if len(args) > 0 {
		return d.handoffByTag(t, args[0])
	}
	open, err := member.OpenHandoffs(t.ctx, t.tx)
	switch {
	case err != nil:
		return member.Handoff{}, err
	case len(open) == 0:
		return member.Handoff{}, refuse("no open handoff", "officer.handoff.none", nil)
	case len(open) > 1:
		return member.Handoff{}, refuse("several handoffs open", "officer.handoff.which", map[string]any{"Tags": tags(open)})
	}
	return open[0], nil
}

// handoffByTag is the open handoff tag names.
func (d *Desk) handoffByTag(t *turn, tag string) (member.Handoff, error) {
	t.subject = tag
	unknown := refuse("unknown handoff", "officer.handoff.unknown", map[string]any{"Tag": markup.Escape(tag)})
	id, ok := member.ParseTag(tag)
	if !ok {
		return member.Handoff{}, unknown
	}
	h, err := member.HandoffByID(t.ctx, t.tx, id)
	switch {
	case errors.Is(err, member.ErrNoHandoff):
		return member.Handoff{}, unknown
	case err != nil:
		return member.Handoff{}, err
	case !h.Open():
		return member.Handoff{}, refuse("handoff closed", "officer.handoff.already_closed", map[string]any{"Tag": h.Tag()})
	}
	return h, nil
}

func tags(hs []member.Handoff) string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = "#" + h.Tag()
	}
	return strings.Join(out, ", ")
}
