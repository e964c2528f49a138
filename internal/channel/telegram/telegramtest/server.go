// Package telegramtest is a fake Telegram Bot API server for tests. It speaks
// the real wire format (form-encoded POST to /bot<token>/<method>, JSON
// answers with ok/result or ok/error_code/description/parameters), so the
// real tgbotapi client runs against it unchanged. Tests queue updates, read
// back what the bot sent, and inject failures such as 429 with retry_after.
package telegramtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Token is the bot token the server accepts. It is long and distinctive so
// tests can search logs and errors for it.
const Token = "7654321:AAH-fake-SECRET-token-for-kopbot-tests"

// Bot is the account getMe reports.
var Bot = User{ID: 7654321, IsBot: true, FirstName: "Kopbot", Username: "kopbot_test_bot"}

// Server is a running fake. All methods are safe for concurrent use.
type Server struct {
	t   testing.TB
	srv *httptest.Server

	mu sync.Mutex
	// down drops every connection unanswered, as an unreachable Bot API.
	down bool
	// changed is closed and replaced whenever state changes, waking long
	// polls and waiters.
	changed chan struct{}
	closing chan struct{}

	nextUpdate  int
	nextMessage int
	nextQuery   int
	queue       []Update // pushed, not yet confirmed by a getUpdates offset
	confirmed   int      // highest offset a getUpdates has sent
	webhook     WebhookSet
	queries     map[string]bool
	markups     map[[2]int64]string // (chat, message) -> inline keyboard JSON
	sent        []SentMessage
	answered    []AnsweredCallback
	edits       []Edit
	calls       map[string]int
	failures    map[string][]failure
	files       map[string]stored
}

type failure struct{ code, retryAfter int }

// New starts a server that stops when the test ends.
func New(t testing.TB) *Server {
	s := &Server{
		t:           t,
		changed:     make(chan struct{}),
		closing:     make(chan struct{}),
		nextUpdate:  100000,
		nextMessage: 500,
		nextQuery:   1,
		queries:     map[string]bool{},
		markups:     map[[2]int64]string{},
		calls:       map[string]int{},
		failures:    map[string][]failure{},
		files:       map[string]stored{},
	}
	s.srv = httptest.NewServer(s)
	t.Cleanup(func() {
		close(s.closing) // ends pending long polls, which Close waits for
		s.srv.Close()
	})
	return s
}

// Endpoint is the API endpoint in tgbotapi's format, "http://host:port/bot%s/%s".
func (s *Server) Endpoint() string { return s.srv.URL + "/bot%s/%s" }

// FailNext makes the next n calls of method fail with code. For 429,
// retryAfter goes into parameters.retry_after as Telegram sends it.
func (s *Server) FailNext(method string, n, code, retryAfter int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.failures[method] = append(s.failures[method], failure{code, retryAfter})
	}
}

// Calls counts the requests made to method, failed ones included.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// notify wakes everyone waiting for a change; s.mu must be held.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// SetDown makes the fake unreachable (every connection is dropped without
// an answer, as a network outage looks to the client) or reachable again.
func (s *Server) SetDown(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = down
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	down := s.down
	if down {
		s.calls["down"]++
	}
	s.mu.Unlock()
	if down {
		panic(http.ErrAbortHandler) // net/http closes the connection unanswered
	}
	if strings.HasPrefix(r.URL.Path, "/file/bot") {
		s.serveFile(w, r)
		return
	}
	token, method, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/bot"), "/")
	if !ok || !strings.HasPrefix(r.URL.Path, "/bot") {
		writeError(w, http.StatusNotFound, "Not Found", 0)
		return
	}
	if token != Token {
		writeError(w, http.StatusUnauthorized, "Unauthorized", 0)
		return
	}
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, "Bad Request: "+err.Error(), 0)
		return
	}
	if f, failed := s.take(method); failed {
		writeError(w, f.code, describe(f), f.retryAfter)
		return
	}
	handlers := map[string]func(http.ResponseWriter, *http.Request){
		"getMe":                  func(w http.ResponseWriter, _ *http.Request) { writeResult(w, Bot) },
		"getUpdates":             s.getUpdates,
		"sendMessage":            s.sendMessage,
		"answerCallbackQuery":    s.answerCallbackQuery,
		"editMessageReplyMarkup": s.editMessageReplyMarkup,
		"setWebhook":             s.setWebhook,
		"getWebhookInfo":         s.getWebhookInfo,
		"deleteWebhook":          s.deleteWebhook,
		"getFile":                s.getFile,
		"sendPhoto":              s.sendFile("photo"),
		"sendDocument":           s.sendFile("document"),
	}
	h, known := handlers[method]
	if !known {
		writeError(w, http.StatusNotFound, "Not Found: method not found", 0)
		return
	}
	h(w, r)
}

// take counts a call and pops its injected failure, if any.
func (s *Server) take(method string) (failure, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[method]++
	q := s.failures[method]
	if len(q) == 0 {
		return failure{}, false
	}
	s.failures[method] = q[1:]
	return q[0], true
}

// describe words an injected failure the way Telegram does.
func describe(f failure) string {
	switch {
	case f.code == http.StatusTooManyRequests:
		return fmt.Sprintf("Too Many Requests: retry after %d", f.retryAfter)
	case f.code == http.StatusBadRequest:
		return "Bad Request: chat not found"
	case f.code == http.StatusForbidden:
		return "Forbidden: bot was blocked by the user"
	case f.code == http.StatusConflict:
		return "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
	default:
		return http.StatusText(f.code)
	}
}

func writeResult(w http.ResponseWriter, result any) {
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": result})
}

func writeError(w http.ResponseWriter, code int, description string, retryAfter int) {
	body := map[string]any{"ok": false, "error_code": code, "description": description}
	if retryAfter > 0 {
		body["parameters"] = map[string]int{"retry_after": retryAfter}
	}
	writeJSON(w, code, body)
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body) // the client hung up: nothing to do
}

// wait blocks until get returns at least n items or timeout passes; on
// timeout it fails the test. Call it from the test's goroutine.
func wait[T any](s *Server, what string, n int, timeout time.Duration, get func() []T) []T {
	s.t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		items, changed := get(), s.changed
		s.mu.Unlock()
		if len(items) >= n {
			return items
		}
		select {
		case <-changed:
		case <-deadline.C:
			s.t.Fatalf("telegramtest: %d %s after %v, want %d", len(items), what, timeout, n)
			return items
		}
	}
}

// WebhookSet is what the bot last gave setWebhook.
type WebhookSet struct {
	URL, SecretToken, AllowedUpdates string
}

func (s *Server) setWebhook(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.webhook = WebhookSet{URL: r.Form.Get("url"), SecretToken: r.Form.Get("secret_token"), AllowedUpdates: r.Form.Get("allowed_updates")}
	s.notify()
	s.mu.Unlock()
	writeResult(w, true)
}

// SetWebhookState sets the webhook as a previous run in webhook mode left
// it: while a URL is set, getUpdates is refused with 409, as on Telegram.
func (s *Server) SetWebhookState(url string) {
	s.mu.Lock()
	s.webhook = WebhookSet{URL: url}
	s.notify()
	s.mu.Unlock()
}

// getWebhookInfo tells the webhook's URL, "" when the bot is polled.
func (s *Server) getWebhookInfo(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	url, pending := s.webhook.URL, len(s.queue)
	s.mu.Unlock()
	writeResult(w, map[string]any{"url": url, "has_custom_certificate": false, "pending_update_count": pending})
}

// deleteWebhook switches the bot back to getUpdates.
func (s *Server) deleteWebhook(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	s.webhook = WebhookSet{}
	s.notify()
	s.mu.Unlock()
	writeResult(w, true)
}

// Webhook returns what the bot last set with setWebhook.
func (s *Server) Webhook() WebhookSet {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhook
}
