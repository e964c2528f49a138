package telegram

import (
	"context"
	"errors"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	tt "github.com/kopmem/kopbot/internal/channel/telegram/telegramtest"
	"github.com/kopmem/kopbot/internal/clock"
)

// deadEndpoint refuses connections: net/http's error then quotes the URL,
// token included.
const deadEndpoint = "http://127.0.0.1:1/bot%s/%s"

func TestTokenNeverInErrorsOrLogs(t *testing.T) {
	t.Parallel()
	srv := tt.New(t)
	var logs logBuffer
	cfg := testConfig(srv)
	cfg.Logger = logs.logger()
	b := newBot(t, cfg, nil)
	b.base.SetAPIEndpoint(deadEndpoint) // the server goes away after connecting

	var errs []error
	errs = append(errs, b.Send(context.Background(), channel.Reply{Chat: "42", Text: "halo"}))
	errs = append(errs, b.EditButtons(context.Background(), "42", "7", nil))

	stop := start(t, b, newRecorder())
	time.Sleep(50 * time.Millisecond) // a few failed polls, logged
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	dead := cfg
	dead.APIEndpoint = deadEndpoint
	_, err := New(context.Background(), dead, openStore(t, filepath.Join(t.TempDir(), "k.db")), clock.System{})
	errs = append(errs, err)

	for i, err := range errs {
		if err == nil {
			t.Fatalf("call %d succeeded against a dead endpoint", i)
		}
		if strings.Contains(err.Error(), tt.Token) || !strings.Contains(err.Error(), "<token>") {
			t.Errorf("error %d = %q: want the URL with the token masked", i, err)
		}
	}
	if !strings.Contains(logs.String(), "getUpdates failed") {
		t.Fatalf("no poll failure logged; logs:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), tt.Token) {
		t.Errorf("token in logs:\n%s", logs.String())
	}
	if st := b.State(); st.Connected || strings.Contains(st.LastError, tt.Token) || st.LastError == "" {
		t.Errorf("state = %+v, want disconnected with a masked error", st)
	}
}

func TestRedactorKeepsErrorIdentity(t *testing.T) {
	t.Parallel()
	const token = "123:abc/def"
	r := newRedactor(token)
	ue := &url.Error{Op: "Post", URL: "http://h/bot" + url.PathEscape(token) + "/getMe", Err: context.Canceled}
	got := r.error(ue)
	if strings.Contains(got.Error(), "abc") || !errors.Is(got, context.Canceled) {
		t.Errorf("url error = %v (Is canceled: %v)", got, errors.Is(got, context.Canceled))
	}
	wrapped := r.error(errors.Join(context.DeadlineExceeded, errors.New("token "+token)))
	if strings.Contains(wrapped.Error(), token) || !errors.Is(wrapped, context.DeadlineExceeded) || errors.Unwrap(wrapped) != nil {
		t.Errorf("wrapped = %v", wrapped)
	}
	plain := errors.New("no secret")
	if r.error(plain) != plain {
		t.Error("an error without the token was replaced")
	}
}

func TestStateTracksConnection(t *testing.T) {
	t.Parallel()
	srv := tt.New(t)
	clk := clock.NewManual(time.Date(2026, 1, 5, 9, 0, 0, 0, clock.Jakarta()))
	b, err := New(context.Background(), testConfig(srv), openStore(t, filepath.Join(t.TempDir(), "k.db")), clk)
	if err != nil {
		t.Fatal(err)
	}
	if st := b.State(); !st.Connected || !st.LastOK.Equal(clk.Now()) {
		t.Errorf("after New: %+v", st)
	}
	srv.FailNext("sendMessage", 1, 403, 0)
	_ = b.Send(context.Background(), channel.Reply{Chat: "42", Text: "x"})
	if st := b.State(); !st.Connected {
		t.Errorf("a blocked chat marked telegram down: %+v", st)
	}
	clk.Advance(time.Minute)
	srv.FailNext("sendMessage", 1, 502, 0)
	_ = b.Send(context.Background(), channel.Reply{Chat: "42", Text: "x"})
	if st := b.State(); st.Connected || !st.LastErrorAt.Equal(clk.Now()) || !strings.Contains(st.LastError, "502") {
		t.Errorf("after 502: %+v", st)
	}
}
