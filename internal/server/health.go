package server

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/channel/telegram"
	"github.com/kopmem/kopbot/internal/channel/whatsapp"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/store"
)

// health answers /healthz: 200 while the database answers and is still the
// file at its path, and Telegram hands kopbot its updates, 503 otherwise;
// each channel's state is reported either way, so a monitor sees a banned
// WhatsApp without the whole bot being declared dead. Telegram refusing
// updates with 409 (a webhook left set, a second kopbot on the same bot) is
// unhealthy: kopbot would hear nothing at all while still sending.
type health struct {
	db       *store.DB
	telegram *telegram.Bot
	whatsapp *whatsapp.Adapter
	// caps is how many bulk messages each running channel carries on a
	// day at its pacing: the backlog is reported in the days it takes.
	caps *Capacity
	now  func() time.Time
}

type healthReport struct {
	DB       string                          `json:"db"`
	Telegram *telegram.State                 `json:"telegram,omitempty"`
	WhatsApp *whatsapp.State                 `json:"whatsapp,omitempty"`
	Delivery map[channel.Name]deliveryReport `json:"delivery,omitempty"`
}

// deliveryReport is one channel's backlog: what waits by lane, and how
// many days of bulk capacity the waiting bulk needs.
type deliveryReport struct {
	outbox.Backlog
	BulkPerDay int     `json:"bulk_per_day"`
	BulkDays   float64 `json:"bulk_days"`
}

func (h health) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	rep := healthReport{DB: "ok"}
	code := http.StatusOK
	var one int
	if err := h.db.R.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		rep.DB, code = err.Error(), http.StatusServiceUnavailable
	} else if err := h.db.Same(); err != nil {
		// The old file still answers, but nothing written to it is kept.
		rep.DB, code = err.Error(), http.StatusServiceUnavailable
	}
	if h.telegram != nil {
		s := h.telegram.State()
		rep.Telegram = &s
		if s.ReceiveError != "" {
			code = http.StatusServiceUnavailable
		}
	}
	if h.whatsapp != nil {
		s := h.whatsapp.State()
		rep.WhatsApp = &s
	}
	for _, ch := range h.caps.channels() {
		perDay := func(day time.Time) int {
			n, _ := h.caps.PerDay(ch, day)
			return n
		}
		b, err := outbox.Waiting(ctx, h.db.R, ch)
		if err != nil {
			continue // the database's own state above says why
		}
		if rep.Delivery == nil {
			rep.Delivery = map[channel.Name]deliveryReport{}
		}
		now := h.now()
		rep.Delivery[ch] = deliveryReport{Backlog: b, BulkPerDay: perDay(now),
			BulkDays: math.Round(outbox.BulkDays(b.Bulk, now, perDay)*10) / 10}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(rep) // the client went away; nothing to tell it
}

func metricsHandler(m *metrics) http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}
