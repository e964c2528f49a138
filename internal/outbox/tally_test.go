package outbox

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
)

// TestTallyKeyed counts one batch by status and nothing of a batch whose
// key merely starts the same way (ann:1: is not ann:12:).
func TestTallyKeyed(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	ctx := context.Background()
	for _, key := range []string{"ann:1:1", "ann:1:2", "ann:1:3", "ann:12:1", "ann:2:1", "rem:summary:2026-12-02"} {
		enqueue(t, db, Item{Reply: channel.Reply{Channel: channel.WhatsApp, Chat: key, Text: "x"}, Key: key, Lane: channel.Bulk})
	}
	if _, err := db.W.ExecContext(ctx, `UPDATE outbox SET status = CASE key WHEN 'ann:1:2' THEN 'sent' WHEN 'ann:1:3' THEN 'dropped'
		ELSE 'failed' END WHERE key <> 'ann:1:1'`); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		prefix string
		want   Tally
	}{
		{"ann:1:", Tally{Pending: 1, Sent: 1, Dropped: 1}},
		{"ann:12:", Tally{Failed: 1}},
		{"ann:3:", Tally{}},
	} {
		got, err := TallyKeyed(ctx, db.R, tc.prefix)
		if err != nil || got != tc.want {
			t.Errorf("%s: %+v, %v; want %+v", tc.prefix, got, err, tc.want)
		}
	}
	if _, err := TallyKeyed(ctx, db.R, ""); err == nil {
		t.Error("an empty prefix tallied the whole outbox")
	}
}

// TestVets: the first vet that holds or drops decides, an error stops the
// rest, and a message every vet passes goes.
func TestVets(t *testing.T) {
	t.Parallel()
	until := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	pass := func(context.Context, Item) (Verdict, error) { return Verdict{Action: Send}, nil }
	hold := func(context.Context, Item) (Verdict, error) { return Verdict{Action: Hold, Until: until}, nil }
	drop := func(context.Context, Item) (Verdict, error) { return Verdict{Action: Drop, Reason: "opted out"}, nil }
	broken := errors.New("database gone")
	fail := func(context.Context, Item) (Verdict, error) { return Verdict{}, broken }
	for _, tc := range []struct {
		name string
		vets []func(context.Context, Item) (Verdict, error)
		want Verdict
		err  error
	}{
		{"all pass", []func(context.Context, Item) (Verdict, error){pass, pass}, Verdict{Action: Send}, nil},
		{"the second holds", []func(context.Context, Item) (Verdict, error){pass, hold, drop}, Verdict{Action: Hold, Until: until}, nil},
		{"the first drops", []func(context.Context, Item) (Verdict, error){drop, hold}, Verdict{Action: Drop, Reason: "opted out"}, nil},
		{"an error stops", []func(context.Context, Item) (Verdict, error){pass, fail, drop}, Verdict{}, broken},
	} {
		got, err := Vets(tc.vets...)(context.Background(), Item{Key: "k"})
		if got != tc.want || !errors.Is(err, tc.err) {
			t.Errorf("%s: %+v, %v; want %+v, %v", tc.name, got, err, tc.want, tc.err)
		}
	}
}
