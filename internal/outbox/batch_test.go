package outbox

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/store"
)

// relayLine is a member's line in handoff h (message msg) queued to the
// officers' group, as internal/officer queues it.
func relayLine(h int, msg, line string) Item {
	return Item{Reply: channel.Reply{Channel: channel.Telegram, Chat: "group"}, Key: fmt.Sprintf("handoff:%d:%s", h, msg),
		Batch: &Batch{Group: fmt.Sprintf("handoff:%d", h), Head: fmt.Sprintf("#H%d:\n", h), Line: line, Foot: "\n--"}}
}

// queuedAt is an item and how long after the test's start it was queued.
type queuedAt struct {
	after time.Duration
	it    Item
}

// queue queues qs, each at its time after t0.
func queue(t *testing.T, db *store.DB, t0 time.Time, qs []queuedAt) {
	t.Helper()
	err := db.Write(context.Background(), func(tx *sql.Tx) error {
		for _, q := range qs {
			if _, err := Enqueue(context.Background(), tx, q.it, t0.Add(q.after)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// deliverAll runs rounds at now until what may go went.
func deliverAll(t *testing.T, db *store.DB, f Filter, s channel.Sender, now time.Time) {
	t.Helper()
	for range 5 {
		if _, err := DeliverRound(context.Background(), db, f, s, func() time.Time { return now }); err != nil {
			t.Fatal(err)
		}
	}
}

// numbered is a sender that numbers what it sends, as Telegram does.
type numbered struct{ sent []channel.Reply }

func (n *numbered) Send(ctx context.Context, r channel.Reply) error {
	_, err := n.SendTraced(ctx, r)
	return err
}

func (n *numbered) SendTraced(_ context.Context, r channel.Reply) (string, error) {
	n.sent = append(n.sent, r)
	return fmt.Sprint(len(n.sent)), nil
}

// TestBatchGoesAsOneMessage: a member's lines in one handoff queued within
// the burst of each other go to the group as one message, the head once
// and every line in order; another handoff's lines, a file, a line after
// the window and an officer's answer in between keep theirs apart. Every
// row of a joined message records its id, so a reply to it finds the
// handoff.
func TestBatchGoesAsOneMessage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t0 := time.Date(2026, 12, 7, 9, 0, 0, 0, clock.Jakarta())
	five := []queuedAt{{0, relayLine(1, "m1", "satu")}, {time.Second, relayLine(1, "m2", "dua")},
		{2 * time.Second, relayLine(1, "m3", "tiga")}, {3 * time.Second, relayLine(1, "m4", "empat")},
		{4 * time.Second, relayLine(1, "m5", "lima")}}
	file := relayLine(1, "m2", "bukti")
	file.Attachment = &channel.Attachment{Name: "bukti.jpg", Path: "/tmp/bukti.jpg"}
	answer := Item{Reply: channel.Reply{Channel: channel.Telegram, Chat: "group", Text: "Obrolan terbuka (1)"}, Lane: channel.Interactive}
	for _, c := range []struct {
		name   string
		burst  time.Duration
		queued []queuedAt
		want   []string
	}{
		{"five lines of one member", 5 * time.Second, five, []string{"#H1:\nsatu\ndua\ntiga\nempat\nlima\n--"}},
		{"burst off: each alone", 0, five[:2], []string{"#H1:\nsatu\n--", "#H1:\ndua\n--"}},
		{"two handoffs interleaved", 5 * time.Second, []queuedAt{{0, relayLine(1, "a", "a")}, {time.Second, relayLine(2, "b", "b")},
			{2 * time.Second, relayLine(1, "c", "c")}, {3 * time.Second, relayLine(2, "d", "d")}},
			[]string{"#H1:\na\nc\n--", "#H2:\nb\nd\n--"}},
		{"a line after the window", 5 * time.Second, []queuedAt{{0, relayLine(1, "a", "a")}, {2 * time.Second, relayLine(1, "b", "b")},
			{8 * time.Second, relayLine(1, "c", "c")}},
			[]string{"#H1:\na\nb\n--", "#H1:\nc\n--"}},
		{"a repeated line is kept", 5 * time.Second, []queuedAt{{0, relayLine(1, "a", "ok")}, {time.Second, relayLine(1, "b", "ok")}},
			[]string{"#H1:\nok\nok\n--"}},
		{"a file goes alone, in its place", 5 * time.Second, []queuedAt{{0, relayLine(1, "m1", "satu")}, {time.Second, file},
			{2 * time.Second, relayLine(1, "m3", "tiga")}},
			[]string{"#H1:\nsatu\n--", "#H1:\nbukti\n--", "#H1:\ntiga\n--"}},
		{"an officer's answer in between", 5 * time.Second, []queuedAt{{0, relayLine(1, "a", "a")}, {time.Second, answer},
			{2 * time.Second, relayLine(1, "c", "c")}},
			[]string{"#H1:\na\n--", "Obrolan terbuka (1)", "#H1:\nc\n--"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			db := openDB(t)
			queue(t, db, t0, c.queued)
			s := &numbered{}
			deliverAll(t, db, Filter{Channel: channel.Telegram, Limit: 20, Burst: c.burst}, s, t0.Add(time.Minute))
			var got []string
			for _, r := range s.sent {
				got = append(got, r.Text)
			}
			if !slices.Equal(got, c.want) {
				t.Fatalf("sent\n%q\nwant\n%q", got, c.want)
			}
			// Every row went, with the id of its message; a reply to a
			// handoff's message finds a row of that handoff.
			var unmarked int
			if err := db.R.QueryRow(`SELECT count(*) FROM outbox WHERE platform_id IS NULL`).Scan(&unmarked); err != nil || unmarked != 0 {
				t.Errorf("%d rows without the id of their message (%v)", unmarked, err)
			}
			for i, r := range s.sent {
				it, ok, err := SentAs(ctx, db.R, channel.Telegram, "group", fmt.Sprint(i+1))
				if err != nil || !ok {
					t.Fatalf("message %d: %v, %v", i+1, ok, err)
				}
				if tag, isRelay := strings.CutPrefix(r.Text, "#H"); isRelay && !strings.HasPrefix(it.Key, "handoff:"+tag[:1]+":") {
					t.Errorf("a reply to %q finds %q", r.Text, it.Key)
				}
			}
		})
	}
}

// TestFloodGoesInFewMessages: a flood of lines into one handoff, read
// past the head of the line a round reads, goes in as few messages as one
// Telegram message each (burstRunes) carries, every line once and in
// order, another member's lines in between kept apart.
func TestFloodGoesInFewMessages(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 12, 7, 9, 0, 0, 0, clock.Jakarta())
	for _, c := range []struct {
		name     string
		lines    int
		line     func(i int) string
		messages int
	}{
		{"200 short lines", 200, func(i int) string { return fmt.Sprintf("baris %d", i) }, 1},
		{"past the rows of one message", 450, func(i int) string { return fmt.Sprintf("b%d", i) }, 3},
		{"long lines fill one message by its length", 40, func(i int) string { return fmt.Sprintf("%03d %s", i, strings.Repeat("x", 196)) }, 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			db := openDB(t)
			var qs []queuedAt
			for i := range c.lines {
				qs = append(qs, queuedAt{time.Duration(i) * 10 * time.Millisecond, relayLine(1, fmt.Sprint("m", i), c.line(i))})
				if i == c.lines/2 {
					qs = append(qs, queuedAt{time.Duration(i) * 10 * time.Millisecond, relayLine(2, "other", "anggota lain")})
				}
			}
			queue(t, db, t0, qs)
			s := &numbered{}
			deliverAll(t, db, Filter{Channel: channel.Telegram, Limit: 20, Burst: 5 * time.Second}, s, t0.Add(time.Minute))
			var mine []string
			others := 0
			for _, r := range s.sent {
				if utf8.RuneCountInString(r.Text) > 4096 {
					t.Errorf("a message of %d runes, above Telegram's 4096", utf8.RuneCountInString(r.Text))
				}
				if body, ok := strings.CutPrefix(r.Text, "#H1:\n"); ok {
					mine = append(mine, strings.Split(strings.TrimSuffix(body, "\n--"), "\n")...)
					continue
				}
				others++
			}
			if got := len(s.sent) - others; got != c.messages || others != 1 {
				t.Errorf("%d messages of the flood and %d of the other member, want %d and 1", got, others, c.messages)
			}
			if len(mine) != c.lines {
				t.Fatalf("%d lines arrived, want %d", len(mine), c.lines)
			}
			for i, l := range mine {
				if l != c.line(i) {
					t.Fatalf("line %d is %q, want %q", i, l, c.line(i))
				}
			}
		})
	}
}
