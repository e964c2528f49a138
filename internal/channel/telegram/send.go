package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/markup"
)

// maxCallbackData is Telegram's limit on a button's callback_data, in bytes.
const maxCallbackData = 64

// Send delivers r, rendered for Telegram's HTML mode and split into parts
// that fit one message; the buttons go under the last part. A failure in a
// later part returns an error after earlier parts went out, so a retried
// reply may repeat them: a duplicate paragraph is better than a lost one.
func (b *Bot) Send(ctx context.Context, r channel.Reply) error {
	_, err := b.SendTraced(ctx, r)
	return err
}

// SendTraced implements channel.Tracer: it sends r and returns the message
// id of its last part, the one a reply would most likely answer.
func (b *Bot) SendTraced(ctx context.Context, r channel.Reply) (string, error) {
	if r.Channel != "" && r.Channel != channel.Telegram {
		return "", permanentf("reply for channel %q sent to telegram", r.Channel)
	}
	if r.EditOf != "" {
		return "", b.EditButtons(ctx, r.Chat, r.EditOf, r.Buttons)
	}
	if len(r.Buttons) == 1 && len(r.Buttons[0]) == 1 {
		switch r.Buttons[0][0].Data {
		case channel.ContactRequest:
			return "", b.RequestContact(ctx, r.Chat, r.Text, r.Buttons[0][0].Text)
		case channel.KeyboardRemove:
			return b.sendText(ctx, r.Chat, r.Text, tgbotapi.NewRemoveKeyboard(false), r.ReplyTo)
		}
	}
	kb, err := inlineKeyboard(r.Buttons)
	if err != nil {
		return "", err
	}
	var keyboard any
	if len(kb.InlineKeyboard) > 0 {
		keyboard = kb
	}
	if r.Attachment != nil {
		return b.sendFile(ctx, r, keyboard)
	}
	return b.sendText(ctx, r.Chat, r.Text, keyboard, r.ReplyTo)
}

// RequestContact sends text with a one-time keyboard whose only button,
// labelled buttonText, shares the member's own phone number: that is how a
// member binds their Telegram account once.
func (b *Bot) RequestContact(ctx context.Context, chat, text, buttonText string) error {
	if buttonText == "" {
		return permanentf("contact request without button text")
	}
	kb := tgbotapi.NewOneTimeReplyKeyboard(tgbotapi.NewKeyboardButtonRow(tgbotapi.NewKeyboardButtonContact(buttonText)))
	_, err := b.sendText(ctx, chat, text, kb, "")
	return err
}

// RemoveKeyboard sends text and takes away the reply keyboard, once the
// contact was shared. Telegram removes a keyboard only with a message.
func (b *Bot) RemoveKeyboard(ctx context.Context, chat, text string) error {
	_, err := b.sendText(ctx, chat, text, tgbotapi.NewRemoveKeyboard(false), "")
	return err
}

// EditButtons replaces the buttons under messageID (a Callback's MessageID)
// in chat; no rows removes them, so an approved request cannot be pressed
// again. Editing to what is already there succeeds: a retried edit is done.
func (b *Bot) EditButtons(ctx context.Context, chat, messageID string, rows [][]channel.Button) error {
	chatID, err := chatID(chat)
	if err != nil {
		return err
	}
	msgID, err := strconv.Atoi(messageID)
	if err != nil {
		return permanentf("message id %q is not a number", messageID)
	}
	kb, err := inlineKeyboard(rows)
	if err != nil {
		return err
	}
	_, err = b.deliver(ctx, chat, "editMessageReplyMarkup", tgbotapi.NewEditMessageReplyMarkup(chatID, msgID, kb))
	var ae *APIError
	if errors.As(err, &ae) && ae.Code == 400 && notModified(ae.Description) {
		return nil
	}
	return err
}

// sendText sends text in as many messages as it takes, keyboard (nil for
// none) under the last; the first answers replyTo (a message id, "" for
// none). A message to reply to that is gone no longer stops the send.
func (b *Bot) sendText(ctx context.Context, chat, text string, keyboard any, replyTo string) (string, error) {
	id, err := chatID(chat)
	if err != nil {
		return "", err
	}
	parts := splitText(text)
	if len(parts) == 0 {
		return "", permanentf("empty message to chat %s", chat)
	}
	var last string
	for i, part := range parts {
		msg := tgbotapi.NewMessage(id, markup.TelegramHTML(part))
		msg.ParseMode = tgbotapi.ModeHTML
		if n, err := strconv.Atoi(replyTo); i == 0 && err == nil {
			msg.ReplyToMessageID = n
			msg.AllowSendingWithoutReply = true
		}
		if i == len(parts)-1 {
			msg.ReplyMarkup = keyboard
		}
		resp, err := b.deliver(ctx, chat, "sendMessage", msg)
		if err != nil {
			return "", fmt.Errorf("send part %d of %d to chat %s: %w", i+1, len(parts), chat, err)
		}
		if id := sentID(resp); id != "" {
			last = id
		}
	}
	return last, nil
}

// sentID is the id of the message a send made, "" when the answer has none.
func sentID(resp *tgbotapi.APIResponse) string {
	var sent struct {
		MessageID int `json:"message_id"`
	}
	if json.Unmarshal(resp.Result, &sent) != nil || sent.MessageID == 0 {
		return ""
	}
	return strconv.Itoa(sent.MessageID)
}

// deliver makes one request. It does not wait: the outbox paces (see
// Pacer), and a 429 comes back as an *APIError whose Wait says how long
// that chat must stay quiet.
func (b *Bot) deliver(ctx context.Context, chat, method string, c tgbotapi.Chattable) (*tgbotapi.APIResponse, error) {
	resp, err := b.api(ctx).Request(c)
	if err != nil {
		err = b.apiError(method, err)
	}
	b.health.observeSend(err)
	var ae *APIError
	if errors.As(err, &ae) && ae.RetryAfter > 0 {
		b.log.InfoContext(ctx, "telegram flood limit", "chat", chat, "method", method, "retry_after", ae.RetryAfter)
	}
	return resp, err
}

// inlineKeyboard builds the buttons, refusing data Telegram would reject
// rather than sending a message whose buttons do nothing.
func inlineKeyboard(rows [][]channel.Button) (tgbotapi.InlineKeyboardMarkup, error) {
	kb := tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{}}
	for _, row := range rows {
		if len(row) == 0 {
			continue
		}
		var out []tgbotapi.InlineKeyboardButton
		for _, btn := range row {
			if btn.Text == "" {
				return kb, permanentf("button with data %q has no text", btn.Data)
			}
			if n := len(btn.Data); n == 0 || n > maxCallbackData {
				return kb, permanentf("button %q: callback data is %d bytes, must be 1 to %d", btn.Text, n, maxCallbackData)
			}
			out = append(out, tgbotapi.NewInlineKeyboardButtonData(btn.Text, btn.Data))
		}
		kb.InlineKeyboard = append(kb.InlineKeyboard, out)
	}
	return kb, nil
}

// notModified tells Telegram's answer to an edit that changes nothing.
func notModified(description string) bool {
	return strings.Contains(description, "message is not modified")
}

func chatID(chat string) (int64, error) {
	id, err := strconv.ParseInt(chat, 10, 64)
	if err != nil || id == 0 {
		return 0, permanentf("chat %q is not a Telegram chat id", chat)
	}
	return id, nil
}
