package officer

import (
	"context"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/store"
)

// InfoAnswered posts the member's answer to the officers' question to the
// group, as a reply to the request's latest announcement (where Telegram
// told its id) and with the decision buttons again: the officers read the
// question and the answer together and decide from there. msgID is the
// member's message, which keys the post so it goes once.
func (d *Desk) InfoAnswered(ctx context.Context, q store.Queryer, a loan.Application, m member.Member, msgID string, now time.Time) error {
	x, _, err := loan.LastExchange(ctx, q, a.ID)
	if err != nil {
		return fmt.Errorf("post the answer on %s: %w", a.Ref, err)
	}
	ids, err := outbox.SentWithButton(ctx, q, d.cfg.Group.Channel, d.cfg.Group.Chat, buttonData("ap", a.Ref))
	if err != nil {
		return fmt.Errorf("post the answer on %s: %w", a.Ref, err)
	}
	replyTo := ""
	if len(ids) > 0 {
		replyTo = ids[len(ids)-1]
	}
	text := d.cfg.Msgs.T(groupLang, "officer.info.answered", map[string]any{"Ref": a.Ref, "Member": markup.Escape(m.Name),
		"Number": m.Number, "Question": markup.Escape(x.Question), "Answer": markup.Escape(x.Answer)})
	if _, err := outbox.Enqueue(ctx, q, outbox.Item{Reply: channel.Reply{Channel: d.cfg.Group.Channel, Chat: d.cfg.Group.Chat,
		Text: text, Buttons: d.decisionButtons(a.Ref), ReplyTo: replyTo}, Key: requestKey(a.Ref, "info", msgID)}, now); err != nil {
		return fmt.Errorf("post the answer on %s: %w", a.Ref, err)
	}
	return nil
}

// exchangeLine says where the officers' question on a stands for /antrian
// and /anggota: awaiting the member, or the member's answer; "" when
// nobody asked.
func (d *Desk) exchangeLine(t *turn, a loan.Application) (string, error) {
	x, asked, err := loan.LastExchange(t.ctx, t.tx, a.ID)
	if err != nil || !asked {
		return "", err
	}
	data := map[string]any{"Question": markup.Escape(x.Question), "Answer": markup.Escape(x.Answer)}
	if x.Answer == "" {
		return d.say(t, "officer.info.waiting", data), nil
	}
	return d.say(t, "officer.info.line", data), nil
}
