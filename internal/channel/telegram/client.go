package telegram

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// api returns a BotAPI whose requests carry ctx. tgbotapi builds its requests
// without a context, so the only way to make a long poll or a send stop on
// cancellation is a client bound to ctx; the copy is a few words and keeps
// concurrent calls from sharing one.
func (b *Bot) api(ctx context.Context) *tgbotapi.BotAPI {
	api := b.base
	api.Client = boundClient{ctx: ctx, hc: b.hc, redact: b.redact}
	return &api
}

// boundClient is tgbotapi's HTTPClient, doing every request with ctx.
type boundClient struct {
	ctx    context.Context
	hc     *http.Client
	redact redactor
}

func (c boundClient) Do(req *http.Request) (*http.Response, error) {
	resp, err := c.hc.Do(req.WithContext(c.ctx))
	if err != nil {
		return nil, c.redact.error(err)
	}
	return resp, nil
}

// redactor removes the bot token from text. The token is part of every
// request URL, and net/http puts the URL into its errors ("Post
// \"https://api.telegram.org/bot123:ABC/getUpdates\": ..."), which would
// otherwise reach logs and the outbox's error column.
type redactor struct{ r *strings.Replacer }

func newRedactor(token string) redactor {
	const mask = "<token>"
	return redactor{strings.NewReplacer(token, mask, url.PathEscape(token), mask)}
}

func (r redactor) string(s string) string { return r.r.Replace(s) }

// error returns err with the token masked. A *url.Error keeps its type with
// a masked URL; anything else whose text holds the token becomes a
// redactedError.
func (r redactor) error(err error) error {
	if err == nil {
		return nil
	}
	if ue, ok := err.(*url.Error); ok {
		return &url.Error{Op: ue.Op, URL: r.string(ue.URL), Err: r.error(ue.Err)}
	}
	if msg := r.string(err.Error()); msg != err.Error() {
		return &redactedError{msg: msg, cause: err}
	}
	return err
}

// redactedError shows a masked message and answers errors.Is for its cause
// (so context.Canceled is still recognised), but has no Unwrap: nothing can
// reach the cause's unmasked text.
type redactedError struct {
	msg   string
	cause error
}

func (e *redactedError) Error() string        { return e.msg }
func (e *redactedError) Is(target error) bool { return errors.Is(e.cause, target) }
