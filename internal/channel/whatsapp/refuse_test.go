package whatsapp

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/kopmem/kopbot/internal/store/storetest"
)

// Errors exactly as whatsmeow returns them: a message the server answered
// with an error code (send.go: fmt.Errorf("%w %d", ErrServerReturnedError,
// code)), and an info query refused for rate (wrapped by the caller, as
// whatsmeow's device-list fetch does while sending).
var (
	errNoReachout = fmt.Errorf("%w %d", whatsmeow.ErrServerReturnedError, 463)
	errRate       = fmt.Errorf("failed to get device list: %w", whatsmeow.ErrIQRateOverLimit)
	errServer500  = fmt.Errorf("%w %d", whatsmeow.ErrServerReturnedError, 500)
)

func chatOf(i int) string { return fmt.Sprintf("62812000%05d@s.whatsapp.net", i) }

func queue(t *testing.T, db *store.DB, now time.Time, items ...outbox.Item) {
	t.Helper()
	err := db.Write(context.Background(), func(tx *sql.Tx) error {
		for _, it := range items {
			it.Channel = channel.WhatsApp
			if _, err := outbox.Enqueue(context.Background(), tx, it, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func bulk(chat, key string) outbox.Item {
	return outbox.Item{Reply: channel.Reply{Chat: chat, Text: "Pengingat simpanan wajib"}, Key: key, Lane: channel.Bulk}
}

// row reads one outbox row's state: status, attempts, next try.
func row(t *testing.T, db *store.DB, key string) (string, int, string) {
	t.Helper()
	var status, next string
	var attempts int
	if err := db.R.QueryRow(`SELECT status, attempts, coalesce(next_try, '') FROM outbox WHERE key = ?`, key).
		Scan(&status, &attempts, &next); err != nil {
		t.Fatal(err)
	}
	return status, attempts, next
}

// TestRefusedBulkBacksOffRepliesGoOn: WhatsApp's 463 (the contact never
// wrote first) holds bulk to that contact for an hour, then two; rate
// errors hold the contact, and twice in a row the whole number's bulk;
// none costs an attempt, and a reply to a member who writes goes on all
// the while. A contact who writes is welcome again at once.
func TestRefusedBulkBacksOffRepliesGoOn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t, outbox.Schema)
	a, wa, clk := testAdapter(t, lidMap{}, Config{Location: clock.Jakarta()})
	never, flood1, flood2, fine, writer := chatOf(1), chatOf(2), chatOf(3), chatOf(4), chatOf(5)
	refuse := map[string]error{never: errNoReachout, flood1: errRate, flood2: errRate}
	wa.sendErr = func(to types.JID) error { return refuse[to.String()] }
	f := outbox.Filter{Channel: channel.WhatsApp, Limit: 20, Pacer: a.Pacer()}
	round := func() outbox.Round {
		t.Helper()
		r, err := outbox.DeliverRound(ctx, db, f, a, clk.Now)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	start := clk.Now()
	queue(t, db, start, bulk(never, "b-never"))
	round()
	status, attempts, next := row(t, db, "b-never")
	if want := store.Stamp(start.Add(time.Hour)); status != "pending" || attempts != 0 || next != want {
		t.Fatalf("after a 463: %s, %d attempts, next %s; want pending, 0, %s", status, attempts, next, want)
	}
	// A reply to the same chat is not held: only bulk is refused.
	queue(t, db, clk.Now(), outbox.Item{Reply: channel.Reply{Chat: never, Text: "Saldo Anda Rp100.000"}, Lane: channel.Interactive})
	clk.Advance(5 * time.Second)
	refuse[never] = nil
	round()
	refuse[never] = errNoReachout
	if got := recipients(wa); !slices.Equal(got, []string{never}) {
		t.Fatalf("sent to %v; want the reply to %s", got, never)
	}
	// An hour on, WhatsApp refuses again: two hours now.
	clk.Set(start.Add(time.Hour))
	round()
	if _, attempts, next := row(t, db, "b-never"); attempts != 0 || next != store.Stamp(start.Add(3*time.Hour)) {
		t.Fatalf("after a second 463: %d attempts, next %s; want 0, two hours on", attempts, next)
	}

	// Two rate errors in a row hold all bulk for 15 minutes; a reply
	// still goes.
	now := clk.Now().Add(time.Minute)
	clk.Set(now)
	queue(t, db, now, bulk(flood1, "b-flood1"), bulk(flood2, "b-flood2"), bulk(fine, "b-fine"))
	round()
	held := clk.Now()
	if got := p(a).Ready(channel.Slot{Chat: fine, Lane: channel.Bulk}, held); !got.Equal(held.Add(15 * time.Minute)) {
		t.Fatalf("after two rate errors, bulk to another contact may go at %v (%v on); want 15 minutes on", got, got.Sub(held))
	}
	queue(t, db, held, outbox.Item{Reply: channel.Reply{Chat: writer, Text: "Saldo Anda Rp250.000"}, Lane: channel.Interactive})
	clk.Advance(5 * time.Second)
	round()
	if got := recipients(wa); got[len(got)-1] != writer {
		t.Fatalf("sent to %v; want the reply to %s while bulk is held", got, writer)
	}
	for _, key := range []string{"b-flood1", "b-flood2", "b-fine"} {
		if status, attempts, _ := row(t, db, key); status != "pending" || attempts != 0 {
			t.Errorf("%s: %s after %d attempts; want pending, no attempt spent", key, status, attempts)
		}
	}
	// Once held no more, bulk goes on, and a bulk message that went
	// clears the strikes.
	refuse[flood1], refuse[flood2] = nil, nil
	clk.Set(held.Add(2 * time.Hour))
	for range 5 {
		round()
		clk.Advance(20 * time.Second)
	}
	for _, key := range []string{"b-flood1", "b-flood2", "b-fine"} {
		if status, _, _ := row(t, db, key); status != "sent" {
			t.Errorf("%s: %s two hours on; want sent", key, status)
		}
	}

	// The contact who never wrote writes: their reminder may go at once.
	if got := p(a).Ready(channel.Slot{Chat: never, Lane: channel.Bulk}, clk.Now()); !got.After(clk.Now()) {
		t.Fatalf("bulk to %s ready before they wrote", never)
	}
	deliver(a, &engine{}, dm(t, "W1", never, text("halo")))
	if got := p(a).Ready(channel.Slot{Chat: never, Lane: channel.Bulk}, clk.Now().Add(time.Minute)); got.After(clk.Now().Add(time.Minute)) {
		t.Errorf("bulk to %s held until %v after they wrote", never, got)
	}
}

// TestOtherSendErrorsAreOrdinaryFailures: a server error that is no
// refusal (500) spends an attempt as before and holds nothing.
func TestOtherSendErrorsAreOrdinaryFailures(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t, outbox.Schema)
	a, wa, clk := testAdapter(t, lidMap{}, Config{})
	wa.sendErr = func(types.JID) error { return errServer500 }
	queue(t, db, clk.Now(), bulk(chatOf(1), "b-1"))
	if _, err := outbox.DeliverRound(context.Background(), db, outbox.Filter{Channel: channel.WhatsApp, Limit: 5, Pacer: a.Pacer()}, a, clk.Now); err != nil {
		t.Fatal(err)
	}
	if status, attempts, _ := row(t, db, "b-1"); status != "pending" || attempts != 1 {
		t.Errorf("after a 500: %s, %d attempts; want pending, 1", status, attempts)
	}
	if got := a.Pacer().Ready(channel.Slot{Chat: chatOf(2), Lane: channel.Bulk}, clk.Now().Add(time.Minute)); got.After(clk.Now().Add(time.Minute)) {
		t.Errorf("another contact's bulk held until %v after a 500", got)
	}
}

func p(a *Adapter) *Pacer { return a.Pacer() }

func recipients(wa *fakeWA) []string {
	ms, _, _ := wa.snapshot()
	var out []string
	for _, m := range ms {
		out = append(out, m.to)
	}
	return out
}
