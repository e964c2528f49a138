package telegram

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/kopmem/kopbot/internal/channel"
)

// inbound is what one update carries for the handler: a message, a button
// press, or (both nil) nothing kopbot acts on.
type inbound struct {
	msg *channel.Message
	cb  *channel.Callback
	// fileID is the Bot API's id of msg.File, which the bot fetches.
	fileID string
}

// convert turns an update into what the handler sees. Ignored:
//   - edited messages: the original was handled already, maybe posting money
//     or moving a dialog on; acting on the edit would do it twice or
//     retroactively. A member who mistyped sends a new message.
//   - messages from bots (including this one, and the stand-in Telegram
//     uses for anonymous group admins): they are no member or officer, and
//     answering bots can loop.
//   - commands addressed to another bot (/start@otherbot in a group).
//   - service messages (someone joined, title changed) and kinds kopbot has
//     no answer for (polls, locations), which carry no text.
func convert(u tgbotapi.Update, botName string) inbound {
	switch {
	case u.Message != nil:
		msg := convertMessage(u.Message, botName)
		if msg == nil || msg.Kind != channel.Media {
			return inbound{msg: msg}
		}
		var id string
		msg.File, id = fileOf(u.Message)
		return inbound{msg: msg, fileID: id}
	case u.CallbackQuery != nil:
		return inbound{cb: convertCallback(u.CallbackQuery)}
	}
	return inbound{}
}

func convertMessage(m *tgbotapi.Message, botName string) *channel.Message {
	if m.From == nil || m.From.IsBot || m.Chat == nil {
		return nil
	}
	chat := strconv.FormatInt(m.Chat.ID, 10)
	out := &channel.Message{
		Channel: channel.Telegram,
		ID:      messageID(chat, m.MessageID),
		Chat:    chat,
		From:    strconv.FormatInt(m.From.ID, 10),
		At:      time.Unix(int64(m.Date), 0).UTC(),
	}
	if m.ReplyToMessage != nil {
		out.ReplyTo = messageID(chat, m.ReplyToMessage.MessageID)
	}
	switch {
	case m.Contact != nil:
		out.Kind = channel.Contact
		out.Contact = &channel.SharedContact{Phone: m.Contact.PhoneNumber}
		if m.Contact.UserID != 0 {
			out.Contact.UserID = strconv.FormatInt(m.Contact.UserID, 10)
		}
	case hasMedia(m):
		out.Kind, out.Text = channel.Media, m.Caption
	case m.Text != "":
		text, ok := stripBotName(m, botName)
		if !ok {
			return nil
		}
		out.Kind, out.Text = channel.Text, text
	default:
		return nil
	}
	return out
}

func hasMedia(m *tgbotapi.Message) bool {
	return len(m.Photo) > 0 || m.Voice != nil || m.Sticker != nil || m.Document != nil ||
		m.Video != nil || m.Audio != nil || m.Animation != nil || m.VideoNote != nil
}

// fileOf describes the file a media message carries and gives its Bot API
// id; a photo comes in several sizes and the largest is the one legible.
func fileOf(m *tgbotapi.Message) (*channel.File, string) {
	switch {
	case len(m.Photo) > 0:
		p := m.Photo[len(m.Photo)-1]
		return &channel.File{Kind: channel.Image, MIME: "image/jpeg", Size: int64(p.FileSize)}, p.FileID
	case m.Document != nil:
		d := m.Document
		return &channel.File{Kind: channel.Document, MIME: d.MimeType, Name: d.FileName, Size: int64(d.FileSize)}, d.FileID
	case m.Voice != nil:
		return &channel.File{Kind: channel.Voice, MIME: m.Voice.MimeType, Size: int64(m.Voice.FileSize)}, m.Voice.FileID
	case m.Audio != nil:
		return &channel.File{Kind: channel.Voice, MIME: m.Audio.MimeType, Name: m.Audio.FileName, Size: int64(m.Audio.FileSize)}, m.Audio.FileID
	case m.Sticker != nil:
		return &channel.File{Kind: channel.Sticker, MIME: "image/webp", Size: int64(m.Sticker.FileSize)}, m.Sticker.FileID
	case m.Video != nil:
		return &channel.File{Kind: channel.Video, MIME: m.Video.MimeType, Name: m.Video.FileName, Size: int64(m.Video.FileSize)}, m.Video.FileID
	case m.VideoNote != nil:
		return &channel.File{Kind: channel.Video, MIME: "video/mp4", Size: int64(m.VideoNote.FileSize)}, m.VideoNote.FileID
	case m.Animation != nil:
		return &channel.File{Kind: channel.Video, MIME: m.Animation.MimeType, Size: int64(m.Animation.FileSize)}, m.Animation.FileID
	}
	return nil, ""
}

// stripBotName turns "/cmd@kopbot args" into "/cmd args", the form the
// handler knows from private chats, where Telegram sends no @name. It
// reports false for a command meant for another bot in the same group.
func stripBotName(m *tgbotapi.Message, botName string) (string, bool) {
	if !m.IsCommand() {
		return m.Text, true
	}
	end := strings.IndexFunc(m.Text, unicode.IsSpace)
	if end < 0 {
		end = len(m.Text)
	}
	cmd, to, addressed := strings.Cut(m.Text[:end], "@")
	if !addressed {
		return m.Text, true
	}
	if !strings.EqualFold(to, botName) {
		return "", false
	}
	return cmd + m.Text[end:], true
}

func convertCallback(q *tgbotapi.CallbackQuery) *channel.Callback {
	if q.From == nil {
		return nil
	}
	cb := &channel.Callback{
		Channel: channel.Telegram,
		ID:      q.ID,
		From:    strconv.FormatInt(q.From.ID, 10),
		Data:    q.Data,
	}
	// A press on a message sent inline via another chat has no message;
	// kopbot never sends those, so Chat and MessageID stay empty.
	if q.Message != nil && q.Message.Chat != nil {
		cb.Chat = strconv.FormatInt(q.Message.Chat.ID, 10)
		cb.MessageID = strconv.Itoa(q.Message.MessageID)
	}
	return cb
}

// messageID is a message's platform id: Telegram numbers messages per chat,
// so the chat is part of it.
func messageID(chat string, id int) string { return chat + ":" + strconv.Itoa(id) }
