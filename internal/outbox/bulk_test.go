package outbox

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
)

// TestBulkGoesWhenItMay: bulk spread over the day is read in the order it
// may go, so messages due now are not kept behind a batch of later ones,
// and a withheld message is recorded but never sent.
func TestBulkGoesWhenItMay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	clk := clock.NewManual(time.Date(2026, 12, 4, 8, 0, 0, 0, clock.Jakarta()))
	later := clk.Now().Add(time.Hour)
	err := db.Write(ctx, func(tx *sql.Tx) error {
		for i := 1; i <= 6; i++ {
			it := Item{Reply: channel.Reply{Channel: channel.WhatsApp, Chat: fmt.Sprintf("chat-%d", i), Text: "pengingat"},
				Key: fmt.Sprintf("rem:%d", i), Lane: channel.Bulk}
			if i == 6 {
				it.Withheld = WithheldNoConsent
			}
			if _, err := Enqueue(ctx, tx, it, clk.Now()); err != nil {
				return err
			}
			if i <= 3 {
				if err := NotBefore(ctx, tx, it.Key, later); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s := &flaky{}
	r, err := DeliverRound(ctx, db, Filter{Channel: channel.WhatsApp, Limit: 2}, s, clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	if got := chats(s.sent); !slices.Equal(got, []string{"chat-4", "chat-5"}) {
		t.Fatalf("sent %v at 08:00; want chat-4 and chat-5, due now, ahead of the three due at 09:00", got)
	}
	if !r.Next.IsZero() {
		t.Errorf("next = %v; want none read (the batch of 2 held only what was due)", r.Next)
	}
	r, err = DeliverRound(ctx, db, Filter{Channel: channel.WhatsApp, Limit: 10}, s, clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.sent) != 2 || !r.Next.Equal(later) {
		t.Fatalf("at 08:00 again: %d sent, next %v; want 2 and %v", len(s.sent), r.Next, later)
	}
	clk.Set(later)
	if _, err := DeliverRound(ctx, db, Filter{Channel: channel.WhatsApp, Limit: 10}, s, clk.Now); err != nil {
		t.Fatal(err)
	}
	if got := chats(s.sent); !slices.Equal(got, []string{"chat-4", "chat-5", "chat-1", "chat-2", "chat-3"}) {
		t.Fatalf("sent %v by 09:00; want the three spread ones then, never the withheld chat-6", got)
	}
	b, err := Waiting(ctx, db.R, channel.WhatsApp)
	if err != nil {
		t.Fatal(err)
	}
	if b.Bulk != 0 {
		t.Errorf("bulk waiting = %d; want 0 (a withheld message does not wait)", b.Bulk)
	}
}

func chats(rs []channel.Reply) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Chat)
	}
	return out
}

// TestBurstGoesAsOneMessage: a member's answers queued within a few
// seconds of each other go as one message, a repeated answer once; an
// answer later than that, one with buttons, and other chats go apart.
func TestBurstGoesAsOneMessage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t0 := time.Date(2026, 12, 7, 9, 0, 0, 0, clock.Jakarta())
	answer := func(chat, text string) Item {
		return Item{Reply: channel.Reply{Channel: channel.WhatsApp, Chat: chat, Text: text}, Lane: channel.Interactive}
	}
	withButton := answer("a", "Ajukan?")
	withButton.Buttons = [][]channel.Button{{{Text: "Ya", Data: "ya"}}}
	queued := []queuedAt{
		{0, answer("a", "Saldo Rp100.000")},
		{0, answer("b", "Halo")},
		{time.Second, answer("a", "Saldo Rp100.000")},
		{3 * time.Second, answer("a", "Maaf, kami belum mengerti")},
		{30 * time.Second, answer("a", "Tagihan Rp50.000")},
		{31 * time.Second, withButton},
	}
	for _, c := range []struct {
		burst time.Duration
		want  []string
	}{
		{0, []string{"a:Saldo Rp100.000", "a:Saldo Rp100.000", "a:Maaf, kami belum mengerti", "a:Tagihan Rp50.000", "a:Ajukan?", "b:Halo"}},
		{5 * time.Second, []string{"a:Saldo Rp100.000\n\nMaaf, kami belum mengerti", "a:Tagihan Rp50.000", "a:Ajukan?", "b:Halo"}},
	} {
		t.Run(fmt.Sprint("burst ", c.burst), func(t *testing.T) {
			t.Parallel()
			db := openDB(t)
			queue(t, db, t0, queued)
			s := &flaky{}
			deliverAll(t, db, Filter{Channel: channel.WhatsApp, Limit: 20, Burst: c.burst}, s, t0.Add(time.Minute))
			var got []string
			for _, r := range s.sent {
				got = append(got, r.Chat+":"+r.Text)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("sent\n%q\nwant\n%q", got, c.want)
			}
			b, err := Waiting(ctx, db.R, channel.WhatsApp)
			if err != nil || b.Interactive != 0 {
				t.Errorf("answers waiting: %d (%v); want none: each of a burst is marked sent", b.Interactive, err)
			}
		})
	}
}

// down is a channel that is unreachable.
type down struct{ tries int }

func (d *down) Send(context.Context, channel.Reply) error {
	d.tries++
	return fmt.Errorf("dial: %w", channel.ErrUnavailable)
}

// TestBurstWaitsWholeWhenTheChannelIsDown: a burst that cannot go is given
// back whole, no attempt spent, and goes as one when the channel is back:
// a member's answers, and a member's lines to the officers in a handoff.
func TestBurstWaitsWholeWhenTheChannelIsDown(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t0 := time.Date(2026, 12, 7, 9, 0, 0, 0, clock.Jakarta())
	answer := func(text string) Item {
		return Item{Reply: channel.Reply{Channel: channel.WhatsApp, Chat: "a", Text: text}, Lane: channel.Interactive}
	}
	onWhatsApp := func(it Item) Item {
		it.Channel = channel.WhatsApp
		return it
	}
	for _, c := range []struct {
		name string
		its  []queuedAt
		want string
	}{
		{"answers", []queuedAt{{0, answer("Saldo Rp100.000")}, {time.Second, answer("Tagihan Rp50.000")}},
			"Saldo Rp100.000\n\nTagihan Rp50.000"},
		{"a handoff's lines", []queuedAt{{0, onWhatsApp(relayLine(1, "a", "halo"))}, {time.Second, onWhatsApp(relayLine(1, "b", "dana cair kapan?"))},
			{2 * time.Second, onWhatsApp(relayLine(1, "c", "terima kasih"))}}, "#H1:\nhalo\ndana cair kapan?\nterima kasih\n--"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			db := openDB(t)
			queue(t, db, t0, c.its)
			clk := clock.NewManual(t0.Add(time.Minute))
			f := Filter{Channel: channel.WhatsApp, Limit: 20, Burst: 5 * time.Second}
			d := &down{}
			if r, err := DeliverRound(ctx, db, f, d, clk.Now); err != nil || !r.Down || d.tries != 1 {
				t.Fatalf("round while down: %+v, %v, %d tries; want down after one try", r, err, d.tries)
			}
			var waiting, attempts, claimed int
			if err := db.R.QueryRow(`SELECT count(*), sum(attempts), count(claimed_by) FROM outbox WHERE status = 'pending'`).Scan(
				&waiting, &attempts, &claimed); err != nil {
				t.Fatal(err)
			}
			if waiting != len(c.its) || attempts != 0 || claimed != 0 {
				t.Fatalf("after the outage: %d waiting, %d attempts, %d still claimed; want %d, 0 and 0", waiting, attempts, claimed, len(c.its))
			}
			s := &flaky{}
			if _, err := DeliverRound(ctx, db, f, s, clk.Now); err != nil {
				t.Fatal(err)
			}
			if len(s.sent) != 1 || s.sent[0].Text != c.want {
				t.Errorf("sent %+v after the outage; want the burst as one", s.sent)
			}
		})
	}
}
