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
}

// State reports whether Telegram is reachable.
func (b *Bot) State() State { return b.health.get() }

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
