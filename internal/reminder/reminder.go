// Package reminder tells members, unasked, that an installment or the
// month's simpanan wajib is coming due or is late, and gives the officers a
// morning summary. A Planner run every few minutes queues each reminder in
// the outbox under a key that makes it go once ever; Vet looks at it again
// just before it goes, so a member who paid or said STOP meanwhile is not
// written to.
package reminder

import (
	"embed"
	"errors"
	"slices"
	"time"

	"github.com/kopmem/kopbot/internal/holiday"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Schema is the reminder tables' migrations. They refer to members, so open
// with member.Schema before it (and the ledger, savings, loan and outbox
// schemas the planner reads and writes).
var Schema = store.EmbeddedSchema("reminder", migrations, "migrations")

// Messages the lead's chat flow says when a member answers STOP or MULAI.
const (
	MsgStopped = "reminder.stopped"
	MsgStarted = "reminder.started"
)

// TimeOfDay is a wall-clock time in the cooperative's zone.
type TimeOfDay struct{ Hour, Minute int }

// Config is when and what to remind.
type Config struct {
	// OffsetsInstallment and OffsetsWajib are days relative to the due
	// date: -3 is H-3, 0 the due day, 7 is H+7.
	OffsetsInstallment []int
	OffsetsWajib       []int
	// Reminders go out from WindowStart up to, not including, WindowEnd,
	// local time, on Days.
	WindowStart, WindowEnd TimeOfDay
	Days                   []time.Weekday
	// Holidays are days no collection reminder goes on, whatever Days say.
	Holidays holiday.Calendar
	// WajibAmount is the monthly simpanan wajib, due on WajibDueDay (1–28).
	WajibAmount decimal.Decimal
	WajibDueDay int
	// Location is the cooperative's zone; due dates and the window are read in it.
	Location *time.Location
	// OfficerGroup receives the morning summary; no chat means no summary.
	OfficerGroup member.Address
	// Capacity, when set, says which channels pace bulk and how much they
	// carry a day: their reminders are spread over the window, and the
	// summary tells the officers who will not get one today when the day
	// asks for more. Nil: every channel sends at once.
	Capacity Capacity
}

// ErrConfig is returned by NewPlanner for settings it cannot work with.
var ErrConfig = errors.New("invalid reminder settings")

func (c Config) validate() error {
	minutes := func(t TimeOfDay) int { return t.Hour*60 + t.Minute }
	switch {
	case c.Location == nil:
		return errors.New("no time zone")
	case len(c.Days) == 0:
		return errors.New("no day to send on")
	case minutes(c.WindowStart) >= minutes(c.WindowEnd) || c.WindowStart.Hour < 0 || c.WindowEnd.Hour > 24:
		return errors.New("window must start before it ends, within a day")
	case c.WajibDueDay < 1 || c.WajibDueDay > 28:
		return errors.New("wajib due day must be 1–28, a day every month has")
	case c.WajibAmount.IsNegative():
		return errors.New("negative wajib amount")
	}
	return nil
}

// Kind is what a reminder is about.
type Kind string

// The kinds of message the planner queues.
const (
	KindInstallment Kind = "angsuran"
	KindWajib       Kind = "wajib"
	KindSummary     Kind = "ringkasan"
)

// latestIn is the largest offset whose day (due + offset) falls from from
// to to, both included: when the planner missed days (a Sunday), only the
// most recent reminder goes, never H-1 and the due-day one together. The
// due day itself wins over the days after it: a due date on a Sunday or a
// holiday is announced as due on the next sending day, not as late.
func latestIn(offsets []int, due, from, to time.Time) (int, bool) {
	best, ok := 0, false
	for _, off := range offsets {
		d := due.AddDate(0, 0, off)
		if d.Before(from) || d.After(to) {
			continue
		}
		if off == 0 {
			return 0, true
		}
		if !ok || off > best {
			best, ok = off, true
		}
	}
	return best, ok
}

// span is the earliest and latest due date whose reminders can fall from
// from to to, for offsets.
func span(offsets []int, from, to time.Time) (time.Time, time.Time) {
	return from.AddDate(0, 0, -slices.Max(offsets)), to.AddDate(0, 0, -slices.Min(offsets))
}

// dueRanges are the due dates whose reminders can fall from from to to, for
// offsets (at least one): disjoint ranges (both ends included) in date order. Reading only
// these, not the whole span between them, skips the installments no offset
// reaches, more than half of them with the usual offsets.
func dueRanges(offsets []int, from, to time.Time) [][2]time.Time {
	rs := make([][2]time.Time, 0, len(offsets))
	for _, off := range offsets {
		rs = append(rs, [2]time.Time{from.AddDate(0, 0, -off), to.AddDate(0, 0, -off)})
	}
	slices.SortFunc(rs, func(a, b [2]time.Time) int { return a[0].Compare(b[0]) })
	out := rs[:1]
	for _, r := range rs[1:] {
		last := &out[len(out)-1]
		if r[0].After(last[1].AddDate(0, 0, 1)) {
			out = append(out, r)
		} else if r[1].After(last[1]) {
			last[1] = r[1]
		}
	}
	return out
}
