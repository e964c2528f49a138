package telegram

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/channel/telegram/telegramtest"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/store"
)

const waitLong = 5 * time.Second

func openStore(t testing.TB, path string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), path, store.Options{}, Schema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// testConfig is fast: quick retries, no real pacing unless a test asks.
func testConfig(srv *telegramtest.Server) Config {
	return Config{
		Token:           telegramtest.Token,
		APIEndpoint:     srv.Endpoint(),
		PollTimeout:     time.Second,
		GlobalRate:      10000,
		PerChatInterval: time.Microsecond,
		Backoff:         5 * time.Millisecond,
		Logger:          slog.New(slog.DiscardHandler),
	}
}

func newBot(t testing.TB, cfg Config, db *store.DB) *Bot {
	t.Helper()
	if db == nil {
		db = openStore(t, filepath.Join(t.TempDir(), "k.db"))
	}
	b, err := New(context.Background(), cfg, db, clock.System{})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// start runs b until the returned stop is called; stop reports Run's result.
func start(t testing.TB, b *Bot, h channel.Handler) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx, h) }()
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case err = <-done:
			case <-time.After(waitLong):
				err = errors.New("Run did not return after cancel")
			}
		})
		return err
	}
	t.Cleanup(func() { _ = stop() })
	return stop
}

// recorder is a Handler that records what it accepted and can be told to
// fail. Inputs are keyed by a message's text or a callback's data: fail
// returns the error for the key's nth attempt, or nil.
type recorder struct {
	mu       sync.Mutex
	msgs     []channel.Message
	cbs      []channel.Callback
	attempts map[string]int
	changed  chan struct{}
	fail     func(key string, attempt int) error
	notice   string
	// failNotice is what a failing press says, by its data.
	failNotice map[string]string
}

func newRecorder() *recorder {
	return &recorder{attempts: map[string]int{}, changed: make(chan struct{})}
}

func (r *recorder) try(key string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.attempts[key]++
	if r.fail != nil {
		return r.fail(key, r.attempts[key])
	}
	return nil
}

func (r *recorder) HandleMessage(_ context.Context, m channel.Message) error {
	if err := r.try(m.Text); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, m)
	close(r.changed)
	r.changed = make(chan struct{})
	return nil
}

func (r *recorder) HandleCallback(_ context.Context, c channel.Callback) (string, error) {
	if err := r.try(c.Data); err != nil {
		return r.failNotice[c.Data], err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cbs = append(r.cbs, c)
	close(r.changed)
	r.changed = make(chan struct{})
	return r.notice, nil
}

// waitFor blocks until accepted (messages plus callbacks) reaches n.
func (r *recorder) waitFor(t testing.TB, n int) ([]channel.Message, []channel.Callback) {
	t.Helper()
	deadline := time.After(waitLong)
	for {
		r.mu.Lock()
		msgs, cbs, changed := append([]channel.Message(nil), r.msgs...), append([]channel.Callback(nil), r.cbs...), r.changed
		r.mu.Unlock()
		if len(msgs)+len(cbs) >= n {
			return msgs, cbs
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("handler accepted %d inputs, want %d", len(msgs)+len(cbs), n)
		}
	}
}

func (r *recorder) attemptsOf(key string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.attempts[key]
}

// logBuffer is a logger writing JSON lines to a buffer, safe for concurrent use.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
