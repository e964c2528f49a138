package router_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/router"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/shopspring/decimal"
)

const sitiPhone = "6281234567890"

type recorder struct {
	mu      sync.Mutex
	replies []channel.Reply
}

func (r *recorder) Send(_ context.Context, rep channel.Reply) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.replies = append(r.replies, rep)
	return nil
}

func open(t *testing.T) *app.App {
	t.Helper()
	ctx := context.Background()
	clk := clock.NewManual(time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC))
	a, err := app.Open(ctx, filepath.Join(t.TempDir(), "k.db"), app.Options{Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	err = a.DB.Write(ctx, func(tx *sql.Tx) error {
		m, err := member.Create(ctx, tx, member.Member{Number: "A-1", Name: "Siti", Phone: sitiPhone,
			JoinedOn: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return err
		}
		_, err = savings.Deposit(ctx, tx, savings.Movement{Key: "d1", MemberID: m.ID, Kind: savings.Wajib,
			Amount: decimal.NewFromInt(150_000), ValueDate: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Actor: "test"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func deliver(t *testing.T, a *app.App, ch channel.Name) []string {
	t.Helper()
	return texts(sent(t, a, ch))
}

// sent delivers what is queued on ch and returns it.
func sent(t *testing.T, a *app.App, ch channel.Name) []channel.Reply {
	t.Helper()
	rec := &recorder{}
	if _, err := outbox.Deliver(context.Background(), a.DB, outbox.Filter{Channel: ch, Limit: 100}, rec, a.Clock.Now); err != nil {
		t.Fatal(err)
	}
	return rec.replies
}

func texts(rs []channel.Reply) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Text)
	}
	return out
}

func msg(id, from, text string) channel.Message {
	return channel.Message{Channel: channel.WhatsApp, ID: id, Chat: from + "@s.whatsapp.net", Phone: from, Text: text, Kind: channel.Text}
}

func TestRedeliveredMessageIsAnsweredOnce(t *testing.T) {
	t.Parallel()
	a := open(t)
	ctx := context.Background()
	for range 3 {
		if err := a.Router.Handle(ctx, msg("WAMID.1", sitiPhone, "saldo")); err != nil {
			t.Fatal(err)
		}
	}
	got := deliver(t, a, channel.WhatsApp)
	if len(got) != 1 || !strings.Contains(got[0], "150.000") {
		t.Fatalf("replies = %q, want one balance reply", got)
	}
}

func TestWhoGetsWhat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   channel.Message
		want string
		not  string
	}{
		{"unregistered number", msg("m1", "6289999999999", "saldo"), "belum terdaftar", "Rp"},
		{"no phone at all", channel.Message{Channel: channel.Telegram, ID: "m2", Chat: "42", Text: "saldo", Kind: channel.Text}, "belum terdaftar", "150.000"},
		{"a photo", channel.Message{Channel: channel.WhatsApp, ID: "m3", Chat: "c", Phone: sitiPhone, Kind: channel.Media}, "Mohon ketik pesannya", ""},
		{"empty text", msg("m4", sitiPhone, ""), "belum paham", ""},
		{"control characters and direction marks", msg("m5", sitiPhone, "\u202esal\x00do\u200f"), "150.000", ""},
		{"10 KB of text", msg("m6", sitiPhone, strings.Repeat("saldo ", 2000)), "150.000", ""},
		{"SQL-looking text", msg("m7", sitiPhone, "saldo'; DROP TABLE members;--"), "150.000", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := open(t)
			if err := a.Router.Handle(context.Background(), tc.in); err != nil {
				t.Fatal(err)
			}
			got := deliver(t, a, tc.in.Channel)
			if len(got) != 1 || !strings.Contains(got[0], tc.want) {
				t.Fatalf("replies = %q, want one containing %q", got, tc.want)
			}
			if tc.not != "" && strings.Contains(got[0], tc.not) {
				t.Fatalf("reply %q leaks %q", got[0], tc.not)
			}
			var members int
			if err := a.DB.R.QueryRow(`SELECT count(*) FROM members`).Scan(&members); err != nil || members != 1 {
				t.Fatalf("members = %d, %v", members, err)
			}
		})
	}
}

func TestChatsRunInParallelAndInOrder(t *testing.T) {
	t.Parallel()
	a := open(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for c := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			chat := channel.Message{Channel: channel.Console, Chat: string(rune('a' + c)), Phone: sitiPhone, Kind: channel.Text}
			for i, text := range []string{"bahasa", "2", "saldo"} {
				m := chat
				m.ID, m.Text = chat.Chat+string(rune('0'+i)), text
				if err := a.Router.Handle(ctx, m); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	got := deliver(t, a, channel.Console)
	if len(got) != 12 {
		t.Fatalf("%d replies, want 12", len(got))
	}
}

func TestClean(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"  saldo  ", "saldo"},
		{"sal\x00do", "saldo"},
		{"\u202edlas\u202c", "dlas"},
		{"baris\nbaru", "baris baru"},
		{"\xff\xfesaldo", "saldo"},
		{"emoji 👍 tetap", "emoji 👍 tetap"},
		{strings.Repeat("a", 5000), strings.Repeat("a", router.MaxTextRunes)},
	}
	for _, tc := range tests {
		if got := router.Clean(tc.in); got != tc.want {
			t.Errorf("Clean(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// An officer's announcement keeps its lines, and nothing else changes.
	for in, want := range map[string]string{"Rapat\nSabtu\t09.00\r\n": "Rapat\nSabtu 09.00", "\u202e\nx\x00": "x"} {
		if got := router.CleanLines(in); got != want {
			t.Errorf("CleanLines(%q) = %q, want %q", in, got, want)
		}
	}
}
