package server

import (
	"context"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel/telegram/telegramtest"
	"github.com/kopmem/kopbot/internal/clock/clocktest"
	"github.com/kopmem/kopbot/internal/config"
	"github.com/kopmem/kopbot/internal/store"
)

// serveTelegram runs kopbot with Telegram polling tg and returns the HTTP
// base URL, the database file, and stop, which shuts kopbot down and
// reports how Run ended (the test's end stops it too).
func serveTelegram(t *testing.T, tg *telegramtest.Server) (base, db string, stop func() error) {
	t.Helper()
	db = filepath.Join(t.TempDir(), "k.db")
	env := map[string]string{
		"KOPBOT_DB":                         db,
		"KOPBOT_HTTP_LISTEN":                "127.0.0.1:0",
		"KOPBOT_TELEGRAM_ENABLED":           "true",
		"KOPBOT_TELEGRAM_TOKEN":             telegramtest.Token,
		"KOPBOT_TELEGRAM_API_ENDPOINT":      tg.Endpoint(),
		"KOPBOT_TELEGRAM_OFFICERS_CHAT_ID":  "-100777",
		"KOPBOT_TELEGRAM_PER_CHAT_INTERVAL": "10ms",
		"KOPBOT_OFFICERS":                   "1001:manajer:Bu Rina",
		// Inside the reminder window the morning summary goes to the same
		// group too; tests must pass at any instant of CI's clock matrix.
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
	var once sync.Once
	var runErr error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case runErr = <-done:
			case <-time.After(15 * time.Second):
				runErr = errors.New("serve did not stop after cancel")
			}
		})
		return runErr
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Error(err)
		}
	})
	select {
	case a := <-addr:
		return "http://" + a, db, stop
	case err := <-done:
		t.Fatalf("serve stopped at start: %v", err)
	case <-time.After(30 * time.Second):
		// Opening the database runs every package's migrations: seconds
		// under the race detector on a busy machine.
		t.Fatal("serve did not start listening")
	}
	return "", "", nil
}

// officerAsks has the officer type /antrian in the group and waits for the answer.
func officerAsks(t *testing.T, tg *telegramtest.Server) {
	t.Helper()
	tg.PushText(-100777, 1001, "/antrian")
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		for _, m := range tg.Sent() {
			if m.ChatID == -100777 && strings.Contains(m.Text, "pengajuan") && !strings.Contains(m.Text, "Ringkasan pagi") {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("officer's /antrian not answered; sent: %+v", tg.Sent())
		}
	}
}

// What serve sends keeps Telegram's message id in the outbox, through the
// metrics wrapper: an officer's reply to it can be traced.
func TestServeKeepsThePlatformIDs(t *testing.T) {
	t.Parallel()
	tg := telegramtest.New(t)
	_, path, _ := serveTelegram(t, tg)
	officerAsks(t, tg)
	db, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The fake server has the answer a moment before the outbox marks it sent.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var sent, traced int
		if err := db.R.QueryRow(`SELECT count(*), count(platform_id) FROM outbox WHERE status = 'sent'`).Scan(&sent, &traced); err != nil {
			t.Fatal(err)
		}
		if sent > 0 && traced == sent {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d messages sent, %d with their platform id", sent, traced)
		}
	}
}

// Switching from webhook mode back to polling: the webhook left behind is
// deleted at start, or Telegram would refuse every poll with 409.
func TestServePollsAfterWebhookMode(t *testing.T) {
	t.Parallel()
	tg := telegramtest.New(t)
	tg.SetWebhookState("https://koperasi.example/telegram")
	base, _, _ := serveTelegram(t, tg)
	officerAsks(t, tg)
	if tg.Webhook().URL != "" || tg.Calls("getWebhookInfo") != 1 {
		t.Fatalf("webhook %+v after start, getWebhookInfo called %d times", tg.Webhook(), tg.Calls("getWebhookInfo"))
	}
	if body := get(t, base+"/healthz", http.StatusOK); !strings.Contains(body, `"Receiving":true`) {
		t.Fatalf("healthz: %s", body)
	}
}

// A channel that hears nothing because of a 409 conflict shows in /healthz.
func TestHealthReportsAReceiveConflict(t *testing.T) {
	t.Parallel()
	tg := telegramtest.New(t)
	base, _, _ := serveTelegram(t, tg)
	officerAsks(t, tg)
	tg.SetWebhookState("https://someone-else.example/hook") // set behind kopbot's back
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		code, body := fetch(t, base+"/healthz")
		if code == http.StatusServiceUnavailable && strings.Contains(body, `"Receiving":false`) && strings.Contains(body, "409") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("healthz: %d %s", code, body)
		}
	}
}

func fetch(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
