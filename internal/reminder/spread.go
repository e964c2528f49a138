package reminder

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/outbox"
)

// Capacity says how many bulk messages channel ch carries on the calendar
// day day at its pace and daily cap (a fresh WhatsApp number's lower cap
// while it warms up), and whether the channel is paced at all: an unpaced
// channel (Telegram) carries a day's reminders at once.
type Capacity func(ch channel.Name, day time.Time) (perDay int, paced bool)

// found is what one selection of a day found, besides the messages: what
// the officers' summary reports and Plan spreads.
type found struct {
	// withheld are the members kept from a WhatsApp reminder for want of
	// consent, as officers read them ("A0012 Budi").
	withheld []string
	// paced are, per paced channel, the reminders to spread over the
	// window, in selection order.
	paced map[channel.Name][]queuedAt
}

// queuedAt is a reminder to be given its moment in the window.
type queuedAt struct {
	key, who string
	due      time.Time
}

func (f *found) add(pl Planned, paced func(channel.Name) bool) {
	switch {
	case pl.Kind == KindSummary:
	case pl.Withheld != "":
		f.withheld = append(f.withheld, pl.Number+" "+pl.Name)
	case paced(pl.To.Channel):
		if f.paced == nil {
			f.paced = map[channel.Name][]queuedAt{}
		}
		f.paced[pl.To.Channel] = append(f.paced[pl.To.Channel], queuedAt{key: pl.Key, who: pl.Number + " " + pl.Name, due: pl.Due})
	}
}

// slots gives each of qs (one paced channel's reminders of a day) its
// moment from from up to end, earliest due first, evenly apart, no closer
// than the channel's capacity allows; those whose moment falls at or after
// end (over capacity) slip: they are given end and expire unsent. qs is
// sorted in place.
func slots(qs []queuedAt, capacity int, from, end time.Time) (at []time.Time, slip []queuedAt) {
	slices.SortStableFunc(qs, func(a, b queuedAt) int { return a.due.Compare(b.due) })
	if len(qs) == 0 || !from.Before(end) {
		return nil, qs
	}
	step := end.Sub(from) / time.Duration(max(min(len(qs), capacity), 1))
	at = make([]time.Time, len(qs))
	for i := range qs {
		at[i] = from.Add(time.Duration(i) * step)
		if i >= capacity || !at[i].Before(end) {
			at[i] = end
			slip = append(slip, qs[i])
		}
	}
	return at, slip
}

// Slip is who a paced channel will not remind on a day: the day's capacity
// is short, so the reminders due latest wait for none that day.
type Slip struct {
	Channel channel.Name
	// Count is the day's reminders on the channel, Capacity how many of
	// them it carries.
	Count, Capacity int
	// Who are those that slip, as officers read them ("A0012 Budi"),
	// the latest due last; none when all go.
	Who []string
}

// slips is, per paced channel of f (in name order), who of the day's
// reminders the capacity left from now to the window's end does not carry.
func (p *Planner) slips(day, now time.Time, f *found) []Slip {
	from := later(now, p.cfg.at(day, p.cfg.WindowStart))
	end := p.cfg.at(day, p.cfg.WindowEnd)
	var out []Slip
	for _, ch := range slices.Sorted(maps.Keys(f.paced)) {
		qs := f.paced[ch]
		s := Slip{Channel: ch, Count: len(qs), Capacity: p.capacityLeft(ch, day, from, end)}
		_, slip := slots(qs, s.Capacity, from, end)
		for _, q := range slip {
			s.Who = append(s.Who, q.who)
		}
		out = append(out, s)
	}
	return out
}

// Slipping is the morning summary's list of who will not be reminded
// today (slips), as it stands now: the day's reminders as they were spread
// when the day's first plan ran (its summary was queued then), less those
// paid or stopped since; before that plan, what it would find. Nothing
// slips on a day without reminders.
func (p *Planner) Slipping(ctx context.Context) ([]Slip, error) {
	now := p.clk.Now()
	day := p.cfg.today(now)
	if !p.cfg.sendsOn(day) {
		return nil, nil
	}
	var out []Slip
	err := p.db.Read(ctx, func(tx *sql.Tx) error {
		planned := now
		var at string
		err := tx.QueryRowContext(ctx, `SELECT created_at FROM outbox WHERE key = ?`, summaryKey(day)).Scan(&at)
		switch {
		case err == nil:
			if planned, err = time.Parse(time.RFC3339Nano, at); err != nil {
				return fmt.Errorf("summary of %s queued at %q: %w", day.Format(time.DateOnly), at, err)
			}
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		f, err := p.each(ctx, newPrepared(tx), day, planned, noneQueued, func(Planned) error { return nil })
		if err != nil {
			return err
		}
		out = p.slips(day, planned, f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reminders slipping today: %w", err)
	}
	return out, nil
}

// capacityLeft is what ch carries of its day from from to end: the day's
// capacity in proportion to the part of the window left.
func (p *Planner) capacityLeft(ch channel.Name, day, from, end time.Time) int {
	perDay, _ := p.cfg.Capacity(ch, day)
	window := p.cfg.at(day, p.cfg.WindowEnd).Sub(p.cfg.at(day, p.cfg.WindowStart))
	return int(int64(perDay) * int64(end.Sub(from)) / int64(max(window, 1)))
}

// spread gives the reminders this run queued on paced channels their
// moments in what is left of the day's window (see slots).
func (p *Planner) spread(ctx context.Context, f *found, day, now time.Time) error {
	from := later(now, p.cfg.at(day, p.cfg.WindowStart))
	end := p.cfg.at(day, p.cfg.WindowEnd)
	for _, ch := range slices.Sorted(maps.Keys(f.paced)) {
		qs := f.paced[ch]
		at, _ := slots(qs, p.capacityLeft(ch, day, from, end), from, end)
		for lo := 0; lo < len(qs); lo += batchSize {
			hi := min(lo+batchSize, len(qs))
			err := p.db.Write(ctx, func(tx *sql.Tx) error {
				for i := lo; i < hi; i++ {
					if err := outbox.NotBefore(ctx, tx, qs[i].key, at[i]); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return fmt.Errorf("spread reminders on %s: %w", ch, err)
			}
		}
	}
	return nil
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
