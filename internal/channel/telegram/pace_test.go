package telegram

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	tt "github.com/kopmem/kopbot/internal/channel/telegram/telegramtest"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/store"
)

var t0 = time.Date(2026, 12, 7, 8, 0, 0, 0, clock.Jakarta())

func TestPacerLimits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		chats []string
		want  []time.Duration // when each goes, sent as soon as ready
	}{
		{"overall rate across chats", []string{"1", "2", "3"}, []time.Duration{0, 100 * time.Millisecond, 200 * time.Millisecond}},
		{"a private chat once a second", []string{"1", "2", "1"}, []time.Duration{0, 100 * time.Millisecond, time.Second}},
		{"a group every three seconds", []string{"-100", "-100"}, []time.Duration{0, 3 * time.Second}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := newPacer(10, time.Second, 3*time.Second)
			for i, c := range tc.chats {
				s := channel.Slot{Chat: c, Lane: channel.Interactive}
				at := p.Ready(s, t0)
				if got := at.Sub(t0); got != tc.want[i] {
					t.Errorf("message %d to %s ready after %v, want %v", i, c, got, tc.want[i])
				}
				p.Sent(context.Background(), s, at)
			}
		})
	}
}

// queue writes items to db's outbox, each a second after the one before.
func queue(t *testing.T, db *store.DB, its ...outbox.Item) {
	t.Helper()
	err := db.Write(context.Background(), func(tx *sql.Tx) error {
		for i, it := range its {
			it.Channel = channel.Telegram
			if _, err := outbox.Enqueue(context.Background(), tx, it, t0.Add(time.Duration(i)*time.Second)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func item(chat, text string, lane channel.Lane) outbox.Item {
	return outbox.Item{Reply: channel.Reply{Chat: chat, Text: text}, Lane: lane}
}

// row is an outbox row as these tests read it back.
func row(t *testing.T, db *store.DB, text string) (status string, attempts int, lastError string) {
	t.Helper()
	if err := db.R.QueryRow(`SELECT status, attempts, coalesce(last_error, '') FROM outbox WHERE text = ?`, text).
		Scan(&status, &attempts, &lastError); err != nil {
		t.Fatal(err)
	}
	return status, attempts, lastError
}

// deliverAll runs delivery rounds on clk, jumping to whatever waits next,
// until nothing is pending or until passes.
func deliverAll(t *testing.T, db *store.DB, f outbox.Filter, b *Bot, clk *clock.Manual, until time.Time) []outbox.Round {
	t.Helper()
	var rounds []outbox.Round
	for clk.Now().Before(until) {
		r, err := outbox.DeliverRound(context.Background(), db, f, b, clk.Now)
		if err != nil {
			t.Fatal(err)
		}
		rounds = append(rounds, r)
		if r.Next.IsZero() && r.Sent == 0 {
			break
		}
		if r.Next.After(clk.Now()) {
			clk.Set(r.Next)
		}
	}
	return rounds
}

// TestRetryAfterHoldsOnlyItsChat: Telegram answers 429 for one chat; the
// other chats go in the same round, the held chat's messages wait the time
// asked, then go in order, and the 429 costs no attempt.
func TestRetryAfterHoldsOnlyItsChat(t *testing.T) {
	t.Parallel()
	srv := tt.New(t)
	b := newBot(t, testConfig(srv), nil)
	db := outboxDB(t)
	queue(t, db, item("42", "satu", channel.Interactive), item("42", "dua", channel.Interactive),
		item("43", "lain", channel.Interactive), item("44", "pemberitahuan", channel.Notice))
	srv.FailNext("sendMessage", 1, 429, 30)
	clk := clock.NewManual(t0.Add(time.Minute))
	f := outbox.Filter{Channel: channel.Telegram, Limit: 10, Pacer: b.Pacer()}
	asked := clk.Now()
	deliverAll(t, db, f, b, clk, asked.Add(29*time.Second))
	if n := len(srv.Sent()); n != 2 {
		t.Fatalf("%d sent in the 29s after the 429, want the two other chats", n)
	}
	if st, n, why := row(t, db, "satu"); st != "pending" || n != 0 || !strings.Contains(why, "429") {
		t.Fatalf("held message: %s after %d attempts (%s), want pending with no attempt", st, n, why)
	}
	deliverAll(t, db, f, b, clk, clk.Now().Add(time.Minute))
	var got []string
	for _, m := range srv.Sent() {
		got = append(got, strconv.FormatInt(m.ChatID, 10)+":"+m.Text)
	}
	if want := "43:lain 44:pemberitahuan 42:satu 42:dua"; strings.Join(got, " ") != want {
		t.Errorf("sent %v, want %s", got, want)
	}
}

// TestOutageIsNotFailure: the Bot API is unreachable for ten minutes. No
// message loses an attempt or is given up; the outbox knocks once per
// probe, not once per message; when it is back, everything goes in order,
// replies before notices, the replies that waited too long with an apology, the reminder whose day
// ended in the outage dropped as expired.
func TestOutageIsNotFailure(t *testing.T) {
	t.Parallel()
	srv := tt.New(t)
	b := newBot(t, testConfig(srv), nil)
	db := outboxDB(t)
	reminder := item("45", "pengingat", channel.Bulk)
	reminder.Key, reminder.Expires = "rem:x", t0.Add(5*time.Minute)
	queue(t, db, item("42", "saldo Anda", channel.Interactive), item("43", "tanda terima", channel.Notice),
		item("42", "mutasi Anda", channel.Interactive), reminder)
	clk := clock.NewManual(t0.Add(2 * time.Second))
	f := outbox.Filter{Channel: channel.Telegram, Limit: 10, Pacer: b.Pacer(), LateAfter: 5 * time.Minute,
		Late: func(it outbox.Item) outbox.Item { it.Text = "Maaf terlambat. " + it.Text; return it }}

	srv.SetDown(true)
	rounds := deliverAll(t, db, f, b, clk, t0.Add(10*time.Minute))
	for _, r := range rounds {
		if r.Sent != 0 || !r.Down {
			t.Fatalf("a round during the outage: %+v", r)
		}
	}
	if probes := srv.Calls("down"); probes != len(rounds) || probes > 10*60/int(outbox.OutageProbe.Seconds())+1 {
		t.Errorf("%d requests in %d rounds: want one probe per round", probes, len(rounds))
	}
	for _, text := range []string{"saldo Anda", "tanda terima", "mutasi Anda"} {
		if st, n, _ := row(t, db, text); st != "pending" || n != 0 {
			t.Fatalf("%q after the outage: %s, %d attempts; want pending, none used", text, st, n)
		}
	}

	srv.SetDown(false)
	deliverAll(t, db, f, b, clk, clk.Now().Add(time.Minute))
	var got []string
	for _, m := range srv.Sent() {
		got = append(got, strconv.FormatInt(m.ChatID, 10)+":"+m.Text)
	}
	want := []string{"42:Maaf terlambat. saldo Anda", "42:Maaf terlambat. mutasi Anda", "43:tanda terima"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("after the outage sent %q, want %q", got, want)
	}
	if st, _, why := row(t, db, "pengingat"); st != "dropped" || why != "expired" {
		t.Errorf("reminder past its time: %s (%s), want dropped as expired", st, why)
	}
}

func outboxDB(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), t.TempDir()+"/o.db", store.Options{}, outbox.Schema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
