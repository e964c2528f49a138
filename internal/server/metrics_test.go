package server

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/clock/clocktest"
)

// TestFallbackCounted: every member message answered by the fallback is
// counted, and only those.
func TestFallbackCounted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, err := app.Open(ctx, filepath.Join(t.TempDir(), "k.db"), app.Options{Clock: clock.NewManual(clocktest.Now(t))})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	err = a.DB.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO inbox (channel, platform_id, chat, text, received_at, served) VALUES
			('whatsapp', 'a', 'c', 'asdf', '2026-11-30T03:00:00Z', 'fallback'),
			('whatsapp', 'b', 'c', 'jual pulsa', '2026-11-30T03:00:01Z', 'fallback'),
			('whatsapp', 'c', 'c', 'saldo', '2026-11-30T03:00:02Z', 'balance')`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "# HELP kopbot_understand_fallback_total Member messages kopbot did not understand (answered by the fallback); officers see the most frequent with /tidakpaham.\n# TYPE kopbot_understand_fallback_total counter\nkopbot_understand_fallback_total 2\n"
	if err := testutil.CollectAndCompare(fallbacks{db: a.DB}, strings.NewReader(want)); err != nil {
		t.Fatal(err)
	}
}
