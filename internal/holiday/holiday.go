// Package holiday knows the days on which the cooperative does not chase
// payments: Indonesian national holidays and cuti bersama, shipped as data
// (id.txt, from the SKB 3 Menteri lists), plus the days a cooperative adds
// in its config (a regional holiday, next year's cuti bersama).
package holiday

import (
	_ "embed"
	"fmt"
	"strings"
	"time"
)

//go:embed id.txt
var indonesia string

// Calendar is a set of calendar dates. The zero Calendar has no holidays.
type Calendar struct {
	names map[time.Time]string
}

// Indonesia is the shipped calendar.
func Indonesia() Calendar {
	c, err := parse(indonesia)
	if err != nil {
		panic(fmt.Sprintf("holiday: shipped calendar: %v", err)) // a test reads it
	}
	return c
}

func parse(text string) (Calendar, error) {
	c := Calendar{names: map[time.Time]string{}}
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.SplitN(line, " ", 3)
		if len(f) != 3 || (f[1] != "libur" && f[1] != "cuti" && f[1] != "perkiraan") {
			return Calendar{}, fmt.Errorf("line %d: want \"YYYY-MM-DD libur|cuti|perkiraan name\", got %q", n+1, line)
		}
		d, err := time.Parse(time.DateOnly, f[0])
		if err != nil {
			return Calendar{}, fmt.Errorf("line %d: %w", n+1, err)
		}
		if _, dup := c.names[d]; dup {
			return Calendar{}, fmt.Errorf("line %d: %s twice", n+1, f[0])
		}
		c.names[d] = f[2]
	}
	return c, nil
}

// With is c plus the given dates, named name.
func (c Calendar) With(name string, dates ...time.Time) Calendar {
	out := Calendar{names: make(map[time.Time]string, len(c.names)+len(dates))}
	for d, n := range c.names {
		out.names[d] = n
	}
	for _, d := range dates {
		if _, ok := out.names[day(d)]; !ok {
			out.names[day(d)] = name
		}
	}
	return out
}

// Is reports whether the calendar date of d (read in d's own zone) is a holiday.
func (c Calendar) Is(d time.Time) bool {
	_, ok := c.names[day(d)]
	return ok
}

// Name is the holiday on d's date, or "".
func (c Calendar) Name(d time.Time) string { return c.names[day(d)] }

func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
