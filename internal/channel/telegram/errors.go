package telegram

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/kopmem/kopbot/internal/channel"
)

// ErrPermanent marks an error that sending again cannot fix: the chat does
// not exist, the member blocked the bot, the reply itself is malformed. The
// outbox stops retrying such a message; every other error is worth a retry.
var ErrPermanent = channel.ErrPermanent

// APIError is an error answer from the Bot API.
type APIError struct {
	Method      string
	Code        int
	Description string
	// RetryAfter is how long Telegram asks to wait after a 429.
	RetryAfter time.Duration
}

func (e *APIError) Error() string {
	return fmt.Sprintf("telegram %s: %d %s", e.Method, e.Code, e.Description)
}

// Is makes errors.Is(err, ErrPermanent) true for client errors other than
// 429: those describe the request or the chat, not a passing condition; and
// errors.Is(err, channel.ErrUnavailable) true for server errors: Telegram is
// down, and a message waits for it without losing an attempt.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrPermanent:
		return e.Code >= 400 && e.Code < 500 && e.Code != http.StatusTooManyRequests
	case channel.ErrUnavailable:
		return e.Code >= 500
	}
	return false
}

// Wait implements channel.Throttled: how long Telegram asked this chat to
// stay quiet, zero for anything but a 429.
func (e *APIError) Wait() time.Duration { return e.RetryAfter }

// unavailable wraps an error on the way to Telegram (no answer at all:
// connection refused, timeout, DNS): the channel is down, not the message
// wrong.
type unavailable struct{ err error }

func (u unavailable) Error() string   { return u.err.Error() }
func (u unavailable) Unwrap() []error { return []error{u.err, channel.ErrUnavailable} }

// defaultRetryAfter stands in when a 429 does not say how long to wait.
const defaultRetryAfter = time.Second

// apiError turns what tgbotapi returned for method into an *APIError when
// Telegram answered, or a wrapped transport error otherwise. Both are free of
// the token (see redactor).
func (b *Bot) apiError(method string, err error) error {
	var te *tgbotapi.Error
	if !errors.As(err, &te) {
		return unavailable{fmt.Errorf("telegram %s: %w", method, b.redact.error(err))}
	}
	ae := &APIError{Method: method, Code: te.Code, Description: b.redact.string(te.Message)}
	if ae.Code == http.StatusTooManyRequests {
		ae.RetryAfter = time.Duration(te.RetryAfter) * time.Second
		if ae.RetryAfter <= 0 {
			ae.RetryAfter = defaultRetryAfter
		}
	}
	return ae
}

// permanentf builds an error for a reply Telegram would refuse anyway.
func permanentf(format string, args ...any) error {
	return fmt.Errorf("telegram: %w: %s", ErrPermanent, fmt.Sprintf(format, args...))
}
