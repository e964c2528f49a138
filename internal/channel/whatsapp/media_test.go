package whatsapp

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"google.golang.org/protobuf/proto"

	"github.com/kopmem/kopbot/internal/channel"
)

// A member's photo or PDF reaches the handler with its caption, and its
// bytes come through whatsmeow's Download of the very proto message.
func TestMediaIsFetchedThroughDownload(t *testing.T) {
	t.Parallel()
	slip := append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, bytes.Repeat([]byte{7}, 2000)...)
	pdf := []byte("%PDF-1.7\nbukti\n")
	tests := []struct {
		name     string
		msg      *waE2E.Message
		kind     channel.MediaKind
		caption  string
		want     []byte
		limit    int64
		tooLarge bool
	}{
		{name: "image with caption", msg: &waE2E.Message{ImageMessage: &waE2E.ImageMessage{
			Caption: proto.String("bayar angsuran 491.667"), Mimetype: proto.String("image/jpeg"),
			DirectPath: proto.String("/v/t62/slip"), FileLength: proto.Uint64(uint64(len(slip))),
			MediaKey: []byte("k"), FileSHA256: []byte("s"), FileEncSHA256: []byte("e")}},
			kind: channel.Image, caption: "bayar angsuran 491.667", want: slip, limit: 1 << 20},
		{name: "document", msg: &waE2E.Message{DocumentMessage: &waE2E.DocumentMessage{
			FileName: proto.String("slip.pdf"), Mimetype: proto.String("application/pdf"),
			DirectPath: proto.String("/v/t62/pdf"), FileLength: proto.Uint64(uint64(len(pdf)))}},
			kind: channel.Document, want: pdf, limit: 1 << 20},
		{name: "declared too large", msg: &waE2E.Message{ImageMessage: &waE2E.ImageMessage{
			DirectPath: proto.String("/v/t62/slip"), FileLength: proto.Uint64(uint64(len(slip)))}},
			kind: channel.Image, limit: 100, tooLarge: true},
		{name: "larger than declared", msg: &waE2E.Message{ImageMessage: &waE2E.ImageMessage{
			DirectPath: proto.String("/v/t62/slip"), FileLength: proto.Uint64(10)}},
			kind: channel.Image, limit: 100, tooLarge: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a, wa, _ := testAdapter(t, lidMap{}, Config{})
			wa.media = map[string][]byte{"/v/t62/slip": slip, "/v/t62/pdf": pdf}
			e := &engine{}
			if !deliver(a, e, dm(t, "P1", "6281234567890@s.whatsapp.net", tc.msg)) {
				t.Fatal("not acknowledged")
			}
			got := e.got[0]
			if got.Kind != channel.Media || got.File == nil || got.File.Kind != tc.kind || got.Text != tc.caption {
				t.Fatalf("message %+v file %+v", got, got.File)
			}
			data, err := got.File.Fetch(context.Background(), tc.limit)
			if tc.tooLarge {
				if !errors.Is(err, channel.ErrTooLarge) {
					t.Fatalf("fetch = %v, want ErrTooLarge", err)
				}
				return
			}
			if err != nil || !bytes.Equal(data, tc.want) {
				t.Fatalf("fetch = %d bytes, %v; want the %d bytes stored", len(data), err, len(tc.want))
			}
		})
	}
}

func TestMediaDownloadFailureIsAnError(t *testing.T) {
	t.Parallel()
	a, wa, _ := testAdapter(t, lidMap{}, Config{})
	e := &engine{}
	deliver(a, e, dm(t, "P2", "6281234567890@s.whatsapp.net", &waE2E.Message{ImageMessage: &waE2E.ImageMessage{
		DirectPath: proto.String("/v/t62/expired")}}))
	if _, err := e.got[0].File.Fetch(context.Background(), 1<<20); err == nil {
		t.Fatal("an expired file fetched without error")
	}
	if wa.downloads != 1 {
		t.Errorf("%d downloads, want 1", wa.downloads)
	}
}
