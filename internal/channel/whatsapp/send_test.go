package whatsapp

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"go.mau.fi/whatsmeow"

	"github.com/kopmem/kopbot/internal/channel"
)

const member = "6281234567890@s.whatsapp.net"

func TestSendSplitsLongReply(t *testing.T) {
	t.Parallel()
	a, wa, _ := testAdapter(t, lidMap{}, Config{})
	para := strings.Repeat("Angsuran bulan ini sudah kami terima, terima kasih. ", 30)
	long := strings.TrimSpace(strings.Repeat(para+"\n\n", 8))
	if err := a.Send(context.Background(), channel.Reply{Chat: member, Text: long}); err != nil {
		t.Fatal(err)
	}
	sentMsgs, _, _ := wa.snapshot()
	if len(sentMsgs) < 3 {
		t.Fatalf("sent %d parts of a %d-rune text, want at least 3", len(sentMsgs), utf8.RuneCountInString(long))
	}
	var joined []string
	for i, s := range sentMsgs {
		if n := utf8.RuneCountInString(s.text); n > maxRunes {
			t.Errorf("part %d has %d runes, over %d", i, n, maxRunes)
		}
		if strings.HasSuffix(s.text, " ") || !strings.HasSuffix(s.text, ".") {
			t.Errorf("part %d is not cut at a sentence: ends %q", i, s.text[len(s.text)-10:])
		}
		if s.to != member {
			t.Errorf("part %d went to %s", i, s.to)
		}
		joined = append(joined, s.text)
	}
	if got := strings.Join(joined, "\n\n"); strings.Join(strings.Fields(got), " ") != strings.Join(strings.Fields(long), " ") {
		t.Error("the parts do not add up to the reply")
	}
}

func TestSendRefusesBadReplies(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, chat, text string }{
		{"group", "120363000000000000@g.us", "halo"},
		{"newsletter", "120363111111111111@newsletter", "halo"},
		{"no server", "6281234567890", "halo"},
		{"no user", "@s.whatsapp.net", "halo"},
		{"empty text", member, " \n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, wa, _ := testAdapter(t, lidMap{}, Config{})
			if err := a.Send(context.Background(), channel.Reply{Chat: tt.chat, Text: tt.text}); err == nil {
				t.Error("send succeeded")
			}
			if sentMsgs, _, _ := wa.snapshot(); len(sentMsgs) != 0 {
				t.Errorf("sent %+v", sentMsgs)
			}
		})
	}
}

// TestSendFile: a reply with a file is uploaded and sent as a real
// document (or image) message whose fields are what the upload answered,
// so a phone can fetch and check it, with the text as its caption; a text
// too long for a caption follows the file.
func TestSendFile(t *testing.T) {
	t.Parallel()
	const xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	dir := t.TempDir()
	workbook := append([]byte("PK\x03\x04"), bytes.Repeat([]byte("mutasi "), 200)...)
	photo := append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, bytes.Repeat([]byte{7}, 300)...)
	long := strings.TrimSpace(strings.Repeat("Mutasi simpanan Anda terlampir sebagai file Excel. ", 40))
	tests := []struct {
		name     string
		data     []byte
		file     channel.Attachment
		text     string
		kind     whatsmeow.MediaType
		fileName string
		caption  string // "" for none
		after    string // the text sent after the file
	}{
		{"statement", workbook, channel.Attachment{Kind: channel.Document, Name: "mutasi-KMM-00001-2026-11.xlsx", MIME: xlsx},
			"*Mutasi simpanan* terlampir", whatsmeow.MediaDocument, "mutasi-KMM-00001-2026-11.xlsx", "*Mutasi simpanan* terlampir", ""},
		{"a document without a name is called by its file", workbook, channel.Attachment{Kind: channel.Document, MIME: xlsx},
			"terlampir", whatsmeow.MediaDocument, "statement.xlsx", "terlampir", ""},
		{"photo", photo, channel.Attachment{Kind: channel.Image, Name: "bukti.jpg", MIME: "image/jpeg"},
			"Bukti transfer", whatsmeow.MediaImage, "", "Bukti transfer", ""},
		{"a long text follows the file", workbook, channel.Attachment{Kind: channel.Document, Name: "m.xlsx", MIME: xlsx},
			long, whatsmeow.MediaDocument, "m.xlsx", "", long},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(dir, fmt.Sprintf("%d", i), "statement.xlsx")
			if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, tc.data, 0o600); err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(tc.data)
			tc.file.Path, tc.file.SHA256, tc.file.Size = path, hex.EncodeToString(sum[:]), int64(len(tc.data))
			a, wa, _ := testAdapter(t, lidMap{}, Config{})
			if err := a.Send(context.Background(), channel.Reply{Chat: member, Text: tc.text, Attachment: &tc.file}); err != nil {
				t.Fatal(err)
			}
			sentMsgs, _, _ := wa.snapshot()
			if len(sentMsgs) == 0 || len(wa.uploads) != 1 || wa.uploads[0] != tc.kind {
				t.Fatalf("sent %d messages after uploads %q, want the file uploaded as %q", len(sentMsgs), wa.uploads, tc.kind)
			}
			first := sentMsgs[0]
			var media interface {
				whatsmeow.DownloadableMessage
				GetCaption() string
				GetMimetype() string
				GetURL() string
				GetFileLength() uint64
			}
			if tc.kind == whatsmeow.MediaImage {
				media = first.msg.GetImageMessage()
			} else {
				doc := first.msg.GetDocumentMessage()
				if doc.GetFileName() != tc.fileName || doc.GetTitle() != tc.fileName {
					t.Errorf("document named %q titled %q, want %q", doc.GetFileName(), doc.GetTitle(), tc.fileName)
				}
				media = doc
			}
			if first.to != member || first.text != "" || media == nil {
				t.Fatalf("first message to %s: %v, want the file alone", first.to, first.msg)
			}
			if media.GetCaption() != tc.caption || media.GetMimetype() != tc.file.MIME || media.GetFileLength() != uint64(len(tc.data)) ||
				!bytes.Equal(media.GetFileSHA256(), sum[:]) || len(media.GetMediaKey()) != 32 || len(media.GetFileEncSHA256()) != 32 ||
				media.GetURL() != "https://mmg.whatsapp.net"+media.GetDirectPath() {
				t.Errorf("file message %v does not carry the upload and the file's caption %q, type %s, length %d", first.msg, tc.caption, tc.file.MIME, len(tc.data))
			}
			if got, err := wa.Download(context.Background(), media); err != nil || !bytes.Equal(got, tc.data) {
				t.Errorf("the message's media fetches %d bytes (%v), not the file", len(got), err)
			}
			var after []string
			for _, s := range sentMsgs[1:] {
				after = append(after, s.text)
			}
			if strings.Join(after, "\n\n") != tc.after {
				t.Errorf("after the file came %q, want %q", after, tc.after)
			}
		})
	}
}

// TestSendFileFailures: a file that is gone or changed since it was queued
// fails for good, with nothing sent; a failed upload is worth another try.
func TestSendFileFailures(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	kept := filepath.Join(dir, "kept.xlsx")
	if err := os.WriteFile(kept, []byte("PK\x03\x04 mutasi"), 0o600); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte("PK\x03\x04 mutasi"))
	tests := []struct {
		name      string
		file      channel.Attachment
		uploadErr error
		permanent bool
	}{
		{"missing", channel.Attachment{Kind: channel.Document, Path: filepath.Join(dir, "gone.xlsx"), Name: "m.xlsx"}, nil, true},
		{"changed", channel.Attachment{Kind: channel.Document, Path: kept, Name: "m.xlsx", SHA256: strings.Repeat("0", 64)}, nil, true},
		{"upload fails", channel.Attachment{Kind: channel.Document, Path: kept, Name: "m.xlsx", SHA256: hex.EncodeToString(sum[:])},
			errors.New("media upload: 503"), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a, wa, _ := testAdapter(t, lidMap{}, Config{})
			wa.uploadErr = tc.uploadErr
			err := a.Send(context.Background(), channel.Reply{Chat: member, Text: "terlampir", Attachment: &tc.file})
			if err == nil || errors.Is(err, channel.ErrPermanent) != tc.permanent {
				t.Errorf("error %v, want permanent %v", err, tc.permanent)
			}
			if sentMsgs, _, _ := wa.snapshot(); len(sentMsgs) != 0 {
				t.Errorf("sent %+v", sentMsgs)
			}
		})
	}
}
