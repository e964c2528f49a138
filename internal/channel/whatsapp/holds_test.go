package whatsapp

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/types"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/store"
)

// TestHoldsSurviveARestart: what WhatsApp's refusals hold is kept in the
// database. An adapter opened on the same file after a restart still
// leaves the contact refused with 463 alone and holds the number's bulk
// after two rate errors, counts on from the refusals before (the next 463
// waits two hours, not one), and still answers a member who writes at
// once; a contact who wrote before the restart is welcome after it. A
// hold that ended two days ago is pruned at the next start.
func TestHoldsSurviveARestart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "k.db")
	open := func() *store.DB {
		t.Helper()
		db, err := store.Open(ctx, path, store.Options{}, outbox.Schema)
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	const number = "6281100000000"
	never, flood1, flood2, fine, writer := chatOf(1), chatOf(2), chatOf(3), chatOf(4), chatOf(5)
	// start serves until it is stopped: an adapter keeping its holds in
	// the file, WhatsApp answering with refuse.
	start := func(now time.Time, refuse map[string]error) (*Adapter, *store.DB, *clock.Manual) {
		t.Helper()
		db := open()
		a, wa, clk := testAdapter(t, lidMap{}, Config{Location: clock.Jakarta()})
		clk.Set(now)
		wa.sendErr = func(to types.JID) error { return refuse[to.String()] }
		if err := a.Pacer().Keep(ctx, outbox.Holds{DB: db, Channel: channel.WhatsApp, Number: number}, now); err != nil {
			t.Fatal(err)
		}
		return a, db, clk
	}
	round := func(db *store.DB, a *Adapter, clk *clock.Manual) {
		t.Helper()
		if _, err := outbox.DeliverRound(ctx, db, outbox.Filter{Channel: channel.WhatsApp, Limit: 20, Pacer: a.Pacer()}, a, clk.Now); err != nil {
			t.Fatal(err)
		}
	}
	bulkAt := func(a *Adapter, chat string, now time.Time) time.Time {
		return a.Pacer().Ready(channel.Slot{Chat: chat, Lane: channel.Bulk}, now)
	}

	refuse := map[string]error{never: errNoReachout, flood1: errRate, flood2: errRate, writer: errNoReachout}
	a, db, clk := start(t0, refuse)
	queue(t, db, t0, bulk(never, "b-never"), bulk(writer, "b-writer"), bulk(flood1, "b-flood1"), bulk(flood2, "b-flood2"),
		bulk(fine, "b-fine"))
	round(db, a, clk)
	if got := bulkAt(a, fine, t0); !got.Equal(t0.Add(15 * time.Minute)) {
		t.Fatalf("before the restart the number's bulk waits until %v; want 15 minutes on", got)
	}
	deliver(a, &engine{}, dm(t, "W1", writer, text("halo")))
	db.Close()

	// Five minutes later kopbot serve starts again.
	restart := t0.Add(5 * time.Minute)
	refuse = map[string]error{}
	a, db, clk = start(restart, refuse)
	for _, c := range []struct {
		chat string
		want time.Time
	}{
		{never, t0.Add(time.Hour)},
		{flood1, t0.Add(time.Hour)},
		{fine, t0.Add(15 * time.Minute)},
		{writer, t0.Add(15 * time.Minute)}, // the number's hold only: they wrote
	} {
		if got := bulkAt(a, c.chat, restart); !got.Equal(c.want) {
			t.Errorf("after the restart bulk to %s may go at %v; want %v", c.chat, got, c.want)
		}
	}
	queue(t, db, restart, outbox.Item{Reply: channel.Reply{Chat: never, Text: "Saldo Anda Rp100.000"}, Lane: channel.Interactive})
	clk.Advance(5 * time.Second)
	round(db, a, clk)
	if got := recipients(fake(a)); len(got) != 1 || got[0] != never {
		t.Fatalf("after the restart sent to %v; want the reply to %s while bulk waits", got, never)
	}
	if status, attempts, _ := row(t, db, "b-fine"); status != "pending" || attempts != 0 {
		t.Errorf("b-fine: %s after %d attempts; want pending while the number is held", status, attempts)
	}
	// An hour on, WhatsApp refuses the contact again: its second refusal
	// waits two hours (one, had the restart forgotten the first).
	refuse[never] = errNoReachout
	clk.Set(t0.Add(time.Hour))
	for range 6 {
		round(db, a, clk)
		clk.Advance(20 * time.Second)
	}
	if status, _, _ := row(t, db, "b-fine"); status != "sent" {
		t.Errorf("b-fine: %s an hour on; want sent once the number's hold ended", status)
	}
	if got := bulkAt(a, never, clk.Now()); got.Before(t0.Add(2*time.Hour + 30*time.Minute)) {
		t.Errorf("the second 463, after a restart, holds bulk to %s until %v; want two hours after it", never, got)
	}
	db.Close()

	// Two days after the last hold ended, the next start forgets it.
	_, db, _ = start(t0.Add(4*time.Hour+forgiveAfter), nil)
	defer db.Close()
	var left int
	if err := db.R.QueryRow(`SELECT count(*) FROM bulk_holds`).Scan(&left); err != nil || left != 0 {
		t.Errorf("%d holds left (%v) two days after the last ended; want none", left, err)
	}
}

func fake(a *Adapter) *fakeWA { return a.wa.(*fakeWA) }
