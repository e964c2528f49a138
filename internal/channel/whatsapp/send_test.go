package whatsapp

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

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
