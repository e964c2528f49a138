package server

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel/telegram/telegramtest"
)

func TestServeTelegramHealthMetricsAndShutdown(t *testing.T) {
	t.Parallel()
	tg := telegramtest.New(t)
	base, _, stop := serveTelegram(t, tg)
	officerAsks(t, tg)

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
		func() string { return "kopbot_understand_fallback_total 0" },
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

	if err := stop(); err != nil {
		t.Fatalf("graceful shutdown: %v", err)
	}
}

func get(t *testing.T, url string, want int) string {
	t.Helper()
	code, body := fetch(t, url)
	if code != want {
		t.Fatalf("GET %s: %d %s", url, code, body)
	}
	return body
}
