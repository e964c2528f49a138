package telegram

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	tt "github.com/kopmem/kopbot/internal/channel/telegram/telegramtest"
)

func TestWebhook(t *testing.T) {
	t.Parallel()
	srv := tt.New(t)
	b := newBot(t, testConfig(srv), nil)
	if err := b.SetWebhook(context.Background(), "https://koperasi.example/telegram", "s3cret-Token"); err != nil {
		t.Fatal(err)
	}
	if got := srv.Webhook(); got.URL != "https://koperasi.example/telegram" || got.SecretToken != "s3cret-Token" ||
		!strings.Contains(got.AllowedUpdates, "callback_query") {
		t.Fatalf("setWebhook got %+v", got)
	}
	rec := newRecorder()
	rec.fail = func(key string, attempt int) error {
		if key == "gagal" && attempt == 1 {
			return errors.New("database busy")
		}
		return nil
	}
	rec.notice = "Disetujui"
	hook := httptest.NewServer(b.Webhook(rec, "s3cret-Token"))
	t.Cleanup(hook.Close)

	text := func(id int, s string) string {
		return `{"update_id":` + strconv.Itoa(id) + `,"message":{"message_id":` + strconv.Itoa(id) + `,"date":1764400000,` +
			`"chat":{"id":42,"type":"private"},"from":{"id":42,"is_bot":false,"first_name":"Siti"},"text":"` + s + `"}}`
	}
	tests := []struct {
		name, secret, body string
		want               int
	}{
		{"right secret", "s3cret-Token", text(1, "saldo"), http.StatusOK},
		{"no secret", "", text(2, "menu"), http.StatusForbidden},
		{"wrong secret", "s3cret-Tokem", text(3, "menu"), http.StatusForbidden},
		{"not an update", "s3cret-Token", `{"update_id":`, http.StatusBadRequest},
		{"handler fails: Telegram must resend", "s3cret-Token", text(4, "gagal"), http.StatusInternalServerError},
		{"the resend", "s3cret-Token", text(4, "gagal"), http.StatusOK},
		{"a press is answered", "s3cret-Token", `{"update_id":5,"callback_query":{"id":"q5","from":{"id":7,"is_bot":false,"first_name":"Rina"},` +
			`"message":{"message_id":9,"date":1764400000,"chat":{"id":-100,"type":"group"}},"data":"ap:PJ-2611-0001"}}`, http.StatusOK},
	}
	for _, tc := range tests { // in order: the resend follows the failure
		req, _ := http.NewRequest(http.MethodPost, hook.URL, strings.NewReader(tc.body))
		if tc.secret != "" {
			req.Header.Set(SecretHeader, tc.secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("%s: status %d, want %d", tc.name, resp.StatusCode, tc.want)
		}
	}
	msgs, cbs := rec.waitFor(t, 3)
	if len(msgs) != 2 || msgs[0].Text != "saldo" || msgs[1].Text != "gagal" || len(cbs) != 1 {
		t.Fatalf("handled %+v and %+v", msgs, cbs)
	}
	// The fake server knows only the presses it delivered itself, so it
	// refuses this answer; that the bot asked is what matters here.
	if n := srv.Calls("answerCallbackQuery"); n != 1 {
		t.Fatalf("answerCallbackQuery called %d times, want 1", n)
	}
}
