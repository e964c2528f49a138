package whatsapp

import (
	"context"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
)

// drain sends slots in order through p as fast as it allows, starting at
// start, and returns when each went.
func drain(p *Pacer, start time.Time, slots []channel.Slot) []time.Time {
	now := start
	out := make([]time.Time, len(slots))
	for i, s := range slots {
		at := p.Ready(s, now)
		if at.After(now) {
			now = at
		}
		p.Sent(context.Background(), s, now)
		out[i] = now
	}
	return out
}

func TestPacerBulkIsSlowJitteredAndCapped(t *testing.T) {
	t.Parallel()
	pacing := Pacing{MinInterval: 8 * time.Second, Jitter: 7 * time.Second, BulkDailyCap: 100}
	n := 0
	p := NewPacer(pacing, clock.Jakarta(), func(max time.Duration) time.Duration { n++; return max * time.Duration(n%8) / 7 })
	start := time.Date(2026, 12, 7, 8, 0, 0, 0, clock.Jakarta())
	slots := make([]channel.Slot, 101)
	for i := range slots {
		slots[i] = channel.Slot{Chat: string(rune('a'+i%26)) + "@s.whatsapp.net", Lane: channel.Bulk}
	}
	at := drain(p, start, slots)
	if !at[0].Equal(start) {
		t.Errorf("first went at %s, want at once", at[0])
	}
	jittered := false
	for i := 1; i < 100; i++ {
		gap := at[i].Sub(at[i-1])
		if gap < pacing.MinInterval || gap > pacing.MinInterval+pacing.Jitter {
			t.Fatalf("gap before bulk message %d is %s, want within [%s, %s]", i, gap, pacing.MinInterval, pacing.MinInterval+pacing.Jitter)
		}
		jittered = jittered || gap != at[1].Sub(at[0])
	}
	if !jittered {
		t.Error("every gap is the same: no jitter")
	}
	if want := time.Date(2026, 12, 8, 0, 0, 0, 0, clock.Jakarta()); !at[100].Equal(want) {
		t.Errorf("message 101 of a day capped at 100 went at %s, want %s", at[100], want)
	}
}

func TestPacerRepliesTypeBrieflyAndKeepTheChatGap(t *testing.T) {
	t.Parallel()
	p := NewPacer(Pacing{}, nil, func(time.Duration) time.Duration { return 0 })
	asked := time.Date(2026, 12, 7, 8, 5, 0, 0, clock.Jakarta())
	tests := []struct {
		name  string
		runes int
		want  time.Duration
	}{
		{"a short answer after a second", 0, time.Second},
		{"half the full length after two", typingFull / 2, 2 * time.Second},
		{"a long one after three", 5 * typingFull, 3 * time.Second},
	}
	for i, tc := range tests {
		s := channel.Slot{Chat: string(rune('a'+i)) + "@s.whatsapp.net", Lane: channel.Interactive, Queued: asked, Runes: tc.runes}
		if got := p.Ready(s, asked).Sub(asked); got != tc.want {
			t.Errorf("%s: after %s, want %s", tc.name, got, tc.want)
		}
	}
	// A flood of replies to one chat goes ChatGap apart, however many bulk
	// messages wait elsewhere.
	slots := []channel.Slot{{Chat: "z", Lane: channel.Bulk}}
	for range 5 {
		slots = append(slots, channel.Slot{Chat: "y", Lane: channel.Interactive, Queued: asked})
	}
	at := drain(p, asked, slots)
	if !at[1].Equal(asked.Add(time.Second)) {
		t.Errorf("the reply went %s after the question, want 1s though bulk just went", at[1].Sub(asked))
	}
	for i := 2; i < len(at); i++ {
		if gap := at[i].Sub(at[i-1]); gap != DefaultPacing.ChatGap {
			t.Errorf("gap %d in one chat %s, want %s", i, gap, DefaultPacing.ChatGap)
		}
	}
}

func TestPacerHoldKeepsOneChatQuiet(t *testing.T) {
	t.Parallel()
	p := NewPacer(Pacing{}, nil, nil)
	now := time.Date(2026, 12, 7, 8, 0, 0, 0, clock.Jakarta())
	p.Hold("a", now.Add(time.Hour))
	if got := p.Ready(channel.Slot{Chat: "a", Lane: channel.Notice}, now); !got.Equal(now.Add(time.Hour)) {
		t.Errorf("held chat ready at %s", got)
	}
	if got := p.Ready(channel.Slot{Chat: "b", Lane: channel.Notice}, now); !got.Equal(now) {
		t.Errorf("another chat ready at %s, want now", got)
	}
}

// TestBulkCapacityOfADay drives the default pacing through one sending
// window (08:00–20:00) with a reminder for each of 20,000 members: the
// number README states ("about 3,000 reminders a day") is what goes, and the
// rest needs days more.
func TestBulkCapacityOfADay(t *testing.T) {
	t.Parallel()
	const members = 20_000
	rnd := rand.New(rand.NewPCG(7, 7))
	p := NewPacer(Pacing{}, clock.Jakarta(), func(max time.Duration) time.Duration { return time.Duration(rnd.Int64N(int64(max) + 1)) })
	start := time.Date(2026, 12, 7, 8, 0, 0, 0, clock.Jakarta())
	end := start.Add(12 * time.Hour)
	now, sent := start, 0
	for i := range members {
		s := channel.Slot{Chat: strconv.Itoa(i), Lane: channel.Bulk}
		at := p.Ready(s, now)
		if !at.Before(end) {
			break
		}
		now = at
		p.Sent(context.Background(), s, now)
		sent++
	}
	if want := p.BulkPerDay(start, 12*time.Hour); sent != want || sent != 3000 {
		t.Errorf("%d reminders in a day, BulkPerDay says %d, README says 3000", sent, want)
	}
	t.Logf("%d of %d members reminded on the day; %.1f days of capacity for all", sent, members, float64(members)/float64(sent))
}

// TestWarmUp: a fresh number's daily bulk cap starts low on its first day
// and rises evenly to the full cap over the warm-up days; a restart that
// tells the pacer what already went keeps the day's cap.
func TestWarmUp(t *testing.T) {
	t.Parallel()
	loc := clock.Jakarta()
	first := time.Date(2026, 12, 1, 15, 0, 0, 0, loc)
	day := func(n int) time.Time { return time.Date(2026, 12, 1+n, 9, 0, 0, 0, loc) }
	pacing := Pacing{MinInterval: time.Second, BulkDailyCap: 3000, WarmupStartCap: 200, WarmupDays: 14}
	for _, c := range []struct {
		name string
		at   time.Time
		want int
	}{
		{"first day", day(0), 200},
		{"second day", day(1), 400},
		{"day 8", day(7), 1600},
		{"last warm-up day", day(13), 2800},
		{"warm", day(14), 3000},
		{"long after", day(400), 3000},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := NewPacer(pacing, loc, func(time.Duration) time.Duration { return 0 })
			p.FirstUsed(first)
			if got := p.CapOn(c.at); got != c.want {
				t.Errorf("cap on %s = %d; want %d", c.at.Format(time.DateOnly), got, c.want)
			}
		})
	}
	// Unknown first use counts as today; no warm-up days means none.
	if got := NewPacer(pacing, loc, nil).CapOn(day(30)); got != 200 {
		t.Errorf("cap with no first use = %d; want the first day's 200", got)
	}
	if got := NewPacer(Pacing{BulkDailyCap: 3000}, loc, nil).CapOn(day(0)); got != 3000 {
		t.Errorf("cap without warm-up = %d; want 3000", got)
	}
	// On the second day, 400 go; a restart after 150 lets 250 more go.
	p := NewPacer(pacing, loc, func(time.Duration) time.Duration { return 0 })
	p.FirstUsed(first)
	p.SentToday(day(1), 150)
	slots := make([]channel.Slot, 260)
	for i := range slots {
		slots[i] = channel.Slot{Chat: strconv.Itoa(i), Lane: channel.Bulk}
	}
	at := drain(p, day(1), slots)
	if next := time.Date(2026, 12, 3, 0, 0, 0, 0, loc); at[249].After(next) || !at[250].Equal(next) {
		t.Errorf("after a restart at 150: message 250 at %v, 251 at %v; want the 251st to wait for %v", at[249], at[250], next)
	}
	if got := p.BulkPerDay(day(1), 12*time.Hour); got != 400 {
		t.Errorf("BulkPerDay on the second day = %d; want the warm-up cap 400", got)
	}
}

// TestTypingShownOncePerReply: a reply waiting out its typing pause shows
// "typing…" once; bulk and a reply due at once show nothing.
func TestTypingShownOncePerReply(t *testing.T) {
	t.Parallel()
	p := NewPacer(Pacing{}, clock.Jakarta(), nil)
	var shown []string
	p.onTyping = func(chat string) { shown = append(shown, chat) }
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, clock.Jakarta())
	reply := channel.Slot{Chat: "a", Lane: channel.Interactive, Queued: now, Runes: 400}
	for range 3 {
		p.Ready(reply, now.Add(time.Second))
	}
	p.Ready(channel.Slot{Chat: "b", Lane: channel.Bulk, Queued: now}, now)
	p.Ready(channel.Slot{Chat: "c", Lane: channel.Interactive, Queued: now.Add(-time.Minute)}, now)
	if !slices.Equal(shown, []string{"a"}) {
		t.Fatalf("typing shown in %v; want once in a", shown)
	}
	p.Sent(context.Background(), reply, now.Add(3*time.Second))
	next := channel.Slot{Chat: "a", Lane: channel.Interactive, Queued: now.Add(10 * time.Second)}
	p.Ready(next, now.Add(10*time.Second))
	if !slices.Equal(shown, []string{"a", "a"}) {
		t.Errorf("typing shown in %v; want again for the next reply", shown)
	}
}
