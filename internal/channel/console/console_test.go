package console

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kopmem/kopbot/internal/channel"
)

var at = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func fixed() time.Time { return at }

// collect runs a Console over input and returns the messages handled.
func collect(t *testing.T, input string, opts Options) ([]channel.Message, error) {
	t.Helper()
	opts.Now = fixed
	c := New(strings.NewReader(input), io.Discard, opts)
	var got []channel.Message
	err := c.Run(context.Background(), func(_ context.Context, m channel.Message) error {
		got = append(got, m)
		return nil
	})
	return got, err
}

func TestRunLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     []string
	}{
		{"lines in order", "menu\n1\nsaldo\n", []string{"menu", "1", "saldo"}},
		{"last line without newline", "menu\nsaldo", []string{"menu", "saldo"}},
		{"crlf", "menu\r\nsaldo\r\n", []string{"menu", "saldo"}},
		{"blank lines skipped", "\nmenu\n   \n\nsaldo\n", []string{"menu", "saldo"}},
		{"empty input", "", nil},
		{"indonesian and emoji", "Terima kasih 🙏\n", []string{"Terima kasih 🙏"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := collect(t, tt.in, Options{Phone: "6281234567890", Chat: "c1"})
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d messages, want %d: %+v", len(got), len(tt.want), got)
			}
			for i, m := range got {
				want := channel.Message{Channel: channel.Console, ID: m.ID, Chat: "c1", Phone: "6281234567890", Text: tt.want[i], Kind: channel.Text, At: at}
				if m != want {
					t.Errorf("message %d = %+v, want %+v", i, m, want)
				}
			}
		})
	}
}

func TestIDsUnique(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	// Two Consoles stand for two runs started at the same instant.
	for range 2 {
		got, err := collect(t, strings.Repeat("x\n", 100), Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range got {
			if m.ID == "" || seen[m.ID] {
				t.Fatalf("id %q empty or repeated", m.ID)
			}
			seen[m.ID] = true
		}
	}
}

func TestLongLine(t *testing.T) {
	t.Parallel()
	// "é" is two bytes and "x" shifts them, so the limit falls inside one.
	long := "x" + strings.Repeat("é", MaxLine)
	got, err := collect(t, "a\n"+long+"\nb\n", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Text != "a" || got[2].Text != "b" {
		t.Fatalf("lines around a long one lost: %d messages", len(got))
	}
	text := got[1].Text
	if len(text) > MaxLine || len(text) < MaxLine-utf8.UTFMax || !utf8.ValidString(text) {
		t.Errorf("long line kept %d bytes (valid UTF-8: %v), want about %d", len(text), utf8.ValidString(text), MaxLine)
	}

	// Exactly at the limit nothing is lost.
	exact := strings.Repeat("a", MaxLine)
	got, err = collect(t, exact+"\n", Options{})
	if err != nil || len(got) != 1 || got[0].Text != exact {
		t.Errorf("a line of exactly MaxLine bytes was changed (err %v)", err)
	}
}

func TestHandleErrorStops(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	c := New(strings.NewReader("a\nb\n"), io.Discard, Options{})
	calls := 0
	err := c.Run(context.Background(), func(context.Context, channel.Message) error {
		calls++
		return boom
	})
	if !errors.Is(err, boom) || calls != 1 {
		t.Errorf("Run = %v after %d calls, want boom after 1", err, calls)
	}
}

func TestCancelWhileReading(t *testing.T) {
	t.Parallel()
	pr, pw := io.Pipe() // never written: a terminal nobody types into
	defer pw.Close()
	c := New(pr, io.Discard, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx, func(context.Context, channel.Message) error { return nil }) }()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

// TestScripted checks the order a script sees: prompt, then the replies sent
// while handling a line, then the next prompt.
func TestScripted(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	c := New(strings.NewReader("saldo\nmenu\n"), &out, Options{Chat: "c1", Prompt: "> ", Now: fixed})
	err := c.Run(context.Background(), func(ctx context.Context, m channel.Message) error {
		return c.Send(ctx, channel.Reply{Channel: channel.Console, Chat: "c1", Text: "*" + m.Text + "* ok"})
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "> saldo ok\n\n> menu ok\n\n> "; out.String() != want {
		t.Errorf("output %q, want %q", out.String(), want)
	}
}

func TestSend(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		color bool
		reply channel.Reply
		want  string
	}{
		{"plain markup", false, channel.Reply{Chat: "c1", Text: "*Saldo*: _Rp 1.000_\n```\nA  *1*\n```"}, "Saldo: Rp 1.000\nA  *1*\n\n"},
		{"ansi markup", true, channel.Reply{Chat: "c1", Text: "*Saldo*"}, "\x1b[1mSaldo\x1b[22m\n\n"},
		{"trailing newlines folded", false, channel.Reply{Channel: channel.Console, Chat: "c1", Text: "ok\n\n\n"}, "ok\n\n"},
		{"other chat headed", false, channel.Reply{Chat: "6281111", Text: "halo"}, "→ 6281111\nhalo\n\n"},
		{"terminal escapes in data dropped", false, channel.Reply{Chat: "c1", Text: "Ani\x1b[2J"}, "Ani[2J\n\n"},
		{"a file is named with where it is kept", false, channel.Reply{Chat: "c1", Text: "Bukti BT-1",
			Attachment: &channel.Attachment{Kind: channel.Image, Name: "BT-1.jpg\x1b[2J", Path: "/data/proofs/ab/ab12.jpg"}},
			"📎 BT-1.jpg[2J (/data/proofs/ab/ab12.jpg)\nBukti BT-1\n\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			c := New(strings.NewReader(""), &out, Options{Chat: "c1", Color: tt.color})
			if err := c.Send(context.Background(), tt.reply); err != nil {
				t.Fatal(err)
			}
			if out.String() != tt.want {
				t.Errorf("Send wrote %q, want %q", out.String(), tt.want)
			}
		})
	}
}

func TestSendRejectsOtherChannel(t *testing.T) {
	t.Parallel()
	c := New(strings.NewReader(""), io.Discard, Options{})
	if err := c.Send(context.Background(), channel.Reply{Channel: channel.Telegram, Text: "x"}); err == nil {
		t.Error("Send accepted a Telegram reply")
	}
}

func TestSendConcurrent(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	c := New(strings.NewReader(""), &out, Options{})
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			if err := c.Send(context.Background(), channel.Reply{Text: fmt.Sprintf("pesan %02d", i)}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	// Each reply must arrive whole: 50 "pesan NN" blocks and nothing else.
	blocks := strings.Split(strings.TrimSuffix(out.String(), "\n\n"), "\n\n")
	if len(blocks) != 50 {
		t.Fatalf("got %d blocks, want 50", len(blocks))
	}
	for _, b := range blocks {
		if len(b) != len("pesan 00") || !strings.HasPrefix(b, "pesan ") {
			t.Errorf("interleaved output: %q", b)
		}
	}
}

func TestWriteError(t *testing.T) {
	t.Parallel()
	c := New(strings.NewReader(""), failWriter{}, Options{})
	if err := c.Send(context.Background(), channel.Reply{Text: "x"}); err == nil {
		t.Error("Send hid a write error")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }
