package reminder

import (
	"slices"
	"time"
)

// date is the calendar day of t in its own zone, as midnight UTC: the form
// the loan and ledger packages store dates in.
func date(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// today is now's calendar day in the cooperative's zone.
func (c Config) today(now time.Time) time.Time { return date(now.In(c.Location)) }

// sendsOn reports whether reminders may go on the calendar day d: one of
// Days and not a holiday.
func (c Config) sendsOn(d time.Time) bool {
	return slices.Contains(c.Days, d.Weekday()) && !c.Holidays.Is(d)
}

// at is the instant of time of day t on the calendar day d, local time.
func (c Config) at(d time.Time, t TimeOfDay) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), t.Hour, t.Minute, 0, 0, c.Location)
}

// open reports whether now is inside the sending window.
func (c Config) open(now time.Time) bool {
	d := c.today(now)
	return c.sendsOn(d) && !now.Before(c.at(d, c.WindowStart)) && now.Before(c.at(d, c.WindowEnd))
}

// NextOpen is now when the sending window is open, otherwise when it next
// opens: other messages nobody asked for (announcements) keep the same
// polite hours as reminders.
func (c Config) NextOpen(now time.Time) time.Time { return c.nextOpen(now) }

// nextOpen is now when the window is open, otherwise when it next opens.
func (c Config) nextOpen(now time.Time) time.Time {
	if c.open(now) {
		return now
	}
	d := c.today(now)
	// Lebaran with its cuti bersama keeps the window shut a week and more.
	for range maxClosedDays {
		if start := c.at(d, c.WindowStart); c.sendsOn(d) && start.After(now) {
			return start
		}
		d = d.AddDate(0, 0, 1)
	}
	panic("reminder: no sending day in two months") // validate refuses a Config without days
}

// previousDay is the last sending day before day: the planner covers the
// days after it, so what fell on a Sunday goes on Monday.
func (c Config) previousDay(day time.Time) time.Time {
	d := day.AddDate(0, 0, -1)
	for !c.sendsOn(d) {
		d = d.AddDate(0, 0, -1)
	}
	return d
}

// maxClosedDays bounds the search for a sending day: far more than any run
// of weekends and holidays.
const maxClosedDays = 62
