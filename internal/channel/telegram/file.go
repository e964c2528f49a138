package telegram

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/markup"
)

// inbound converts u and makes its file fetchable through this bot.
func (b *Bot) inbound(u tgbotapi.Update) inbound {
	in := convert(u, b.base.Self.UserName)
	if in.msg != nil && in.msg.File != nil && in.fileID != "" {
		id := in.fileID
		in.msg.File.Fetch = func(ctx context.Context, limit int64) ([]byte, error) { return b.fetch(ctx, id, limit) }
	}
	return in
}

// fetch downloads a file a chat sent: getFile tells its path, the file
// endpoint serves it. A size the platform declares above limit is refused
// before downloading; the download itself stops at limit.
func (b *Bot) fetch(ctx context.Context, fileID string, limit int64) ([]byte, error) {
	resp, err := b.api(ctx).Request(tgbotapi.FileConfig{FileID: fileID})
	if err != nil {
		return nil, fmt.Errorf("telegram getFile: %w", b.apiError("getFile", err))
	}
	var f tgbotapi.File
	if err := json.Unmarshal(resp.Result, &f); err != nil {
		return nil, fmt.Errorf("telegram getFile: %w", err)
	}
	if int64(f.FileSize) > limit {
		return nil, fmt.Errorf("telegram file of %d bytes, limit %d: %w", f.FileSize, limit, channel.ErrTooLarge)
	}
	if f.FilePath == "" {
		return nil, permanentf("telegram getFile gave no path")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf(b.cfg.FileEndpoint, b.cfg.Token, f.FilePath), nil)
	if err != nil {
		return nil, b.redact.error(fmt.Errorf("telegram file request: %w", err))
	}
	r, err := b.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("telegram file download: %w", b.redact.error(err))
	}
	defer r.Body.Close()
	if r.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("telegram file download: HTTP %d", r.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("telegram file download: %w", b.redact.error(err))
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("telegram file over %d bytes: %w", limit, channel.ErrTooLarge)
	}
	return data, nil
}

// maxCaption is how much of a reply's text goes under a file; Telegram
// takes 1024 characters, and a longer text follows as a message of its own.
const maxCaption = 1000

// sendFile sends r's attachment with r.Text as its caption: an image as a
// photo, anything else as a document; the buttons go under the last part.
func (b *Bot) sendFile(ctx context.Context, r channel.Reply, keyboard any) (string, error) {
	id, err := chatID(r.Chat)
	if err != nil {
		return "", err
	}
	data, err := os.ReadFile(r.Attachment.Path)
	if err != nil {
		return "", permanentf("attachment %s: %v", r.Attachment.Name, err)
	}
	name := r.Attachment.Name
	if name == "" {
		name = filepath.Base(r.Attachment.Path)
	}
	caption, rest := r.Text, ""
	if utf8.RuneCountInString(caption) > maxCaption {
		caption, rest = "", r.Text
	}
	base := tgbotapi.BaseFile{BaseChat: tgbotapi.BaseChat{ChatID: id}, File: tgbotapi.FileBytes{Name: name, Bytes: data}}
	if rest == "" {
		base.ReplyMarkup = keyboard
	}
	if n, err := strconv.Atoi(r.ReplyTo); err == nil {
		base.ReplyToMessageID, base.AllowSendingWithoutReply = n, true
	}
	var c tgbotapi.Chattable
	method := "sendDocument"
	if r.Attachment.Kind == channel.Image {
		c, method = tgbotapi.PhotoConfig{BaseFile: base, Caption: markup.TelegramHTML(caption), ParseMode: tgbotapi.ModeHTML}, "sendPhoto"
	} else {
		c = tgbotapi.DocumentConfig{BaseFile: base, Caption: markup.TelegramHTML(caption), ParseMode: tgbotapi.ModeHTML}
	}
	resp, err := b.deliver(ctx, r.Chat, method, c)
	if err != nil {
		return "", fmt.Errorf("send file to chat %s: %w", r.Chat, err)
	}
	if rest != "" {
		return b.sendText(ctx, r.Chat, rest, keyboard, "")
	}
	return sentID(resp), nil
}
