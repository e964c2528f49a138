// Package period reads the month a member names after a command: "3",
// "maret", "mar 2025", "03/2025", "bulan lalu", in Indonesian or English.
package period

import (
	"strconv"
	"strings"
	"time"
)

// Month is one calendar month.
type Month struct {
	Year  int
	Month time.Month
}

// Of is the month a date falls in.
func Of(t time.Time) Month { return Month{t.Year(), t.Month()} }

// First is the month's first day (UTC midnight, as value dates are kept).
func (m Month) First() time.Time { return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC) }

// Last is the month's last day.
func (m Month) Last() time.Time { return m.First().AddDate(0, 1, -1) }

// Add moves n months.
func (m Month) Add(n int) Month { return Of(m.First().AddDate(0, n, 0)) }

// Before reports whether m comes before o.
func (m Month) Before(o Month) bool {
	return m.Year < o.Year || m.Year == o.Year && m.Month < o.Month
}

var names = map[string]time.Month{
	"januari": 1, "january": 1, "jan": 1,
	"februari": 2, "february": 2, "pebruari": 2, "feb": 2, "peb": 2,
	"maret": 3, "march": 3, "mar": 3,
	"april": 4, "apr": 4,
	"mei": 5, "may": 5,
	"juni": 6, "june": 6, "jun": 6,
	"juli": 7, "july": 7, "jul": 7,
	"agustus": 8, "august": 8, "agu": 8, "agt": 8, "aug": 8,
	"september": 9, "sep": 9, "sept": 9,
	"oktober": 10, "october": 10, "okt": 10, "oct": 10,
	"november": 11, "nopember": 11, "nov": 11, "nop": 11,
	"desember": 12, "december": 12, "des": 12, "dec": 12,
}

var relative = map[string]int{
	"bulan ini": 0, "this month": 0,
	"bulan lalu": -1, "bulan kemarin": -1, "bulan sebelumnya": -1, "last month": -1, "previous month": -1,
}

// Parse reads the month named in s as seen on today. A month without a year
// is the latest one not after today's month ("3" in February 2027 is March
// 2026): a member asks about what has happened. A month after today's is
// refused, as is anything unreadable.
func Parse(s string, today time.Time) (Month, bool) {
	now := Of(today)
	s = strings.ToLower(strings.Join(strings.Fields(strings.Trim(s, " .,!?")), " "))
	if n, ok := relative[s]; ok {
		return now.Add(n), true
	}
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '/' || r == '-' })
	var m Month
	switch len(fields) {
	case 1:
		mon, ok := month(fields[0])
		if !ok {
			return Month{}, false
		}
		m = Month{now.Year, mon}
		if now.Before(m) {
			m.Year--
		}
		return m, true
	case 2:
		a, b := fields[0], fields[1]
		if len(a) == 4 { // 2025-03
			a, b = b, a
		}
		mon, ok := month(a)
		y, err := strconv.Atoi(b)
		if !ok || err != nil || len(b) != 4 {
			return Month{}, false
		}
		m = Month{y, mon}
		if now.Before(m) {
			return Month{}, false
		}
		return m, true
	}
	return Month{}, false
}

func month(s string) (time.Month, bool) {
	if m, ok := names[s]; ok {
		return m, true
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 12 {
		return 0, false
	}
	return time.Month(n), true
}
