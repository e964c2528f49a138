package whatsapp

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
)

const member = "6281234567890@s.whatsapp.net"

func TestSendPacing(t *testing.T) {
	t.Parallel()
	pacing := Pacing{MinInterval: 8 * time.Second, Jitter: 7 * time.Second}
	a, wa, _ := testAdapter(t, lidMap{}, Config{Pacing: pacing})
	const n = 1000
	for i := range n {
		if err := a.Send(context.Background(), channel.Reply{Chat: member, Text: "pengingat"}); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	sentMsgs, _, _ := wa.snapshot()
	if len(sentMsgs) != n {
		t.Fatalf("sent %d, want %d", len(sentMsgs), n)
	}
	if !sentMsgs[0].at.Equal(t0) {
		t.Errorf("first message waited until %s, want it at once", sentMsgs[0].at)
	}
	jittered := false
	for i := 1; i < n; i++ {
		gap := sentMsgs[i].at.Sub(sentMsgs[i-1].at)
		if gap < pacing.MinInterval || gap > pacing.MinInterval+pacing.Jitter {
			t.Fatalf("gap before message %d is %s, want within [%s, %s]", i, gap, pacing.MinInterval, pacing.MinInterval+pacing.Jitter)
		}
		jittered = jittered || gap != sentMsgs[1].at.Sub(sentMsgs[0].at)
	}
	if !jittered {
		t.Error("every gap is the same: no jitter")
	}
}

func TestSendAfterQuietPeriodGoesAtOnce(t *testing.T) {
	t.Parallel()
	a, wa, clk := testAdapter(t, lidMap{}, Config{Pacing: Pacing{MinInterval: time.Minute}})
	for range 2 {
		if err := a.Send(context.Background(), channel.Reply{Chat: member, Text: "halo"}); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Hour)
	}
	sentMsgs, _, _ := wa.snapshot()
	if gap := sentMsgs[1].at.Sub(sentMsgs[0].at); gap != time.Hour {
		t.Errorf("gap %s, want the hour that passed and no extra wait", gap)
	}
}

func TestSendWaitHonoursContext(t *testing.T) {
	t.Parallel()
	clk := clock.NewManual(t0)
	wa := &fakeWA{clock: clk}
	// Real sleeping: the second message would wait an hour.
	a := newAdapter(wa, lidMap{}, Config{Pacing: Pacing{MinInterval: time.Hour}, Clock: clk}, quiet)
	if err := a.Send(context.Background(), channel.Reply{Chat: member, Text: "satu"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	err := a.Send(ctx, channel.Reply{Chat: member, Text: "dua"})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("send = %v, want the context's deadline", err)
	}
	if sentMsgs, _, _ := wa.snapshot(); len(sentMsgs) != 1 {
		t.Errorf("sent %d, want only the first", len(sentMsgs))
	}
}

func TestSendSplitsLongReply(t *testing.T) {
	t.Parallel()
	pacing := Pacing{MinInterval: 10 * time.Second}
	a, wa, _ := testAdapter(t, lidMap{}, Config{Pacing: pacing})
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
		if i > 0 && s.at.Sub(sentMsgs[i-1].at) < pacing.MinInterval {
			t.Errorf("part %d not paced", i)
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
