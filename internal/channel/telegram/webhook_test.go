package telegram

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
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

// A webhook left from a run in webhook mode makes Telegram refuse polling
// with 409 for good: DropWebhook reads the state and deletes it, and the
// updates waiting meanwhile are polled, not lost.
func TestDropWebhookLetsPollingWork(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, hook string
	}{
		{"a stale webhook is deleted", "https://koperasi.example/telegram"},
		{"no webhook: nothing to do", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := tt.New(t)
			srv.SetWebhookState(tc.hook)
			srv.PushText(42, 42, "saldo")
			b := newBot(t, testConfig(srv), nil)
			if err := b.DropWebhook(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got := srv.Webhook().URL; got != "" {
				t.Fatalf("webhook still %q", got)
			}
			wantDeletes := 0
			if tc.hook != "" {
				wantDeletes = 1
			}
			if n := srv.Calls("deleteWebhook"); n != wantDeletes {
				t.Errorf("deleteWebhook called %d times, want %d", n, wantDeletes)
			}
			rec := newRecorder()
			start(t, b, rec)
			if msgs, _ := rec.waitFor(t, 1); msgs[0].Text != "saldo" {
				t.Fatalf("received %+v", msgs)
			}
			if st := b.State(); !st.Receiving || st.ReceiveError != "" {
				t.Errorf("state after polling: %+v", st)
			}
		})
	}
}

// While Telegram refuses getUpdates with 409 (a webhook set behind kopbot's
// back, or a second kopbot polling the same bot) the state says nothing is
// received, even while sending keeps working.
func TestStateReportsAConflict(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(srv *tt.Server)
		want  string
	}{
		{"webhook set meanwhile", func(srv *tt.Server) { srv.SetWebhookState("https://elsewhere.example/hook") }, "webhook is active"},
		{"another instance polls", func(srv *tt.Server) { srv.FailNext("getUpdates", 1000, http.StatusConflict, 0) }, "other getUpdates"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := tt.New(t)
			b := newBot(t, testConfig(srv), nil)
			tc.setup(srv)
			start(t, b, newRecorder())
			deadline := time.Now().Add(waitLong)
			for srv.Calls("getUpdates") < 2 {
				if time.Now().After(deadline) {
					t.Fatal("Run did not poll")
				}
				time.Sleep(5 * time.Millisecond)
			}
			if err := b.Send(context.Background(), channel.Reply{Chat: "42", Text: "halo"}); err != nil {
				t.Fatal(err)
			}
			st := b.State()
			if st.Receiving || !strings.Contains(st.ReceiveError, "409") || !strings.Contains(st.ReceiveError, tc.want) {
				t.Errorf("state: %+v", st)
			}
		})
	}
}
