package server

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/clock/clocktest"
	"github.com/kopmem/kopbot/internal/demo"
	"github.com/kopmem/kopbot/internal/router"
)

// TestFallbackCounted: every member message answered by the fallback is
// counted once, as it is answered, and only those; the inbox still keeps
// them for the officers' /tidakpaham.
func TestFallbackCounted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := clocktest.Now(t)
	a, err := app.Open(ctx, filepath.Join(t.TempDir(), "k.db"), app.Options{Clock: clock.NewManual(now)})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := demo.Seed(ctx, a.DB, demo.Small, now); err != nil {
		t.Fatal(err)
	}
	m := newMetrics(a.DB)
	a.Router.OnFallback(m.fallbacks.Inc)
	for _, msg := range []struct{ id, phone, text string }{
		{"a", demo.Phone, "asdf qwerty"},
		{"a", demo.Phone, "asdf qwerty"}, // redelivered: answered and counted once
		{"b", demo.Phone, "jual pulsa"},
		{"c", demo.Phone, "saldo"},
		{"d", "6289999999999", "asdf qwerty"}, // not a member: no fallback, only "not registered"
	} {
		if err := a.Router.Handle(ctx, channel.Message{Channel: channel.WhatsApp, ID: msg.id, Chat: msg.phone + "@s.whatsapp.net",
			Phone: msg.phone, Text: msg.text, Kind: channel.Text}); err != nil {
			t.Fatal(err)
		}
	}
	want := "# HELP kopbot_understand_fallback_total Member messages kopbot did not understand (answered by the fallback); officers see the most frequent with /tidakpaham.\n# TYPE kopbot_understand_fallback_total counter\nkopbot_understand_fallback_total 2\n"
	if err := testutil.CollectAndCompare(m.fallbacks, strings.NewReader(want)); err != nil {
		t.Fatal(err)
	}
	misses, err := router.Misses(ctx, a.DB.R, now.Add(-time.Hour), 10)
	if err != nil || len(misses) != 2 {
		t.Errorf("misses %v (%v), want the two messages not understood", misses, err)
	}
}
