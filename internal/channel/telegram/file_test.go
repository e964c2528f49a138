package telegram

import (
	"bytes"
	"context"
	"errors"
	"os"
	"testing"

	"github.com/kopmem/kopbot/internal/channel"
	tt "github.com/kopmem/kopbot/internal/channel/telegram/telegramtest"
)

// jpeg is the start of a real JPEG file: what a member's photo begins with.
var jpeg = append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00}, bytes.Repeat([]byte{0x42}, 3000)...)

func fileConfig(srv *tt.Server) Config {
	cfg := testConfig(srv)
	cfg.FileEndpoint = srv.FileEndpoint()
	return cfg
}

func TestPhotoAndDocumentAreFetched(t *testing.T) {
	t.Parallel()
	srv := tt.New(t)
	pdf := []byte("%PDF-1.4\n% bukti transfer\n")
	srv.PushPhoto(42, 42, jpeg, "bayar angsuran 491.667")
	srv.PushDocument(42, 42, pdf, "slip.pdf", "application/pdf", "")
	rec := newRecorder()
	start(t, newBot(t, fileConfig(srv), nil), rec)
	msgs, _ := rec.waitFor(t, 2)
	tests := []struct {
		kind channel.MediaKind
		text string
		want []byte
	}{{channel.Image, "bayar angsuran 491.667", jpeg}, {channel.Document, "", pdf}}
	for i, tc := range tests {
		m := msgs[i]
		if m.Kind != channel.Media || m.File == nil || m.File.Kind != tc.kind || m.Text != tc.text {
			t.Fatalf("message %d = %+v, file %+v", i, m, m.File)
		}
		got, err := m.File.Fetch(context.Background(), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, tc.want) {
			t.Errorf("%s: fetched %d bytes, want the %d sent", tc.kind, len(got), len(tc.want))
		}
	}
	// The largest photo size is fetched, not the thumbnail.
	if msgs[0].File.Size != int64(len(jpeg)) {
		t.Errorf("photo size %d, want the largest (%d)", msgs[0].File.Size, len(jpeg))
	}
	if _, err := msgs[0].File.Fetch(context.Background(), 100); !errors.Is(err, channel.ErrTooLarge) {
		t.Errorf("fetch over the limit: %v, want ErrTooLarge", err)
	}
	if n := srv.Calls("file"); n != 2 {
		t.Errorf("%d downloads, want 2 (a file over the limit is refused before downloading)", n)
	}
}

func TestFileEndpointFailureIsAnError(t *testing.T) {
	t.Parallel()
	srv := tt.New(t)
	srv.PushPhoto(42, 42, jpeg, "")
	cfg := testConfig(srv)
	cfg.FileEndpoint = srv.FileEndpoint() + "/missing" // a wrong endpoint: 404
	rec := newRecorder()
	start(t, newBot(t, cfg, nil), rec)
	msgs, _ := rec.waitFor(t, 1)
	if _, err := msgs[0].File.Fetch(context.Background(), 1<<20); err == nil {
		t.Fatal("a failed download returned no error")
	}
}

func TestReplyWithAttachment(t *testing.T) {
	t.Parallel()
	srv := tt.New(t)
	b := newBot(t, testConfig(srv), nil)
	dir := t.TempDir()
	path := dir + "/proof.jpg"
	if err := os.WriteFile(path, jpeg, 0o600); err != nil {
		t.Fatal(err)
	}
	long := string(bytes.Repeat([]byte("x"), maxCaption+1))
	tests := []struct {
		name      string
		r         channel.Reply
		wantKinds []string
	}{
		{"photo with caption and buttons", channel.Reply{Chat: "-100123", Text: "*Bukti* BT-1",
			Attachment: &channel.Attachment{Kind: channel.Image, Path: path, Name: "BT-1.jpg"},
			Buttons:    [][]channel.Button{{{Text: "Catat", Data: "pf:a:1"}}}}, []string{"photo"}},
		{"document", channel.Reply{Chat: "-100123", Text: "slip",
			Attachment: &channel.Attachment{Kind: channel.Document, Path: path, Name: "slip.pdf"}}, []string{"document"}},
		{"long caption follows as a message", channel.Reply{Chat: "-100123", Text: long,
			Attachment: &channel.Attachment{Kind: channel.Image, Path: path}}, []string{"photo", ""}},
	}
	for _, tc := range tests {
		before := len(srv.Sent())
		if _, err := b.SendTraced(context.Background(), tc.r); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		sent := srv.Sent()[before:]
		if len(sent) != len(tc.wantKinds) {
			t.Fatalf("%s: sent %d messages, want %d", tc.name, len(sent), len(tc.wantKinds))
		}
		for i, k := range tc.wantKinds {
			if sent[i].Kind != k {
				t.Errorf("%s: part %d is %q, want %q", tc.name, i, sent[i].Kind, k)
			}
		}
		if !bytes.Equal(sent[0].File, jpeg) {
			t.Errorf("%s: uploaded %d bytes, want the file's %d", tc.name, len(sent[0].File), len(jpeg))
		}
		if last := sent[len(sent)-1]; len(tc.r.Buttons) > 0 && (last.ReplyMarkup == nil || len(last.ReplyMarkup.InlineKeyboard) == 0) {
			t.Errorf("%s: buttons missing", tc.name)
		}
	}
	if _, err := b.SendTraced(context.Background(), channel.Reply{Chat: "-100123", Text: "x",
		Attachment: &channel.Attachment{Kind: channel.Image, Path: dir + "/gone.jpg"}}); !errors.Is(err, channel.ErrPermanent) {
		t.Errorf("missing file: %v, want a permanent failure", err)
	}
}
