package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/kopmem/kopbot/internal/channel"
)

// SecretHeader carries the secret Telegram was given in setWebhook; a post
// without it is not from Telegram.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// maxUpdate bounds a webhook body; a real update is a few kilobytes.
const maxUpdate = 1 << 20

// SetWebhook tells Telegram to post updates to url with secret, instead of
// being polled.
func (b *Bot) SetWebhook(ctx context.Context, url, secret string) error {
	_, err := b.api(ctx).MakeRequest("setWebhook", tgbotapi.Params{
		"url":             url,
		"secret_token":    secret,
		"allowed_updates": `["message","callback_query"]`,
	})
	if err != nil {
		return fmt.Errorf("set webhook: %w", b.apiError("setWebhook", err))
	}
	b.health.observeReceive(nil)
	return nil
}

// DropWebhook makes sure Telegram can be polled: a webhook left from a run
// in webhook mode makes Telegram refuse getUpdates with 409 for as long as
// it is set, and kopbot would hear nothing. Updates waiting at the old
// webhook are kept, so polling picks them up.
func (b *Bot) DropWebhook(ctx context.Context) error {
	info, err := b.api(ctx).GetWebhookInfo()
	if err != nil {
		return fmt.Errorf("read webhook state: %w", b.apiError("getWebhookInfo", err))
	}
	if info.URL == "" {
		return nil
	}
	b.log.WarnContext(ctx, "telegram webhook still set from webhook mode; deleting it to poll",
		"pending_updates", info.PendingUpdateCount)
	if _, err := b.api(ctx).Request(tgbotapi.DeleteWebhookConfig{DropPendingUpdates: false}); err != nil {
		return fmt.Errorf("delete stale webhook: %w", b.apiError("deleteWebhook", err))
	}
	return nil
}

// Webhook is the HTTP handler for webhook mode. It answers 200 only once h
// accepted the update: on anything else Telegram posts it again later, and
// h's inbox makes sure it is handled once. The secret is compared in
// constant time, so its bytes cannot be guessed one by one from timing.
func (b *Bot) Webhook(h channel.Handler, secret string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		if subtle.ConstantTimeCompare([]byte(r.Header.Get(SecretHeader)), []byte(secret)) != 1 || secret == "" {
			b.log.WarnContext(r.Context(), "telegram webhook refused: wrong secret", "remote", r.RemoteAddr)
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		var u tgbotapi.Update
		if err := json.NewDecoder(io.LimitReader(r.Body, maxUpdate)).Decode(&u); err != nil {
			http.Error(w, "bad update", http.StatusBadRequest)
			return
		}
		in := b.inbound(u)
		if in.msg == nil && in.cb == nil {
			return // ignored kinds are accepted, or Telegram would resend them forever
		}
		b.health.observeReceive(nil)
		answered := false
		if err := b.handle(r.Context(), h, in, &answered); err != nil {
			b.log.WarnContext(r.Context(), "telegram webhook update failed; Telegram will resend", "update_id", u.UpdateID, "err", err)
			http.Error(w, "try again", http.StatusInternalServerError)
		}
	})
}
