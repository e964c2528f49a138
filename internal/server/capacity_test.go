package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/announce"
	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/channel/whatsapp"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/config"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/kopmem/kopbot/internal/store/storetest"
)

// TestConfiguredCapacity: without a running channel (the terminal) the
// capacity is the configured pace, the WhatsApp number's warm-up counted
// from its first use as serve recorded it: warmed up, the daily cap binds
// at the defaults (3,000, not the 3,750 the pace alone would carry in
// 08:00–20:00), Telegram's rate does; a number that never sent carries
// the warm-up's first day; a disabled channel has none.
func TestConfiguredCapacity(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	day := 12 * time.Hour
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, clock.Jakarta())
	used := storetest.Open(t, outbox.Schema)
	if _, err := outbox.FirstUse(ctx, used, channel.WhatsApp, "6281100000000", now.AddDate(0, -2, 0)); err != nil {
		t.Fatal(err)
	}
	fresh := storetest.Open(t, outbox.Schema)
	both := map[string]string{"KOPBOT_TELEGRAM_ENABLED": "true", "KOPBOT_TELEGRAM_TOKEN": "1:x", "KOPBOT_WHATSAPP_ENABLED": "true"}
	for _, tc := range []struct {
		name string
		env  map[string]string
		db   *store.DB
		want map[channel.Name]announce.Pace
	}{
		{"both at the defaults", both, used,
			map[channel.Name]announce.Pace{channel.WhatsApp: {PerDay: 3000, Window: day}, channel.Telegram: {PerDay: 1_080_000, Window: day}}},
		{"a number that never sent", both, fresh,
			map[channel.Name]announce.Pace{channel.WhatsApp: {PerDay: 200, Window: day}, channel.Telegram: {PerDay: 1_080_000, Window: day}}},
		{"a slower number in a shorter window", map[string]string{"KOPBOT_WHATSAPP_ENABLED": "true",
			"KOPBOT_WHATSAPP_MIN_INTERVAL": "20s", "KOPBOT_WHATSAPP_JITTER": "20s", "KOPBOT_REMINDERS_WINDOW_END": "16:00"}, used,
			map[channel.Name]announce.Pace{channel.WhatsApp: {PerDay: 960, Window: 8 * time.Hour}}},
		{"none enabled", map[string]string{}, used, map[channel.Name]announce.Pace{}},
	} {
		cfg, err := config.Load("", func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok })
		if err != nil {
			t.Fatal(err)
		}
		caps := NewCapacity(cfg)
		if err := caps.Configure(ctx, cfg, tc.db.R); err != nil {
			t.Fatal(err)
		}
		if got := caps.channels(); len(got) != len(tc.want) {
			t.Errorf("%s: channels %v, want %d", tc.name, got, len(tc.want))
		}
		for ch, want := range tc.want {
			if got, ok := caps.Pace(ch, now); !ok || got != want {
				t.Errorf("%s: %s %+v, want %+v", tc.name, ch, got, want)
			}
		}
	}
}

// TestPreviewEstimatesAtTheWarmUp: on a number in its first days an
// announcement's preview estimates at the warm-up's cap, the very figure
// /healthz reports as bulk_per_day, behind the bulk already waiting: 400
// copies behind 200 reminders take 3 sending days at 200 a day, where the
// configured pace of 3,000 a day would promise under three hours.
func TestPreviewEstimatesAtTheWarmUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t, app.Schemas...)
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, clock.Jakarta())
	var a announce.Announcement
	err := db.Write(ctx, func(tx *sql.Tx) error {
		for i := range 400 {
			p := fmt.Sprintf("62812%08d", i)
			m, err := member.Create(ctx, tx, member.Member{Number: fmt.Sprintf("A%04d", i), Name: "Anggota", Phone: p,
				JoinedOn: now.AddDate(-1, 0, 0)})
			if err != nil {
				return err
			}
			if err := member.Touch(ctx, tx, m.ID, channel.WhatsApp, p+"@s.whatsapp.net", now); err != nil {
				return err
			}
		}
		for i := range 200 {
			if _, err := outbox.Enqueue(ctx, tx, outbox.Item{Reply: channel.Reply{Channel: channel.WhatsApp,
				Chat: fmt.Sprintf("62899%08d@s.whatsapp.net", i), Text: "pengingat"}, Lane: channel.Bulk}, now); err != nil {
				return err
			}
		}
		var err error
		a, err = announce.Create(ctx, tx, announce.All, nil, "Undangan RAT", "1001", time.Time{}, now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"KOPBOT_WHATSAPP_ENABLED": "true"}
	cfg, err := config.Load("", func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	pacer := whatsapp.NewPacer(whatsAppPacing(cfg), cfg.Location(), nil)
	pacer.FirstUsed(now) // the number's first day with kopbot
	caps := newCapacity(app.BulkWindow(cfg))
	caps.whatsapp(pacer)

	rec := httptest.NewRecorder()
	health{db: db, caps: caps, now: func() time.Time { return now }}.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	var rep healthReport
	if err := json.NewDecoder(rec.Body).Decode(&rep); err != nil {
		t.Fatal(err)
	}
	healthz := rep.Delivery[channel.WhatsApp].BulkPerDay
	if healthz != cfg.WhatsApp.WarmupStartCap {
		t.Fatalf("/healthz bulk_per_day %d on the first day, want the warm-up's %d", healthz, cfg.WhatsApp.WarmupStartCap)
	}
	p, err := announce.PreviewOf(ctx, db.R, a, now, caps.Pace)
	if err != nil {
		t.Fatal(err)
	}
	// 600 to carry: 200 on the first day, then the second day's larger cap
	// carries the rest; at the first day's cap it would be three days.
	second := pacer.BulkPerDay(now.AddDate(0, 0, 1), app.BulkWindow(cfg))
	if healthz+second < 600 || 3*healthz < 600 {
		t.Fatalf("caps %d then %d: the case below no longer tells the warm-up apart", healthz, second)
	}
	if want := (announce.Estimate{Days: 2}); p.Copies != 400 || p.Estimate != want {
		t.Fatalf("preview %+v, want 400 copies in %+v", p, want)
	}
	if days := rep.Delivery[channel.WhatsApp].BulkDays; days != 1 {
		t.Fatalf("/healthz bulk_days %v for 200 waiting, want the first day's whole capacity", days)
	}
}
