package whatsapp

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

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

// Send delivers r at once, split into parts at maxRunes, its attachment
// first with the text as caption: the outbox paces (see Pacer). Text goes
// out as written: kopbot's markup is WhatsApp's own.
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
	if r.Attachment != nil {
		return a.sendFile(ctx, to, r)
	}
	if strings.TrimSpace(r.Text) == "" {
		return fmt.Errorf("whatsapp reply to %s: empty text", phone.Last4(r.Chat))
	}
	return a.sendText(ctx, to, r.Chat, r.Text)
}

// sendText sends text to chat (to, parsed) in parts of at most maxRunes.
func (a *Adapter) sendText(ctx context.Context, to types.JID, chat, text string) error {
	parts := markup.Split(text, maxRunes)
	for i, part := range parts {
		if _, err := a.wa.SendMessage(ctx, to, &waE2E.Message{Conversation: proto.String(part)}); err != nil {
			err = fmt.Errorf("whatsapp reply to %s, part %d of %d: %w", phone.Last4(chat), i+1, len(parts), err)
			return a.refusal(ctx, chat, err)
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
func (a *Adapter) refusal(ctx context.Context, chat string, err error) error {
	code := serverCode(err)
	rate := code == codeRateLimit || errors.Is(err, whatsmeow.ErrIQRateOverLimit)
	if code != codeNoReachout && !rate {
		return err
	}
	now := a.clock.Now()
	until := a.pace.Refused(ctx, chat, rate, now)
	a.log.WarnContext(ctx, "whatsapp refused a message; bulk to it waits", "chat", phone.Last4(chat), "rate", rate, "until", until, "err", err)
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

// maxCaption is how much of a reply's text goes under a file (WhatsApp cuts
// captions at 1024 characters); a longer text follows as messages of its own.
const maxCaption = 1000

// sendFile uploads r's attachment, encrypted by whatsmeow, and sends it with
// r.Text as its caption: an image as a photo, anything else as a document
// under its name. A file that is gone or no longer what was queued cannot
// be sent by trying again.
func (a *Adapter) sendFile(ctx context.Context, to types.JID, r channel.Reply) error {
	at, who := r.Attachment, phone.Last4(to.String())
	data, err := os.ReadFile(at.Path)
	if err != nil {
		return fmt.Errorf("whatsapp file %s to %s: %v: %w", at.Name, who, err, channel.ErrPermanent)
	}
	sum := sha256.Sum256(data)
	if at.SHA256 != "" && hex.EncodeToString(sum[:]) != at.SHA256 {
		return fmt.Errorf("whatsapp file %s to %s: its content changed since it was queued: %w", at.Name, who, channel.ErrPermanent)
	}
	caption, rest := r.Text, ""
	if utf8.RuneCountInString(caption) > maxCaption {
		caption, rest = "", r.Text
	}
	kind := whatsmeow.MediaDocument
	if at.Kind == channel.Image {
		kind = whatsmeow.MediaImage
	}
	up, err := a.wa.Upload(ctx, data, kind)
	if err != nil {
		return fmt.Errorf("whatsapp upload %s to %s: %w", at.Name, who, err)
	}
	mime := cmp.Or(at.MIME, "application/octet-stream")
	var msg *waE2E.Message
	if kind == whatsmeow.MediaImage {
		msg = &waE2E.Message{ImageMessage: &waE2E.ImageMessage{Caption: optional(caption), Mimetype: proto.String(mime),
			URL: proto.String(up.URL), DirectPath: proto.String(up.DirectPath), MediaKey: up.MediaKey,
			FileEncSHA256: up.FileEncSHA256, FileSHA256: up.FileSHA256, FileLength: proto.Uint64(up.FileLength)}}
	} else {
		name := cmp.Or(at.Name, filepath.Base(at.Path))
		msg = &waE2E.Message{DocumentMessage: &waE2E.DocumentMessage{Caption: optional(caption), Mimetype: proto.String(mime),
			FileName: proto.String(name), Title: proto.String(name),
			URL: proto.String(up.URL), DirectPath: proto.String(up.DirectPath), MediaKey: up.MediaKey,
			FileEncSHA256: up.FileEncSHA256, FileSHA256: up.FileSHA256, FileLength: proto.Uint64(up.FileLength)}}
	}
	if _, err := a.wa.SendMessage(ctx, to, msg); err != nil {
		return a.refusal(ctx, r.Chat, fmt.Errorf("whatsapp file %s to %s: %w", at.Name, who, err))
	}
	if strings.TrimSpace(rest) == "" {
		return nil
	}
	return a.sendText(ctx, to, r.Chat, rest)
}

// optional is s for a protobuf field, nil when empty: no empty caption.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return proto.String(s)
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
