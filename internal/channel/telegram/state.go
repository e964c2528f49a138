package telegram

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/kopmem/kopbot/internal/clock"
)

// State is the adapter's health, for a health check.
type State struct {
	// Connected is true while the last call to Telegram got an answer.
	Connected bool
	LastOK    time.Time
	// LastError is the most recent failure to reach Telegram (token masked).
	LastError   string
	LastErrorAt time.Time
	// Receiving is false while Telegram refuses to hand kopbot its updates
	// (409: a webhook is still set, or another kopbot polls the same bot):
	// sends may still work, but nothing members or officers write arrives.
	Receiving bool
	// ReceiveError says why nothing is received; "" while Receiving.
	ReceiveError string `json:",omitempty"`
}

// State reports whether Telegram is reachable.
func (b *Bot) State() State { return b.health.get() }

// Pacer is how the outbox must space this bot's messages: Send itself does
// not wait.
func (b *Bot) Pacer() *Pacer { return b.pace }

type health struct {
	clk clock.Clock

	mu sync.Mutex
	s  State
}

func (h *health) get() State {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.s
}

// observe records the outcome of one call. Cancellation says nothing about
// Telegram and is ignored.
func (h *health) observe(err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.clk.Now()
	if err == nil {
		h.s.Connected, h.s.LastOK = true, now
		return
	}
	h.s.Connected, h.s.LastError, h.s.LastErrorAt = false, err.Error(), now
}

// observeReceive records the outcome of one attempt to receive: only a
// 409 conflict stops reception for good until someone acts; a passing
// network failure is observe's to report.
func (h *health) observeReceive(err error) {
	h.observe(err)
	if errors.Is(err, context.Canceled) {
		return
	}
	var ae *APIError
	conflict := errors.As(err, &ae) && ae.Code == http.StatusConflict
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case conflict:
		h.s.Receiving, h.s.ReceiveError = false, err.Error()
	case err == nil:
		h.s.Receiving, h.s.ReceiveError = true, ""
	}
}

// observeSend is observe for a send: an answer about one chat (blocked, not
// found) or a 429 still proves Telegram is there; only transport and server
// errors mean it is not.
func (h *health) observeSend(err error) {
	var ae *APIError
	if errors.As(err, &ae) && ae.Code < http.StatusInternalServerError {
		err = nil
	}
	h.observe(err)
}
