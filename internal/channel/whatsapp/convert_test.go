package whatsapp

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"go.mau.fi/whatsmeow/proto/waCommon"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/kopmem/kopbot/internal/channel"
)

func TestConvert(t *testing.T) {
	t.Parallel()
	const member = "6281234567890"
	memberJID := member + "@s.whatsapp.net"
	lids := lidMap{pn: map[string]string{"123456789012345": member}}
	with := func(evt *events.Message, change func(*events.Message)) *events.Message {
		change(evt)
		return evt
	}
	tests := []struct {
		name string
		evt  *events.Message
		want channel.Message // zero: skipped
	}{
		{
			name: "conversation text",
			evt:  dm(t, "M1", memberJID, text("saldo")),
			want: channel.Message{ID: "M1", Chat: memberJID, From: memberJID, Phone: member, Text: "saldo", Kind: channel.Text},
		},
		{
			name: "extended text",
			evt: dm(t, "M2", memberJID, &waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{
				Text: proto.String("cek https://koperasi.example"),
			}}),
			want: channel.Message{ID: "M2", Chat: memberJID, From: memberJID, Phone: member, Text: "cek https://koperasi.example", Kind: channel.Text},
		},
		{
			name: "text from a second device of the member",
			evt:  dm(t, "M3", member+":7@s.whatsapp.net", text("pinjaman")),
			want: channel.Message{ID: "M3", Chat: memberJID, From: memberJID, Phone: member, Text: "pinjaman", Kind: channel.Text},
		},
		{
			name: "disappearing-message text is unwrapped",
			evt: dm(t, "M4", memberJID, &waE2E.Message{EphemeralMessage: &waE2E.FutureProofMessage{
				Message: text("bantuan"),
			}}),
			want: channel.Message{ID: "M4", Chat: memberJID, From: memberJID, Phone: member, Text: "bantuan", Kind: channel.Text},
		},
		{
			name: "image is media",
			evt: dm(t, "M5", memberJID, &waE2E.Message{ImageMessage: &waE2E.ImageMessage{Caption: proto.String("bukti transfer"),
				Mimetype: proto.String("image/jpeg"), FileLength: proto.Uint64(48213)}}),
			want: channel.Message{ID: "M5", Chat: memberJID, From: memberJID, Phone: member, Kind: channel.Media, Text: "bukti transfer",
				File: &channel.File{Kind: channel.Image, MIME: "image/jpeg", Size: 48213}},
		},
		{
			name: "voice note is media",
			evt:  dm(t, "M6", memberJID, &waE2E.Message{AudioMessage: &waE2E.AudioMessage{PTT: proto.Bool(true)}}),
			want: channel.Message{ID: "M6", Chat: memberJID, From: memberJID, Phone: member, Kind: channel.Media,
				File: &channel.File{Kind: channel.Voice}},
		},
		{
			name: "sticker is media",
			evt:  dm(t, "M7", memberJID, &waE2E.Message{StickerMessage: &waE2E.StickerMessage{}}),
			want: channel.Message{ID: "M7", Chat: memberJID, From: memberJID, Phone: member, Kind: channel.Media,
				File: &channel.File{Kind: channel.Sticker}},
		},
		{
			name: "document is media",
			evt: dm(t, "M8", memberJID, &waE2E.Message{DocumentMessage: &waE2E.DocumentMessage{FileName: proto.String("slip.pdf"),
				Mimetype: proto.String("application/pdf"), FileLength: proto.Uint64(9000)}}),
			want: channel.Message{ID: "M8", Chat: memberJID, From: memberJID, Phone: member, Kind: channel.Media,
				File: &channel.File{Kind: channel.Document, MIME: "application/pdf", Name: "slip.pdf", Size: 9000}},
		},
		{
			name: "document with caption",
			evt: dm(t, "M9", memberJID, &waE2E.Message{DocumentWithCaptionMessage: &waE2E.FutureProofMessage{Message: &waE2E.Message{
				DocumentMessage: &waE2E.DocumentMessage{FileName: proto.String("bukti.pdf"), Caption: proto.String("setor wajib 3 bulan")}}}}),
			want: channel.Message{ID: "M9", Chat: memberJID, From: memberJID, Phone: member, Kind: channel.Media, Text: "setor wajib 3 bulan",
				File: &channel.File{Kind: channel.Document, Name: "bukti.pdf"}},
		},
		{
			name: "location is media without a file",
			evt:  dm(t, "M10", memberJID, &waE2E.Message{LocationMessage: &waE2E.LocationMessage{}}),
			want: channel.Message{ID: "M10", Chat: memberJID, From: memberJID, Phone: member, Kind: channel.Media},
		},
		{
			name: "lid sender with phone in the message",
			evt: with(dm(t, "L1", "999999999999999@lid", text("saldo")), func(e *events.Message) {
				e.Info.SenderAlt = types.NewJID(member, types.DefaultUserServer)
			}),
			want: channel.Message{ID: "L1", Chat: "999999999999999@lid", From: "999999999999999@lid", Phone: member, Text: "saldo", Kind: channel.Text},
		},
		{
			name: "lid sender mapped by the LID store",
			evt:  dm(t, "L2", "123456789012345:3@lid", text("saldo")),
			want: channel.Message{ID: "L2", Chat: "123456789012345@lid", From: "123456789012345@lid", Phone: member, Text: "saldo", Kind: channel.Text},
		},
		{
			name: "lid sender without mapping is delivered without phone",
			evt:  dm(t, "L3", "555555555555555@lid", text("saldo")),
			want: channel.Message{ID: "L3", Chat: "555555555555555@lid", From: "555555555555555@lid", Text: "saldo", Kind: channel.Text},
		},
		{
			name: "landline number is delivered without phone",
			evt:  dm(t, "P1", "62215551234@s.whatsapp.net", text("halo")),
			want: channel.Message{ID: "P1", Chat: "62215551234@s.whatsapp.net", From: "62215551234@s.whatsapp.net", Text: "halo", Kind: channel.Text},
		},
		{
			name: "group",
			evt: with(dm(t, "G1", memberJID, text("saldo")), func(e *events.Message) {
				e.Info.Chat, e.Info.IsGroup = types.NewJID("120363000000000000", types.GroupServer), true
			}),
		},
		{
			name: "status broadcast",
			evt: with(dm(t, "S1", memberJID, text("status")), func(e *events.Message) {
				e.Info.Chat = types.StatusBroadcastJID
			}),
		},
		{
			name: "broadcast list",
			evt: with(dm(t, "S2", memberJID, text("promo")), func(e *events.Message) {
				e.Info.Chat = types.NewJID("1700000000", types.BroadcastServer)
			}),
		},
		{
			name: "newsletter",
			evt: with(dm(t, "N1", "120363111111111111@newsletter", text("berita")), func(e *events.Message) {
				e.Info.Chat = types.NewJID("120363111111111111", types.NewsletterServer)
			}),
		},
		{
			name: "own message from another device",
			evt: with(dm(t, "F1", memberJID, text("halo")), func(e *events.Message) {
				e.Info.IsFromMe = true
			}),
		},
		{name: "bot", evt: dm(t, "B1", "867051314767696@bot", text("hi"))},
		{
			name: "reaction",
			evt: dm(t, "R1", memberJID, &waE2E.Message{ReactionMessage: &waE2E.ReactionMessage{
				Text: proto.String("👍"), Key: &waCommon.MessageKey{ID: proto.String("X")},
			}}),
		},
		{
			name: "revoke protocol message",
			evt: dm(t, "R2", memberJID, &waE2E.Message{ProtocolMessage: &waE2E.ProtocolMessage{
				Type: waE2E.ProtocolMessage_REVOKE.Enum(),
			}}),
		},
		{
			name: "edit",
			evt: dm(t, "E1", memberJID, &waE2E.Message{EditedMessage: &waE2E.FutureProofMessage{
				Message: text("ya"),
			}}),
		},
		{name: "blank text", evt: dm(t, "W1", memberJID, text(" \n "))},
		{name: "no content", evt: dm(t, "W2", memberJID, &waE2E.Message{})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok, err := convert(context.Background(), tt.evt, lids, quiet)
			if err != nil {
				t.Fatalf("convert: %v", err)
			}
			if skip := tt.want == (channel.Message{}); skip {
				if ok {
					t.Fatalf("convert = %+v, want skipped", got)
				}
				return
			}
			if !ok {
				t.Fatal("convert skipped it, want a message")
			}
			tt.want.Channel, tt.want.At = channel.WhatsApp, t0
			if (got.File == nil) != (tt.want.File == nil) || (got.File != nil && !reflect.DeepEqual(*got.File, *tt.want.File)) {
				t.Errorf("convert file = %+v, want %+v", got.File, tt.want.File)
			}
			got.File, tt.want.File = nil, nil
			if got != tt.want {
				t.Errorf("convert =\n %+v\nwant\n %+v", got, tt.want)
			}
		})
	}
}

func TestConvertLIDStoreFailure(t *testing.T) {
	t.Parallel()
	evt := dm(t, "L9", "123456789012345@lid", text("saldo"))
	_, ok, err := convert(context.Background(), evt, lidMap{err: errStore}, quiet)
	if !errors.Is(err, errStore) || ok {
		t.Fatalf("convert = ok %v, err %v; want the store error", ok, err)
	}
}
