package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.mau.fi/whatsmeow"

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
			err = fmt.Errorf("whatsapp reply to %s, part %d of %d: %w", phone.Last4(r.Chat), i+1, len(parts), err)
			return a.refusal(r.Chat, err)
		}
	}
	return nil
}

// WhatsApp's answers to a message it will not take from this number.
const (
	// codeNoReachout (463): the contact never wrote to the number, and
	// WhatsApp does not let an unofficial client write first.
	codeNoReachout = 463
	// codeRateLimit (429): the number sends too much.
	codeRateLimit = 429
)

// refusal turns WhatsApp's refusal of a message to chat into a
// channel.BulkRefused that says how long bulk to it waits (see
// Pacer.Refused); any other error is returned as it is.
func (a *Adapter) refusal(chat string, err error) error {
	code := serverCode(err)
	rate := code == codeRateLimit || errors.Is(err, whatsmeow.ErrIQRateOverLimit)
	if code != codeNoReachout && !rate {
		return err
	}
	now := a.clock.Now()
	until := a.pace.Refused(chat, rate, now)
	a.log.Warn("whatsapp refused a message; bulk to it waits", "chat", phone.Last4(chat), "rate", rate, "until", until, "err", err)
	return refused{err: err, wait: until.Sub(now)}
}

// serverCode is the error code whatsmeow reports the server answered a
// sent message with ("server returned error 463"), or 0.
func serverCode(err error) int {
	if !errors.Is(err, whatsmeow.ErrServerReturnedError) {
		return 0
	}
	msg := err.Error()
	i := strings.LastIndex(msg, whatsmeow.ErrServerReturnedError.Error())
	var code int
	if _, scanErr := fmt.Sscanf(msg[i+len(whatsmeow.ErrServerReturnedError.Error()):], " %d", &code); scanErr != nil {
		return 0
	}
	return code
}

// refused is channel.BulkRefused.
type refused struct {
	err  error
	wait time.Duration
}

func (r refused) Error() string       { return r.err.Error() }
func (r refused) Unwrap() error       { return r.err }
func (r refused) Wait() time.Duration { return r.wait }
func (refused) BulkOnly()             {}

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
