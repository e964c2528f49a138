package outbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/kopmem/kopbot/internal/store/storetest"
)

type flaky struct {
	failures int
	sent     []channel.Reply
}

func (f *flaky) Send(_ context.Context, r channel.Reply) error {
	if f.failures > 0 {
		f.failures--
		return errors.New("network down")
	}
	f.sent = append(f.sent, r)
	return nil
}

func openDB(t *testing.T) *store.DB { return storetest.Open(t, Schema) }

func enqueue(t *testing.T, db *store.DB, it Item) bool {
	t.Helper()
	var queued bool
	err := db.Write(context.Background(), func(tx *sql.Tx) error {
		var err error
		queued, err = Enqueue(context.Background(), tx, it, time.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return queued
}

func TestKeyedItemsQueueOnce(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	it := Item{Reply: channel.Reply{Channel: channel.Telegram, Chat: "1", Text: "hi"}, Key: "reminder:loan7:3:-1"}
	if !enqueue(t, db, it) || enqueue(t, db, it) {
		t.Fatal("a keyed item must queue the first time only")
	}
	plain := Item{Reply: channel.Reply{Channel: channel.Telegram, Chat: "1", Text: "hi"}}
	if !enqueue(t, db, plain) || !enqueue(t, db, plain) {
		t.Fatal("unkeyed replies must always queue")
	}
}

func TestDeliverKeepsOrderButtonsAndRetriesUntilFailed(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	ctx := context.Background()
	buttons := [][]channel.Button{{{Text: "Setujui", Data: "ap:1"}, {Text: "Tolak", Data: "rj:1"}}}
	enqueue(t, db, Item{Reply: channel.Reply{Channel: channel.Telegram, Chat: "9", Text: "first", Buttons: buttons}})
	enqueue(t, db, Item{Reply: channel.Reply{Channel: channel.Telegram, Chat: "9", Text: "second"}})
	enqueue(t, db, Item{Reply: channel.Reply{Channel: channel.WhatsApp, Chat: "9", Text: "other channel"}})

	s := &flaky{failures: MaxAttempts*2 - 1}
	f := Filter{Channel: channel.Telegram, Limit: 10}
	clk := clock.NewManual(time.Now())
	if _, err := Deliver(ctx, db, f, s, clk.Now); err != nil {
		t.Fatal(err)
	}
	if n, _ := Deliver(ctx, db, f, s, clk.Now); n != 0 || s.failures != MaxAttempts*2-2 {
		t.Fatalf("retried before the backoff ran out, or overtook it in its chat: sent %d, failures left %d", n, s.failures)
	}
	for range 2 * MaxAttempts {
		clk.Advance(time.Hour)
		if _, err := Deliver(ctx, db, f, s, clk.Now); err != nil {
			t.Fatal(err)
		}
	}
	// "first" failed MaxAttempts times and gave up; only then did "second"
	// go out, after MaxAttempts-1 failures of its own.
	if len(s.sent) != 1 || s.sent[0].Text != "second" {
		t.Fatalf("sent = %+v", s.sent)
	}
	for text, want := range map[string]string{"first": "failed", "second": "sent"} {
		if st, attempts := status(t, db, text); st != want || attempts != MaxAttempts {
			t.Fatalf("%s: status %s after %d attempts, want %s after %d", text, st, attempts, want, MaxAttempts)
		}
	}
	clk.Advance(time.Hour)
	if n, _ := Deliver(ctx, db, f, s, clk.Now); n != 0 {
		t.Fatalf("delivered %d more, want nothing left", n)
	}

	ok := &flaky{}
	enqueue(t, db, Item{Reply: channel.Reply{Channel: channel.Telegram, Chat: "9", Text: "with buttons", Buttons: buttons}})
	if _, err := Deliver(ctx, db, f, ok, time.Now); err != nil {
		t.Fatal(err)
	}
	if len(ok.sent) != 1 || len(ok.sent[0].Buttons) != 1 || ok.sent[0].Buttons[0][1].Data != "rj:1" {
		t.Fatalf("buttons lost: %+v", ok.sent)
	}
}

func TestDeliverOneChat(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	enqueue(t, db, Item{Reply: channel.Reply{Channel: channel.Console, Chat: "a", Text: "for a"}})
	enqueue(t, db, Item{Reply: channel.Reply{Channel: channel.Console, Chat: "b", Text: "for b"}})
	s := &flaky{}
	if _, err := Deliver(context.Background(), db, Filter{Channel: channel.Console, Chat: "b", Limit: 10}, s, time.Now); err != nil {
		t.Fatal(err)
	}
	if len(s.sent) != 1 || s.sent[0].Text != "for b" {
		t.Fatalf("sent = %+v", s.sent)
	}
}

type failing struct{ err error }

func (f failing) Send(context.Context, channel.Reply) error { return f.err }

func status(t *testing.T, db *store.DB, text string) (string, int) {
	t.Helper()
	var st string
	var attempts int
	if err := db.R.QueryRow(`SELECT status, attempts FROM outbox WHERE text = ?`, text).Scan(&st, &attempts); err != nil {
		t.Fatal(err)
	}
	return st, attempts
}

func TestFailureKinds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		err          error
		wantStatus   string
		wantAttempts int
	}{
		{"permanent fails at once", fmt.Errorf("bot blocked: %w", channel.ErrPermanent), "failed", 1},
		{"unavailable waits without an attempt", fmt.Errorf("banned: %w", channel.ErrUnavailable), "pending", 0},
		{"transient counts an attempt", errors.New("timeout"), "pending", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db := openDB(t)
			enqueue(t, db, Item{Reply: channel.Reply{Channel: channel.WhatsApp, Chat: "1", Text: "x"}})
			if _, err := Deliver(context.Background(), db, Filter{Channel: channel.WhatsApp, Limit: 5}, failing{tc.err}, time.Now); err != nil {
				t.Fatal(err)
			}
			if st, n := status(t, db, "x"); st != tc.wantStatus || n != tc.wantAttempts {
				t.Fatalf("status %s after %d attempts, want %s after %d", st, n, tc.wantStatus, tc.wantAttempts)
			}
		})
	}
}

func TestVetHoldsAndDropsKeyedItems(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	ctx := context.Background()
	clk := clock.NewManual(time.Date(2026, 12, 1, 21, 0, 0, 0, time.UTC))
	for i, k := range []string{"hold", "drop", "send"} {
		enqueue(t, db, Item{Reply: channel.Reply{Channel: channel.WhatsApp, Chat: strconv.Itoa(i + 1), Text: k}, Key: "rem:" + k,
			Lane: channel.Bulk})
	}
	enqueue(t, db, Item{Reply: channel.Reply{Channel: channel.WhatsApp, Chat: "1", Text: "reply"}})
	var vetted []string
	f := Filter{Channel: channel.WhatsApp, Limit: 10, Vet: func(_ context.Context, it Item) (Verdict, error) {
		vetted = append(vetted, it.Key)
		switch it.Text {
		case "hold":
			return Verdict{Action: Hold, Until: clk.Now().Add(11 * time.Hour)}, nil
		case "drop":
			return Verdict{Action: Drop, Reason: "paid"}, nil
		}
		return Verdict{}, nil
	}}
	s := &flaky{}
	if _, err := Deliver(ctx, db, f, s, clk.Now); err != nil {
		t.Fatal(err)
	}
	if len(s.sent) != 2 || s.sent[0].Text != "reply" || s.sent[1].Text != "send" {
		t.Fatalf("sent %+v", s.sent)
	}
	if len(vetted) != 3 {
		t.Fatalf("vetted %v: unkeyed replies are never vetted", vetted)
	}
	if st, _ := status(t, db, "drop"); st != "dropped" {
		t.Fatalf("dropped item is %s", st)
	}
	clk.Advance(time.Hour)
	if n, _ := Deliver(ctx, db, f, s, clk.Now); n != 0 {
		t.Fatal("a held item went before its time")
	}
	clk.Advance(10 * time.Hour)
	f.Vet = func(context.Context, Item) (Verdict, error) { return Verdict{}, nil }
	if n, _ := Deliver(ctx, db, f, s, clk.Now); n != 1 || s.sent[2].Text != "hold" {
		t.Fatalf("held item not sent in the morning: %d, %+v", n, s.sent)
	}
}
