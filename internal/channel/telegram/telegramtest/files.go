package telegramtest

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
)

// stored is a file the server holds for getFile and the file endpoint.
type stored struct {
	data []byte
	path string
}

// FileEndpoint is the file download URL in tgbotapi's format,
// "http://host:port/file/bot%s/%s" (token, file path).
func (s *Server) FileEndpoint() string { return s.srv.URL + "/file/bot%s/%s" }

// PutFile stores data as a file chats can send, and returns its file_id.
// Like Telegram, the same bytes always get the same unique id.
func (s *Server) PutFile(data []byte, name string) string {
	sum := sha256.Sum256(data)
	unique := hex.EncodeToString(sum[:8])
	s.mu.Lock()
	defer s.mu.Unlock()
	id := "FILE-" + unique + "-" + strconv.Itoa(len(s.files))
	if name == "" {
		name = unique
	}
	s.files[id] = stored{data: append([]byte(nil), data...), path: "documents/" + name}
	return id
}

// PushPhoto queues a photo of data, with caption, from user in chat.
func (s *Server) PushPhoto(chatID, userID int64, data []byte, caption string) int {
	id := s.PutFile(data, "photo.jpg")
	m := s.message(chatID, userID)
	m.Caption = caption
	// Telegram sends several sizes, the largest last; a thumbnail would be
	// another file.
	m.Photo = []PhotoSize{
		{FileID: s.PutFile(data[:min(len(data), 16)], "thumb.jpg"), FileUniqueID: "thumb" + id, Width: 90, Height: 90, FileSize: min(len(data), 16)},
		{FileID: id, FileUniqueID: id, Width: 1280, Height: 960, FileSize: len(data)},
	}
	return s.Push(Update{Message: m})
}

// PushDocument queues a document of data named name with caption.
func (s *Server) PushDocument(chatID, userID int64, data []byte, name, mime, caption string) int {
	id := s.PutFile(data, name)
	m := s.message(chatID, userID)
	m.Caption = caption
	m.Document = &File{FileID: id, FileUniqueID: id, FileName: name, MimeType: mime, FileSize: len(data)}
	return s.Push(Update{Message: m})
}

// PushVoice queues a voice note.
func (s *Server) PushVoice(chatID, userID int64, data []byte) int {
	id := s.PutFile(data, "voice.ogg")
	m := s.message(chatID, userID)
	m.Voice = &File{FileID: id, FileUniqueID: id, MimeType: "audio/ogg", FileSize: len(data)}
	return s.Push(Update{Message: m})
}

func (s *Server) getFile(w http.ResponseWriter, r *http.Request) {
	id := r.Form.Get("file_id")
	s.mu.Lock()
	f, ok := s.files[id]
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusBadRequest, "Bad Request: invalid file_id", 0)
		return
	}
	writeResult(w, FileInfo{FileID: id, FileUniqueID: id, FileSize: len(f.data), FilePath: f.path})
}

// serveFile answers the file endpoint, /file/bot<token>/<file path>.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	token, path, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/file/bot"), "/")
	if !ok || token != Token {
		http.NotFound(w, r)
		return
	}
	s.mu.Lock()
	s.calls["file"]++
	var data []byte
	found := false
	for _, f := range s.files {
		if f.path == path {
			data, found = f.data, true
		}
	}
	s.mu.Unlock()
	if !found {
		http.NotFound(w, r)
		return
	}
	_, _ = w.Write(data) // the client hung up: nothing to do
}

// sendFile takes sendPhoto and sendDocument as multipart uploads, the way
// tgbotapi sends a file it holds, and records it like a message.
func (s *Server) sendFile(field string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseMultipartForm(32 << 20); err != nil {
			writeError(w, http.StatusBadRequest, "Bad Request: "+err.Error(), 0)
			return
		}
		chatID, err := strconv.ParseInt(r.FormValue("chat_id"), 10, 64)
		if err != nil {
			writeError(w, http.StatusBadRequest, "Bad Request: chat not found", 0)
			return
		}
		data, name, ok := upload(r, field)
		if !ok {
			writeError(w, http.StatusBadRequest, "Bad Request: there is no "+field+" in the request", 0)
			return
		}
		caption, mode := r.FormValue("caption"), r.FormValue("parse_mode")
		visible := caption
		if mode == "HTML" {
			if visible, err = visibleHTML(caption); err != nil {
				writeError(w, http.StatusBadRequest, "Bad Request: "+err.Error(), 0)
				return
			}
		}
		if utf16Len(visible) > maxCaptionLen {
			writeError(w, http.StatusBadRequest, "Bad Request: message caption is too long", 0)
			return
		}
		markup, ok := decodeMarkup(w, r)
		if !ok {
			return
		}
		sent := s.record(SentMessage{ChatID: chatID, Text: caption, ParseMode: mode, ReplyMarkup: markup, Kind: field,
			File: data, FileName: name})
		writeResult(w, Message{MessageID: sent.MessageID, From: &Bot, Chat: chat(chatID), Date: sent.At.Unix(), Caption: visible})
	}
}

// maxCaptionLen is Telegram's limit on a caption, in UTF-16 units.
const maxCaptionLen = 1024

func upload(r *http.Request, field string) ([]byte, string, bool) {
	if r.MultipartForm == nil || len(r.MultipartForm.File[field]) == 0 {
		return nil, "", false
	}
	fh := r.MultipartForm.File[field][0]
	data, err := readPart(fh)
	return data, fh.Filename, err == nil && len(data) > 0
}

func readPart(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}
