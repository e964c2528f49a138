package settle

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	t.Parallel()
	today := time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC)
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"", today, true},
		{"hari ini", today, true},
		{"Besok", d(2026, 12, 21), true},
		{"lusa", d(2026, 12, 22), true},
		{"akhir bulan", d(2026, 12, 31), true},
		{"15/01/2027", d(2027, 1, 15), true},
		{"15-01-2027", d(2027, 1, 15), true},
		{"2027-01-15", d(2027, 1, 15), true},
		{"tanggal 15 januari 2027", d(2027, 1, 15), true},
		{"15 jan", d(2027, 1, 15), true}, // the next 15 January
		{"24/12", d(2026, 12, 24), true},
		{"20/12", today, true},
		{"31/02/2027", time.Time{}, false},
		{"29/02/2028", d(2028, 2, 29), true},
		{"15/13/2027", time.Time{}, false},
		{"kemarin dulu", time.Time{}, false},
		{"15/01/27", time.Time{}, false},
	} {
		got, ok := ParseDate(c.in, today)
		if ok != c.ok || (ok && !got.Equal(c.want)) {
			t.Errorf("ParseDate(%q) = %s, %v; want %s, %v", c.in, got.Format(time.DateOnly), ok, c.want.Format(time.DateOnly), c.ok)
		}
	}
}
