package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/proto"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/phone"
)

// maxRunes is where a reply is split. WhatsApp accepts far longer texts,
// but a wall of text on a phone is not read; a cut at a paragraph is.
const maxRunes = 4000

// Send delivers r at once, split into parts at maxRunes: the outbox paces
// (see Pacer). Text goes out as written: kopbot's markup is WhatsApp's own.
// A halted adapter refuses at once with ErrHalted. If a later part fails,
// the earlier ones have gone out and a retry of r repeats them.
func (a *Adapter) Send(ctx context.Context, r channel.Reply) error {
	if r.EditOf != "" {
		return nil // WhatsApp shows no buttons, so there are none to take away
	}
	if err := a.conn.halted(); err != nil {
		return err
	}
	to, err := recipient(r.Chat)
	if err != nil {
		return err
	}
	if strings.TrimSpace(r.Text) == "" {
		return fmt.Errorf("whatsapp reply to %s: empty text", phone.Last4(r.Chat))
	}
	parts := markup.Split(r.Text, maxRunes)
	for i, part := range parts {
		if _, err := a.wa.SendMessage(ctx, to, &waE2E.Message{Conversation: proto.String(part)}); err != nil {
			return fmt.Errorf("whatsapp reply to %s, part %d of %d: %w", phone.Last4(r.Chat), i+1, len(parts), err)
		}
	}
	return nil
}

// recipient parses a Message.Chat back into a JID, refusing anything but a
// person's chat so a bad outbox row can never post into a group.
func recipient(chat string) (types.JID, error) {
	to, err := types.ParseJID(chat)
	if err == nil && to.User == "" {
		err = errors.New("no user")
	}
	if err == nil && to.Server != types.DefaultUserServer && to.Server != types.HiddenUserServer {
		err = errors.New("not a person's chat")
	}
	if err != nil {
		return types.EmptyJID, fmt.Errorf("whatsapp recipient %s: %w", phone.Last4(chat), err)
	}
	return to, nil
}
