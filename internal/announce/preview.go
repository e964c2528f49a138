package announce

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/store"
)

// Pace is how much bulk one channel carries: at most PerDay messages in a
// sending window of Window each sending day (the pace's average gap or the
// daily cap, whichever binds first).
type Pace struct {
	PerDay int
	Window time.Duration
}

// Capacity says at what Pace channel ch carries bulk on the day of day:
// in kopbot serve the running channel's own, a fresh WhatsApp number's
// warm-up included. ok is false for a channel without a pace (the
// terminal), which takes no time.
type Capacity func(ch channel.Name, day time.Time) (p Pace, ok bool)

// Estimate is how long a channel's bulk pace takes to carry some messages:
// Within that long when they fit in one day's window, else Days sending
// days.
type Estimate struct {
	Within time.Duration
	Days   int
}

// Estimate says how long ch takes at c's pace to carry n messages from
// the day of from: within that day's window, or in sending days, each at
// its own capacity (a fresh number's warm-up rises day by day).
func (c Capacity) Estimate(ch channel.Name, from time.Time, n int) Estimate {
	first, ok := c(ch, from)
	if n <= 0 || !ok || first.PerDay <= 0 {
		return Estimate{}
	}
	days := outbox.BulkDays(n, from, func(day time.Time) int {
		p, _ := c(ch, day)
		return p.PerDay
	})
	if days <= 1 {
		return Estimate{Within: time.Duration(days * float64(first.Window))}
	}
	return Estimate{Days: int(math.Ceil(days))}
}

func (e Estimate) longer(o Estimate) bool {
	if e.Days != o.Days {
		return e.Days > o.Days
	}
	return e.Within > o.Within
}

// Preview is what Kirim would do now.
type Preview struct {
	// Copies is how many members it reaches; Skipped are left out because
	// they said STOP or STOP PENGUMUMAN.
	Copies, Skipped int
	// Estimate is how long until the last copy goes at the bulk pace of
	// its channel, behind the bulk already waiting there (reminders):
	// the slowest channel's.
	Estimate Estimate
}

// PreviewOf counts a's recipients as of asOf and estimates its delivery
// at each channel's pace that day (capacity; nil: none takes time).
func PreviewOf(ctx context.Context, q store.Queryer, a Announcement, asOf time.Time, capacity Capacity) (Preview, error) {
	ms, err := Recipients(ctx, q, a, asOf)
	if err != nil {
		return Preview{}, err
	}
	wanted, err := Wanting(ctx, q, ms)
	if err != nil {
		return Preview{}, fmt.Errorf("preview announcement %d: %w", a.ID, err)
	}
	at, err := member.ReachAll(ctx, q, wanted)
	if err != nil {
		return Preview{}, fmt.Errorf("preview announcement %d: %w", a.ID, err)
	}
	per := map[channel.Name]int{}
	for _, to := range at {
		per[to.Channel]++
	}
	p := Preview{Copies: len(wanted), Skipped: len(ms) - len(wanted)}
	for ch, n := range per {
		if capacity == nil {
			break
		}
		if _, ok := capacity(ch, asOf); !ok {
			continue
		}
		ahead, err := outbox.Waiting(ctx, q, ch)
		if err != nil {
			return Preview{}, fmt.Errorf("preview announcement %d: %w", a.ID, err)
		}
		if e := capacity.Estimate(ch, asOf, ahead.Bulk+n); e.longer(p.Estimate) {
			p.Estimate = e
		}
	}
	return p, nil
}
