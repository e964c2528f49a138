package whatsapp

import (
	"context"
	"fmt"
	"sync"
	"time"

	"go.mau.fi/whatsmeow/types/events"

	"github.com/kopmem/kopbot/internal/channel"
)

// ErrHalted means WhatsApp sending has stopped for good in this run: the
// session was logged out, replaced, banned or refused as outdated. Nothing
// more goes out until an officer fixes the cause and restarts kopbot.
var ErrHalted = fmt.Errorf("whatsapp halted: %w", channel.ErrUnavailable)

// Alert kinds passed to Config.OnAlert, one per event that halts WhatsApp.
const (
	AlertLoggedOut      = "logged_out"
	AlertStreamReplaced = "stream_replaced"
	AlertTemporaryBan   = "temporary_ban"
	AlertClientOutdated = "client_outdated"
)

// State is the connection as health checks see it.
type State struct {
	Connected bool
	// Halted is set by the first halting event and stays set; Reason is
	// that event's alert kind and Detail what WhatsApp said.
	Halted         bool
	Reason, Detail string
	// Since is when Connected or Halted last changed.
	Since time.Time
}

type connState struct {
	mu sync.Mutex
	s  State
}

func (c *connState) get() State {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.s
}

func (c *connState) setConnected(on bool, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.s.Connected != on {
		c.s.Connected, c.s.Since = on, now
	}
}

// halt records the first halting reason; later ones are alerted but do not
// overwrite it, since the first is what officers must fix.
func (c *connState) halt(kind, detail string, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s.Connected = false
	if !c.s.Halted {
		c.s.Halted, c.s.Reason, c.s.Detail, c.s.Since = true, kind, detail, now
	}
}

// halted returns an ErrHalted carrying the reason, or nil.
func (c *connState) halted() error {
	s := c.get()
	if !s.Halted {
		return nil
	}
	return fmt.Errorf("%w: %s: %s", ErrHalted, s.Reason, s.Detail)
}

// halting names the events after which whatsmeow will not reconnect and
// sending must stop, with a detail for the officers.
func halting(evt any) (kind, detail string, ok bool) {
	switch e := evt.(type) {
	case *events.LoggedOut:
		return AlertLoggedOut, fmt.Sprintf("the phone unlinked kopbot (%s); run `kopbot whatsapp link` again", e.PermanentDisconnectDescription()), true
	case *events.StreamReplaced:
		return AlertStreamReplaced, "another program connected with this WhatsApp session; stop it, then restart kopbot", true
	case *events.TemporaryBan:
		return AlertTemporaryBan, e.String(), true
	case *events.ClientOutdated:
		return AlertClientOutdated, "WhatsApp refused this client version; update kopbot", true
	}
	return "", "", false
}

// watch follows connection events.
func (a *Adapter) watch(ctx context.Context, evt any) {
	now := a.clock.Now()
	switch evt.(type) {
	case *events.Connected:
		a.conn.setConnected(true, now)
		a.log.InfoContext(ctx, "whatsapp connected")
		return
	case *events.Disconnected:
		a.conn.setConnected(false, now)
		a.log.WarnContext(ctx, "whatsapp disconnected, reconnecting")
		return
	}
	kind, detail, ok := halting(evt)
	if !ok {
		return
	}
	a.conn.halt(kind, detail, now)
	a.log.ErrorContext(ctx, "WHATSAPP HALTED: nothing will be sent on WhatsApp until this is fixed and kopbot restarted",
		"kind", kind, "detail", detail)
	a.onAlert(ctx, kind, detail)
}
