package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel/telegram/telegramtest"
	"github.com/kopmem/kopbot/internal/clock/clocktest"
	"github.com/kopmem/kopbot/internal/config"
)

func TestServeTelegramHealthMetricsAndShutdown(t *testing.T) {
	t.Parallel()
	tg := telegramtest.New(t)
	env := map[string]string{
		"KOPBOT_DB":                         filepath.Join(t.TempDir(), "k.db"),
		"KOPBOT_HTTP_LISTEN":                "127.0.0.1:0",
		"KOPBOT_TELEGRAM_ENABLED":           "true",
		"KOPBOT_TELEGRAM_TOKEN":             telegramtest.Token,
		"KOPBOT_TELEGRAM_API_ENDPOINT":      tg.Endpoint(),
		"KOPBOT_TELEGRAM_OFFICERS_CHAT_ID":  "-100777",
		"KOPBOT_TELEGRAM_PER_CHAT_INTERVAL": "10ms",
		"KOPBOT_OFFICERS":                   "1001:manajer:Bu Rina",
		// Inside the reminder window the morning summary goes to the same
		// group too; the test must pass at any instant of CI's clock matrix.
		"KOPBOT_NOW": clocktest.Now(t).Format(time.RFC3339),
	}
	cfg, err := config.Load("", func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, cfg, Options{App: app.OptionsFrom(cfg), Listening: func(a string) { addr <- a }})
	}()
	var base string
	select {
	case a := <-addr:
		base = "http://" + a
	case err := <-done:
		t.Fatalf("serve stopped at start: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not start listening")
	}

	tg.PushText(-100777, 1001, "/antrian")
	answered := func() bool {
		for _, m := range tg.Sent() {
			if m.ChatID == -100777 && strings.Contains(m.Text, "pengajuan") && !strings.Contains(m.Text, "Ringkasan pagi") {
				return true
			}
		}
		return false
	}
	for deadline := time.Now().Add(10 * time.Second); !answered(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("officer's /antrian not answered; sent: %+v", tg.Sent())
		}
	}

	body := get(t, base+"/healthz", http.StatusOK)
	if !strings.Contains(body, `"db":"ok"`) || !strings.Contains(body, `"telegram"`) {
		t.Fatalf("healthz: %s", body)
	}
	// The fake server records a message a moment before the sender counts
	// it, and a morning summary may go out meanwhile: every message sent is
	// counted once.
	wants := []func() string{
		func() string { return `kopbot_messages_in_total{channel="telegram"} 1` },
		func() string { return fmt.Sprintf(`kopbot_messages_out_total{channel="telegram"} %d`, len(tg.Sent())) },
		func() string { return "kopbot_handling_seconds_bucket" },
	}
	deadline := time.Now().Add(5 * time.Second)
	for _, want := range wants {
		for !strings.Contains(get(t, base+"/metrics", http.StatusOK), want()) {
			if time.Now().After(deadline) {
				t.Fatalf("metrics lack %q", want())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("graceful shutdown returned %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop after cancel")
	}
}

func get(t *testing.T, url string, want int) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	return string(b)
}
