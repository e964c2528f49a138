package telegramtest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

type answer struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  *struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// call posts a form the way tgbotapi does.
func call(t *testing.T, s *Server, token, method string, form url.Values) (int, answer) {
	t.Helper()
	u := strings.Replace(strings.Replace(s.Endpoint(), "%s", token, 1), "%s", method, 1)
	resp, err := http.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a answer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, a
}

func TestWireErrors(t *testing.T) {
	t.Parallel()
	s := New(t)
	s.FailNext("sendMessage", 1, 429, 3)
	tests := []struct {
		name, token, method string
		form                url.Values
		code                int
		desc                string
	}{
		{"wrong token", "1:wrong", "getMe", nil, 401, "Unauthorized"},
		{"429 with retry_after", Token, "sendMessage", url.Values{"chat_id": {"1"}, "text": {"x"}}, 429, "Too Many Requests: retry after 3"},
		{"bad html", Token, "sendMessage", url.Values{"chat_id": {"1"}, "text": {"<b>x"}, "parse_mode": {"HTML"}}, 400, "Bad Request: can't parse entities"},
		{"unescaped ampersand", Token, "sendMessage", url.Values{"chat_id": {"1"}, "text": {"a & b"}, "parse_mode": {"HTML"}}, 400, "Bad Request: can't parse entities"},
		{"too long", Token, "sendMessage", url.Values{"chat_id": {"1"}, "text": {strings.Repeat("😀", 2049)}}, 400, "Bad Request: message is too long"},
		{"long button data", Token, "sendMessage", url.Values{"chat_id": {"1"}, "text": {"x"},
			"reply_markup": {`{"inline_keyboard":[[{"text":"a","callback_data":"` + strings.Repeat("d", 65) + `"}]]}`}}, 400, "Bad Request: BUTTON_DATA_INVALID"},
		{"unknown query", Token, "answerCallbackQuery", url.Values{"callback_query_id": {"nope"}}, 400, "Bad Request: query is too old"},
		{"unknown method", Token, "sendDice", nil, 404, "Not Found"},
	}
	for _, tc := range tests {
		code, a := call(t, s, tc.token, tc.method, tc.form)
		if code != tc.code || a.OK || a.ErrorCode != tc.code || !strings.HasPrefix(a.Description, tc.desc) {
			t.Errorf("%s: HTTP %d %+v, want %d %q", tc.name, code, a, tc.code, tc.desc)
		}
		if tc.code == 429 && (a.Parameters == nil || a.Parameters.RetryAfter != 3) {
			t.Errorf("%s: parameters = %+v, want retry_after 3", tc.name, a.Parameters)
		}
	}
	if len(s.Sent()) != 0 {
		t.Errorf("refused messages were recorded: %+v", s.Sent())
	}
}

func TestGetUpdatesOffsetAndLongPoll(t *testing.T) {
	t.Parallel()
	s := New(t)
	first := s.PushText(-5, 9, "/daftar@kopbot_test_bot 12")
	second := s.PushText(9, 9, "halo")

	_, a := call(t, s, Token, "getUpdates", url.Values{"timeout": {"1"}})
	var got []Update
	if err := json.Unmarshal(a.Result, &got); err != nil || len(got) != 2 || got[0].UpdateID != first {
		t.Fatalf("updates = %s (%v)", a.Result, err)
	}
	wantEntity := []Entity{{Type: "bot_command", Offset: 0, Length: len("/daftar@kopbot_test_bot")}}
	if m := got[0].Message; m.Chat.Type != "supergroup" || !reflect.DeepEqual(m.Entities, wantEntity) {
		t.Errorf("group command = %+v", m)
	}

	_, a = call(t, s, Token, "getUpdates", url.Values{"offset": {strconv.Itoa(second)}, "timeout": {"1"}})
	if err := json.Unmarshal(a.Result, &got); err != nil || len(got) != 1 || got[0].UpdateID != second {
		t.Fatalf("after offset: %s", a.Result)
	}
	if s.Pending() != 1 {
		t.Errorf("pending = %d, want 1: the offset confirms only earlier updates", s.Pending())
	}

	// An empty long poll waits, and returns at once when an update arrives.
	go func() {
		time.Sleep(100 * time.Millisecond)
		s.PushText(9, 9, "lagi")
	}()
	began := time.Now()
	_, a = call(t, s, Token, "getUpdates", url.Values{"offset": {strconv.Itoa(second + 1)}, "timeout": {"5"}})
	if err := json.Unmarshal(a.Result, &got); err != nil || len(got) != 1 || got[0].Message.Text != "lagi" {
		t.Fatalf("long poll: %s", a.Result)
	}
	if d := time.Since(began); d < 50*time.Millisecond || d > 2*time.Second {
		t.Errorf("long poll returned after %v", d)
	}
}

func TestEditNotModified(t *testing.T) {
	t.Parallel()
	s := New(t)
	kb := `{"inline_keyboard":[[{"text":"Setujui","callback_data":"a"}]]}`
	_, a := call(t, s, Token, "sendMessage", url.Values{"chat_id": {"-5"}, "text": {"x"}, "reply_markup": {kb}})
	var m Message
	if err := json.Unmarshal(a.Result, &m); err != nil {
		t.Fatal(err)
	}
	edit := url.Values{"chat_id": {"-5"}, "message_id": {strconv.Itoa(m.MessageID)}, "reply_markup": {`{"inline_keyboard":[]}`}}
	if code, _ := call(t, s, Token, "editMessageReplyMarkup", edit); code != 200 {
		t.Fatalf("edit: HTTP %d", code)
	}
	if code, a := call(t, s, Token, "editMessageReplyMarkup", edit); code != 400 || !strings.Contains(a.Description, "not modified") {
		t.Errorf("repeated edit: HTTP %d %q", code, a.Description)
	}
	if len(s.Edits()) != 1 {
		t.Errorf("edits = %+v", s.Edits())
	}
}
