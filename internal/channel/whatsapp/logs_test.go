package whatsapp

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/types"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
	kbmember "github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/redact"
)

// TestLogsNeverNameAMember runs a member's day through the real adapter,
// router and outbox with every log line captured, at debug level, by the
// handler kopbot installs: a balance asked, a sender from a landline, one
// whose phone WhatsApp hides, a send that WhatsApp refuses with an error
// naming the member's JID, and the database moved away under a message.
// No line holds a whole phone number or the member's name. Not parallel:
// it owns slog's default logger.
func TestLogsNeverNameAMember(t *testing.T) {
	ctx := context.Background()
	var logs bytes.Buffer
	log := slog.New(redact.Handler(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(log)

	path := filepath.Join(t.TempDir(), "k.db")
	kb, err := app.Open(ctx, path, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { kb.Close() })
	if err := kb.DB.Write(ctx, func(tx *sql.Tx) error {
		_, err := kbmember.Create(ctx, tx, kbmember.Member{Number: "KMM-1", Name: "Sulastri Wibowo", Phone: "6281234567890",
			JoinedOn: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	clk := clock.NewManual(t0)
	wa := &fakeWA{clock: clk}
	a := newAdapter(wa, lidMap{pn: map[string]string{}}, Config{Clock: clk}, log)
	deliver := func() {
		t.Helper()
		if _, err := outbox.Deliver(ctx, kb.DB, outbox.Filter{Channel: channel.WhatsApp, Limit: 10}, a, kb.Clock.Now); err != nil {
			t.Fatal(err)
		}
	}

	a.receive(ctx, kb.Router, dm(t, "WA1", "6281234567890@s.whatsapp.net", text("saldo")))
	deliver()
	a.receive(ctx, kb.Router, dm(t, "WA2", "622150001234@s.whatsapp.net", text("halo")))
	a.receive(ctx, kb.Router, dm(t, "WA3", "98765@lid", text("halo")))
	wa.sendErr = func(to types.JID) error { return fmt.Errorf("server returned error 479 sending to %s", to) }
	a.receive(ctx, kb.Router, dm(t, "WA4", "6281234567890@s.whatsapp.net", text("mutasi")))
	deliver()
	if err := os.Rename(path, path+".moved"); err != nil {
		t.Fatal(err)
	}
	a.receive(ctx, kb.Router, dm(t, "WA5", "6281234567890@s.whatsapp.net", text("saldo")))

	out := logs.String()
	for _, event := range []string{"sender phone not usable", "without a known phone number", "send failed",
		"handle message failed", "left for redelivery"} {
		if !strings.Contains(out, event) {
			t.Errorf("no %q line: the flow did not log what it was meant to", event)
		}
	}
	for _, whole := range []string{"6281234567890", "081234567890", "81234567890", "622150001234", "Sulastri", "Wibowo"} {
		if strings.Contains(out, whole) {
			t.Errorf("the log holds %q", whole)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}
