package telegramtest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"
)

// SentMessage is one accepted sendMessage call.
type SentMessage struct {
	ChatID    int64
	MessageID int
	// Text is as sent: HTML source when ParseMode is "HTML".
	Text        string
	ParseMode   string
	ReplyMarkup *ReplyMarkup
	// ReplyTo is the message this one answers, 0 for none.
	ReplyTo int
	At      time.Time
	// Kind is "photo" or "document" for a file sent (Text is its caption),
	// "" for a text message; File and FileName are what was uploaded.
	Kind     string
	File     []byte
	FileName string
}

// AnsweredCallback is one accepted answerCallbackQuery call.
type AnsweredCallback struct {
	QueryID   string
	Text      string
	ShowAlert bool
}

// Edit is one accepted editMessageReplyMarkup call. A nil ReplyMarkup or an
// empty inline keyboard removes the buttons.
type Edit struct {
	ChatID      int64
	MessageID   int
	ReplyMarkup *ReplyMarkup
}

// Sent returns the messages sent so far, in order.
func (s *Server) Sent() []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SentMessage(nil), s.sent...)
}

// WaitSent waits until at least n messages were sent and returns them all;
// it fails the test after timeout.
func (s *Server) WaitSent(n int, timeout time.Duration) []SentMessage {
	s.t.Helper()
	return wait(s, "messages sent", n, timeout, func() []SentMessage { return append([]SentMessage(nil), s.sent...) })
}

// Answered returns the answered callback queries, in order.
func (s *Server) Answered() []AnsweredCallback {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]AnsweredCallback(nil), s.answered...)
}

// WaitAnswered is WaitSent for answered callback queries.
func (s *Server) WaitAnswered(n int, timeout time.Duration) []AnsweredCallback {
	s.t.Helper()
	return wait(s, "callbacks answered", n, timeout, func() []AnsweredCallback { return append([]AnsweredCallback(nil), s.answered...) })
}

// Edits returns the keyboard edits, in order.
func (s *Server) Edits() []Edit {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Edit(nil), s.edits...)
}

// WaitEdits is WaitSent for keyboard edits.
func (s *Server) WaitEdits(n int, timeout time.Duration) []Edit {
	s.t.Helper()
	return wait(s, "keyboard edits", n, timeout, func() []Edit { return append([]Edit(nil), s.edits...) })
}

// sendMessage validates like Telegram (HTML entities, length, button data)
// so a bot that would be refused in production is refused here too.
func (s *Server) sendMessage(w http.ResponseWriter, r *http.Request) {
	chatID, err := strconv.ParseInt(r.Form.Get("chat_id"), 10, 64)
	if err != nil {
		writeError(w, http.StatusBadRequest, "Bad Request: chat not found", 0)
		return
	}
	text, mode := r.Form.Get("text"), r.Form.Get("parse_mode")
	visible := text
	if mode == "HTML" {
		if visible, err = visibleHTML(text); err != nil {
			writeError(w, http.StatusBadRequest, "Bad Request: "+err.Error(), 0)
			return
		}
	}
	switch n := utf16Len(visible); {
	case n == 0:
		writeError(w, http.StatusBadRequest, "Bad Request: message text is empty", 0)
		return
	case n > maxTextLen:
		writeError(w, http.StatusBadRequest, "Bad Request: message is too long", 0)
		return
	}
	markup, ok := decodeMarkup(w, r)
	if !ok {
		return
	}
	replyTo, _ := strconv.Atoi(r.Form.Get("reply_to_message_id"))
	sent := s.record(SentMessage{ChatID: chatID, Text: text, ParseMode: mode, ReplyMarkup: markup, ReplyTo: replyTo})
	reply := Message{MessageID: sent.MessageID, From: &Bot, Chat: chat(chatID), Date: sent.At.Unix(), Text: visible}
	if markup != nil && len(markup.InlineKeyboard) > 0 {
		reply.ReplyMarkup = &ReplyMarkup{InlineKeyboard: markup.InlineKeyboard}
	}
	writeResult(w, reply)
}

// record numbers m as the next message sent and keeps it and its buttons.
func (s *Server) record(m SentMessage) SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextMessage++
	m.MessageID, m.At = s.nextMessage, time.Now()
	s.sent = append(s.sent, m)
	s.markups[[2]int64{m.ChatID, int64(m.MessageID)}] = inlineKey(m.ReplyMarkup)
	s.notify()
	return m
}

// answerCallbackQuery accepts each pushed query once, as Telegram does: a
// second answer, or one for an unknown id, is an error.
func (s *Server) answerCallbackQuery(w http.ResponseWriter, r *http.Request) {
	id, text := r.Form.Get("callback_query_id"), r.Form.Get("text")
	if utf8.RuneCountInString(text) > 200 {
		writeError(w, http.StatusBadRequest, "Bad Request: MESSAGE_TOO_LONG", 0)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.queries[id] {
		writeError(w, http.StatusBadRequest, "Bad Request: query is too old and response timeout expired or query ID is invalid", 0)
		return
	}
	delete(s.queries, id)
	s.answered = append(s.answered, AnsweredCallback{QueryID: id, Text: text, ShowAlert: r.Form.Get("show_alert") == "true"})
	s.notify()
	writeResult(w, true)
}

// editMessageReplyMarkup refuses an edit that changes nothing, like Telegram;
// messages it never sent (pushed by a test) accept any edit.
func (s *Server) editMessageReplyMarkup(w http.ResponseWriter, r *http.Request) {
	chatID, err1 := strconv.ParseInt(r.Form.Get("chat_id"), 10, 64)
	msgID, err2 := strconv.Atoi(r.Form.Get("message_id"))
	if err1 != nil || err2 != nil {
		writeError(w, http.StatusBadRequest, "Bad Request: message to edit not found", 0)
		return
	}
	markup, ok := decodeMarkup(w, r)
	if !ok {
		return
	}
	key, newKey := [2]int64{chatID, int64(msgID)}, inlineKey(markup)
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, known := s.markups[key]; known && old == newKey {
		writeError(w, http.StatusBadRequest, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message", 0)
		return
	}
	s.markups[key] = newKey
	s.edits = append(s.edits, Edit{ChatID: chatID, MessageID: msgID, ReplyMarkup: markup})
	s.notify()
	writeResult(w, Message{MessageID: msgID, From: &Bot, Chat: chat(chatID), Date: time.Now().Unix(), ReplyMarkup: markup})
}

// decodeMarkup reads reply_markup, answering the request itself when it is
// malformed or carries callback data Telegram would refuse (1-64 bytes).
func decodeMarkup(w http.ResponseWriter, r *http.Request) (*ReplyMarkup, bool) {
	raw := r.Form.Get("reply_markup")
	if raw == "" {
		return nil, true
	}
	var m ReplyMarkup
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		writeError(w, http.StatusBadRequest, "Bad Request: can't parse reply keyboard markup JSON object", 0)
		return nil, false
	}
	for _, row := range m.InlineKeyboard {
		for _, b := range row {
			if n := len(b.CallbackData); n == 0 || n > 64 {
				writeError(w, http.StatusBadRequest, "Bad Request: BUTTON_DATA_INVALID", 0)
				return nil, false
			}
		}
	}
	return &m, true
}

// inlineKey is the identity of a message's buttons: no keyboard and an empty
// one are the same.
func inlineKey(m *ReplyMarkup) string {
	if m == nil || len(m.InlineKeyboard) == 0 {
		return ""
	}
	b, _ := json.Marshal(m.InlineKeyboard) // plain structs: cannot fail
	return string(b)
}
