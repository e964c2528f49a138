package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/phone"
)

// lidResolver finds the phone number behind a hidden user id (@lid).
// whatsmeow's store.LIDStore satisfies it; it fills the mapping from the
// sender_pn WhatsApp attaches to most messages and from history syncs.
type lidResolver interface {
	GetPNForLID(ctx context.Context, lid types.JID) (types.JID, error)
}

// convert turns a whatsmeow message into a channel.Message. ok is false for
// what kopbot does not answer: groups, status, broadcast lists,
// newsletters, bots, its own messages, edits, reactions, protocol messages
// and empty text. err is set only when the LID store fails, so the caller
// leaves the message unacknowledged and WhatsApp delivers it again.
//
// A sender whose phone cannot be found (an @lid with no mapping yet, or a
// number that is not a mobile) is still delivered, with Phone "": the
// router then answers "not registered, contact the office", which tells a
// member more than silence would.
func convert(ctx context.Context, evt *events.Message, lids lidResolver, log *slog.Logger) (channel.Message, bool, error) {
	info := evt.Info
	if !answerable(info) || evt.IsEdit {
		return channel.Message{}, false, nil
	}
	kind, text := content(evt.Message)
	if kind == "" {
		return channel.Message{}, false, nil
	}
	from := info.Sender.ToNonAD()
	pn, err := phoneJID(ctx, info, lids)
	if err != nil {
		return channel.Message{}, false, err
	}
	msg := channel.Message{
		Channel: channel.WhatsApp,
		ID:      info.ID,
		Chat:    info.Chat.ToNonAD().String(),
		From:    from.String(),
		Text:    text,
		Kind:    kind,
		At:      info.Timestamp,
	}
	if kind == channel.Media {
		msg.File, _ = media(evt.Message)
	}
	if pn.IsEmpty() {
		log.WarnContext(ctx, "whatsapp sender without a known phone number", "from", phone.Last4(msg.From), "id", msg.ID)
		return msg, true, nil
	}
	msg.Phone, err = phone.Normalize("+" + pn.User)
	if err != nil {
		// Normalize's error quotes the number: only its kind is logged.
		log.WarnContext(ctx, "whatsapp sender phone not usable", "from", phone.Last4(msg.From), "id", msg.ID, "err", errors.Unwrap(err))
	}
	return msg, true, nil
}

// answerable keeps one-to-one chats with a person. Chat servers other than
// the phone and LID ones are groups, status and broadcast lists,
// newsletters, hosted business accounts and bots.
func answerable(info types.MessageInfo) bool {
	if info.IsFromMe || info.IsGroup || info.Sender.IsBot() {
		return false
	}
	switch info.Chat.Server {
	case types.DefaultUserServer, types.HiddenUserServer:
		return true
	}
	return false
}

// content finds what a message carries: text, or Media with its caption
// (a transfer slip's "bayar angsuran"). Anything a member cannot type their
// way out of (a picture, voice note, sticker, file, location or contact
// card) is Media; reactions, polls, protocol messages and the like yield "".
func content(m *waE2E.Message) (channel.Kind, string) {
	for _, text := range []string{m.GetConversation(), m.GetExtendedTextMessage().GetText()} {
		if strings.TrimSpace(text) != "" {
			return channel.Text, text
		}
	}
	if f, _ := media(m); f != nil {
		return channel.Media, caption(m)
	}
	if m.GetLocationMessage() != nil || m.GetLiveLocationMessage() != nil || m.GetContactMessage() != nil ||
		m.GetContactsArrayMessage() != nil {
		return channel.Media, ""
	}
	return "", ""
}

// caption is what the member wrote under a picture or a file.
func caption(m *waE2E.Message) string {
	for _, c := range []string{m.GetImageMessage().GetCaption(), m.GetDocumentMessage().GetCaption(),
		m.GetDocumentWithCaptionMessage().GetMessage().GetDocumentMessage().GetCaption(), m.GetVideoMessage().GetCaption()} {
		if c != "" {
			return c
		}
	}
	return ""
}

// media describes the file a message carries and how whatsmeow downloads it;
// nil when it carries none.
func media(m *waE2E.Message) (*channel.File, whatsmeow.DownloadableMessage) {
	doc := m.GetDocumentMessage()
	if doc == nil {
		doc = m.GetDocumentWithCaptionMessage().GetMessage().GetDocumentMessage()
	}
	switch {
	case m.GetImageMessage() != nil:
		im := m.GetImageMessage()
		return &channel.File{Kind: channel.Image, MIME: im.GetMimetype(), Size: int64(im.GetFileLength())}, im
	case doc != nil:
		return &channel.File{Kind: channel.Document, MIME: doc.GetMimetype(), Name: doc.GetFileName(),
			Size: int64(doc.GetFileLength())}, doc
	case m.GetAudioMessage() != nil:
		a := m.GetAudioMessage()
		return &channel.File{Kind: channel.Voice, MIME: a.GetMimetype(), Size: int64(a.GetFileLength())}, a
	case m.GetStickerMessage() != nil:
		st := m.GetStickerMessage()
		return &channel.File{Kind: channel.Sticker, MIME: st.GetMimetype(), Size: int64(st.GetFileLength())}, st
	case m.GetVideoMessage() != nil:
		v := m.GetVideoMessage()
		return &channel.File{Kind: channel.Video, MIME: v.GetMimetype(), Size: int64(v.GetFileLength())}, v
	case m.GetPtvMessage() != nil:
		v := m.GetPtvMessage()
		return &channel.File{Kind: channel.Video, MIME: v.GetMimetype(), Size: int64(v.GetFileLength())}, v
	}
	return nil, nil
}

// phoneJID is the sender's phone-number JID, or empty when unknown. A @lid
// sender is looked up first in the alternative address the message carries,
// then in the LID store.
func phoneJID(ctx context.Context, info types.MessageInfo, lids lidResolver) (types.JID, error) {
	sender := info.Sender.ToNonAD()
	if sender.Server == types.DefaultUserServer {
		return sender, nil
	}
	if sender.Server != types.HiddenUserServer {
		return types.EmptyJID, nil
	}
	if alt := info.SenderAlt.ToNonAD(); alt.Server == types.DefaultUserServer {
		return alt, nil
	}
	pn, err := lids.GetPNForLID(ctx, sender)
	if err != nil {
		return types.EmptyJID, fmt.Errorf("look up phone of %s: %w", phone.Last4(sender.String()), err)
	}
	return pn.ToNonAD(), nil
}
