package telegramtest

import (
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"
)

// Push queues u for getUpdates and returns its update_id. It fills in what
// the test left zero: the update id always, and a message's id and date.
func (s *Server) Push(u Update) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextUpdate++
	u.UpdateID = s.nextUpdate
	for _, m := range []*Message{u.Message, u.EditedMessage} {
		if m == nil {
			continue
		}
		if m.MessageID == 0 {
			s.nextMessage++
			m.MessageID = s.nextMessage
		}
		if m.Date == 0 {
			m.Date = time.Now().Unix()
		}
	}
	if q := u.CallbackQuery; q != nil {
		s.queries[q.ID] = true
	}
	s.queue = append(s.queue, u)
	s.notify()
	return u.UpdateID
}

// PushText queues a text message from user in chat. A positive chat id is a
// private chat, a negative one a supergroup, as on Telegram. A leading
// /command is marked with a bot_command entity.
func (s *Server) PushText(chatID, userID int64, text string) int {
	m := s.message(chatID, userID)
	m.Text = text
	if strings.HasPrefix(text, "/") {
		cmd := text
		if i := strings.IndexFunc(text, unicode.IsSpace); i >= 0 {
			cmd = text[:i]
		}
		m.Entities = []Entity{{Type: "bot_command", Offset: 0, Length: len(utf16.Encode([]rune(cmd)))}}
	}
	return s.Push(Update{Message: m})
}

// PushReply queues a text message from user in chat that replies to the
// chat's message replyTo, as Telegram sends a reply.
func (s *Server) PushReply(chatID, userID int64, replyTo int, text string) int {
	m := s.message(chatID, userID)
	m.Text = text
	m.ReplyToMessage = &Message{MessageID: replyTo, From: &Bot, Chat: chat(chatID)}
	return s.Push(Update{Message: m})
}

// PushContact queues a shared contact card: phone, belonging to the Telegram
// account contactUserID (0 for a contact without an account).
func (s *Server) PushContact(chatID, userID int64, phone string, contactUserID int64) int {
	m := s.message(chatID, userID)
	m.Contact = &Contact{PhoneNumber: phone, FirstName: "Kontak", UserID: contactUserID}
	return s.Push(Update{Message: m})
}

// PushCallback queues a press of a button carrying data under messageID and
// returns the callback query id, which Answered reports.
func (s *Server) PushCallback(chatID, userID int64, messageID int, data string) string {
	s.mu.Lock()
	s.nextQuery++
	id := strconv.Itoa(4000000000 + s.nextQuery)
	s.mu.Unlock()
	s.Push(Update{CallbackQuery: &CallbackQuery{
		ID:           id,
		From:         user(userID),
		Message:      &Message{MessageID: messageID, From: &Bot, Chat: chat(chatID), Date: time.Now().Unix()},
		ChatInstance: "instance-" + strconv.FormatInt(chatID, 10),
		Data:         data,
	}})
	return id
}

// message starts a message from user in chat.
func (s *Server) message(chatID, userID int64) *Message {
	u := user(userID)
	return &Message{From: &u, Chat: chat(chatID)}
}

func user(id int64) User {
	return User{ID: id, FirstName: "User" + strconv.FormatInt(id, 10)}
}

func chat(id int64) Chat {
	if id < 0 {
		return Chat{ID: id, Type: "supergroup"}
	}
	return Chat{ID: id, Type: "private"}
}

// Pending counts the updates the bot has not yet confirmed by asking for a
// later offset.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

// WaitConfirmed blocks until the bot has asked for updates after updateID,
// which it does only once it is done with updateID.
func (s *Server) WaitConfirmed(updateID int, timeout time.Duration) {
	s.t.Helper()
	wait(s, "confirmations past update "+strconv.Itoa(updateID), 1, timeout, func() []int {
		if s.confirmed > updateID {
			return []int{s.confirmed}
		}
		return nil
	})
}

// getUpdates answers a long poll: updates at or after offset, at most limit,
// waiting up to timeout seconds for one to arrive. Like Telegram, asking for
// an offset forgets every update before it.
func (s *Server) getUpdates(w http.ResponseWriter, r *http.Request) {
	offset, _ := strconv.Atoi(r.Form.Get("offset"))
	timeout, _ := strconv.Atoi(r.Form.Get("timeout"))
	limit, err := strconv.Atoi(r.Form.Get("limit"))
	if err != nil || limit <= 0 || limit > 100 {
		limit = 100
	}
	deadline := time.NewTimer(time.Duration(timeout) * time.Second)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		// Like Telegram, a webhook set while a poll waits ends that poll.
		if s.webhook.URL != "" {
			s.mu.Unlock()
			writeError(w, http.StatusConflict, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first", 0)
			return
		}
		if offset > s.confirmed {
			s.confirmed = offset
			kept := s.queue[:0]
			for _, u := range s.queue {
				if u.UpdateID >= offset {
					kept = append(kept, u)
				}
			}
			s.queue = kept
			s.notify()
		}
		batch := append([]Update(nil), s.queue[:min(limit, len(s.queue))]...)
		changed := s.changed
		s.mu.Unlock()
		if len(batch) > 0 || timeout <= 0 {
			writeResult(w, batch)
			return
		}
		select {
		case <-changed:
		case <-deadline.C:
			writeResult(w, batch)
			return
		case <-s.closing:
			writeResult(w, batch)
			return
		case <-r.Context().Done():
			return
		}
	}
}
