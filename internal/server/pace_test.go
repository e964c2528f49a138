package server

import (
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/announce"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/config"
)

// TestBulkPace: the announcement preview's pace is the configured one: at
// the defaults WhatsApp's daily cap binds (3,000, not the 3,750 the pace
// alone would carry in 08:00–20:00), Telegram's rate does; a disabled
// channel has none.
func TestBulkPace(t *testing.T) {
	t.Parallel()
	day := 12 * time.Hour
	for _, tc := range []struct {
		name string
		env  map[string]string
		want map[channel.Name]announce.Pace
	}{
		{"both at the defaults", map[string]string{"KOPBOT_TELEGRAM_ENABLED": "true", "KOPBOT_TELEGRAM_TOKEN": "1:x",
			"KOPBOT_WHATSAPP_ENABLED": "true"},
			map[channel.Name]announce.Pace{channel.WhatsApp: {PerDay: 3000, Window: day}, channel.Telegram: {PerDay: 1_080_000, Window: day}}},
		{"a slower number in a shorter window", map[string]string{"KOPBOT_WHATSAPP_ENABLED": "true",
			"KOPBOT_WHATSAPP_MIN_INTERVAL": "20s", "KOPBOT_WHATSAPP_JITTER": "20s", "KOPBOT_REMINDERS_WINDOW_END": "16:00"},
			map[channel.Name]announce.Pace{channel.WhatsApp: {PerDay: 960, Window: 8 * time.Hour}}},
		{"none enabled", map[string]string{}, map[channel.Name]announce.Pace{}},
	} {
		cfg, err := config.Load("", func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok })
		if err != nil {
			t.Fatal(err)
		}
		got := BulkPace(cfg)
		if len(got) != len(tc.want) {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
		for ch, p := range tc.want {
			if got[ch] != p {
				t.Errorf("%s: %s %+v, want %+v", tc.name, ch, got[ch], p)
			}
		}
	}
}
