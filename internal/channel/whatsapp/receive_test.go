package whatsapp

import (
	"context"
	"errors"
	"slices"
	"testing"

	"go.mau.fi/whatsmeow/proto/waE2E"

	"github.com/kopmem/kopbot/internal/channel"
)

// deliver plays whatsmeow's part: it hands evt to the adapter's handler and
// reports whether the message would be acknowledged.
func deliver(a *Adapter, h channel.Handler, evt any) bool {
	return a.dispatch(context.Background(), h, evt)
}

// flush sends what the engine queued, as the outbox's paced sender does.
func flush(t *testing.T, a *Adapter, e *engine) {
	t.Helper()
	e.mu.Lock()
	out := e.outbox
	e.outbox = nil
	e.mu.Unlock()
	for _, r := range out {
		if err := a.Send(context.Background(), r); err != nil {
			t.Fatalf("send %+v: %v", r, err)
		}
	}
}

func TestReceiveAnswersAndAcks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		evt      func(t *testing.T) any
		wantText string
	}{
		{
			name:     "text",
			evt:      func(t *testing.T) any { return dm(t, "A1", "6281234567890@s.whatsapp.net", text("saldo")) },
			wantText: "Halo 6281234567890, saldo *Rp 100.000*",
		},
		{
			name: "lid sender",
			evt: func(t *testing.T) any {
				return dm(t, "A2", "123456789012345@lid", text("saldo"))
			},
			wantText: "Halo 6281234567890, saldo *Rp 100.000*",
		},
		{
			name: "image",
			evt: func(t *testing.T) any {
				return dm(t, "A3", "6281234567890@s.whatsapp.net", &waE2E.Message{ImageMessage: &waE2E.ImageMessage{}})
			},
			wantText: "Mohon ketik pesan Anda.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, wa, _ := testAdapter(t, lidMap{pn: map[string]string{"123456789012345": "6281234567890"}}, Config{})
			e := &engine{}
			evt := tt.evt(t)
			// A redelivery (same message again) is acknowledged and answered once.
			for range 2 {
				if !deliver(a, e, evt) {
					t.Fatal("message not acknowledged")
				}
			}
			flush(t, a, e)
			sentMsgs, reads, presence := wa.snapshot()
			chat := e.got[0].Chat
			if len(sentMsgs) != 1 || sentMsgs[0].to != chat || sentMsgs[0].text != tt.wantText {
				t.Errorf("sent %+v, want one %q to %s", sentMsgs, tt.wantText, chat)
			}
			id := e.got[0].ID
			if want := []string{chat + "/" + id, chat + "/" + id}; !slices.Equal(reads, want) {
				t.Errorf("read receipts %q, want %q", reads, want)
			}
			// "typing…" is the pacer's, while a reply waits its pause.
			if len(presence) != 0 {
				t.Errorf("presence %q at receipt, want none", presence)
			}
		})
	}
}

func TestReceiveFailureWithholdsAck(t *testing.T) {
	t.Parallel()
	a, wa, _ := testAdapter(t, lidMap{}, Config{})
	e := &engine{}
	e.setFail(errors.New("database is locked"))
	evt := dm(t, "B1", "6281234567890@s.whatsapp.net", text("setor 50000"))

	if deliver(a, e, evt) {
		t.Fatal("a message whose handling failed was acknowledged")
	}
	if _, reads, _ := wa.snapshot(); len(reads) != 0 {
		t.Fatalf("read receipts %q after a failure, want none", reads)
	}

	e.setFail(nil)
	if !deliver(a, e, evt) {
		t.Fatal("redelivery not acknowledged")
	}
	flush(t, a, e)
	sentMsgs, reads, _ := wa.snapshot()
	if len(sentMsgs) != 1 || len(reads) != 1 {
		t.Errorf("after redelivery: sent %+v, reads %q; want one of each", sentMsgs, reads)
	}
}

func TestReceiveLIDStoreFailureWithholdsAck(t *testing.T) {
	t.Parallel()
	a, wa, _ := testAdapter(t, lidMap{err: errStore}, Config{})
	e := &engine{}
	if deliver(a, e, dm(t, "C1", "123456789012345@lid", text("saldo"))) {
		t.Fatal("acknowledged although the sender's phone could not be looked up")
	}
	if _, reads, presence := wa.snapshot(); len(e.got) != 0 || len(reads) != 0 || len(presence) != 0 {
		t.Errorf("handled %d, reads %q, presence %q; want nothing", len(e.got), reads, presence)
	}
}

func TestReceiveIgnoredIsAckedSilently(t *testing.T) {
	t.Parallel()
	a, wa, _ := testAdapter(t, lidMap{}, Config{})
	e := &engine{}
	evt := dm(t, "D1", "6281234567890@s.whatsapp.net", text("halo"))
	evt.Info.IsFromMe = true
	if !deliver(a, e, evt) {
		t.Fatal("an ignored message must be acknowledged, or WhatsApp keeps redelivering it")
	}
	if _, reads, presence := wa.snapshot(); len(e.got) != 0 || len(reads) != 0 || len(presence) != 0 {
		t.Errorf("handled %d, reads %q, presence %q; want nothing", len(e.got), reads, presence)
	}
}
