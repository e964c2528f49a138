package server

import (
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/kopmem/kopbot/internal/announce"
	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/channel/whatsapp"
	"github.com/kopmem/kopbot/internal/config"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/store"
)

// Capacity is how many bulk messages each channel carries on a day within
// the sending window: one computation for the reminder planner (which
// spreads WhatsApp's day by it), /healthz (the backlog in days of it) and
// an announcement's preview (its estimate). In kopbot serve it is the
// running channels' own, a fresh WhatsApp number's warm-up included;
// channels are added as they start, while officers may already ask.
type Capacity struct {
	window time.Duration
	mu     sync.RWMutex
	perDay map[channel.Name]func(day time.Time) int
}

// NewCapacity is a capacity in cfg's sending window with no channel yet.
func NewCapacity(cfg config.Config) *Capacity { return newCapacity(app.BulkWindow(cfg)) }

func newCapacity(window time.Duration) *Capacity {
	return &Capacity{window: window, perDay: map[channel.Name]func(time.Time) int{}}
}

// Configure adds each enabled channel at its configured pace, for a
// process that runs none (the terminal). WhatsApp's warm-up counts from
// the first day the cooperative's latest number sent through kopbot serve,
// as q recorded it; none yet is a fresh number's first day.
func (c *Capacity) Configure(ctx context.Context, cfg config.Config, q store.Queryer) error {
	if cfg.Telegram.Enabled {
		c.telegram(cfg)
	}
	if cfg.WhatsApp.Enabled {
		first, err := outbox.LatestFirstUse(ctx, q, channel.WhatsApp)
		if err != nil {
			return err
		}
		p := whatsapp.NewPacer(whatsAppPacing(cfg), cfg.Location(), nil)
		if !first.IsZero() {
			p.FirstUsed(first)
		}
		c.whatsapp(p)
	}
	return nil
}

// telegram adds Telegram at its overall rate.
func (c *Capacity) telegram(cfg config.Config) {
	perDay := int(cfg.Telegram.GlobalRate * c.window.Seconds())
	c.add(channel.Telegram, func(time.Time) int { return perDay })
}

// whatsapp adds WhatsApp as p paces it: its daily cap (the warm-up's while
// the number is fresh) or its average gap, whichever binds first.
func (c *Capacity) whatsapp(p *whatsapp.Pacer) {
	c.add(channel.WhatsApp, func(day time.Time) int { return p.BulkPerDay(day, c.window) })
}

func (c *Capacity) add(ch channel.Name, perDay func(day time.Time) int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.perDay[ch] = perDay
}

// PerDay is how many bulk messages ch carries on the day of day; ok is
// false for a channel that is not running.
func (c *Capacity) PerDay(ch channel.Name, day time.Time) (n int, ok bool) {
	c.mu.RLock()
	f, ok := c.perDay[ch]
	c.mu.RUnlock()
	if !ok {
		return 0, false
	}
	return f(day), true
}

// Pace is announce.Capacity: PerDay in the sending window.
func (c *Capacity) Pace(ch channel.Name, day time.Time) (announce.Pace, bool) {
	n, ok := c.PerDay(ch, day)
	return announce.Pace{PerDay: n, Window: c.window}, ok
}

// channels are the channels with a capacity, in name order; none for nil.
func (c *Capacity) channels() []channel.Name {
	if c == nil {
		return nil
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return slices.Sorted(maps.Keys(c.perDay))
}
