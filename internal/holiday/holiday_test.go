package holiday

import (
	"strings"
	"testing"
	"time"
)

func TestIndonesia(t *testing.T) {
	t.Parallel()
	c := Indonesia()
	wib := time.FixedZone("WIB", 7*3600)
	tests := []struct {
		date string
		want bool
	}{
		{"2026-04-03", true},  // Good Friday
		{"2026-05-01", true},  // Labour Day
		{"2026-06-01", true},  // Pancasila
		{"2026-03-20", true},  // cuti bersama Idul Fitri
		{"2026-03-24", true},  // cuti bersama Idul Fitri
		{"2026-12-24", true},  // cuti bersama Natal
		{"2027-03-26", true},  // Good Friday 2027
		{"2027-06-01", true},  // Pancasila 2027
		{"2026-04-02", false}, // Maundy Thursday is a working day
		{"2026-03-25", false}, // back to work after Lebaran
		{"2026-06-02", false},
	}
	for _, tt := range tests {
		d, _ := time.Parse(time.DateOnly, tt.date)
		if got := c.Is(d); got != tt.want {
			t.Errorf("%s: holiday = %v, want %v", tt.date, got, tt.want)
		}
		// Late at night in WIB is still that day, whatever UTC says.
		if got := c.Is(time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 0, 0, wib)); got != tt.want {
			t.Errorf("%s 23:59 WIB: holiday = %v, want %v", tt.date, got, tt.want)
		}
	}
	if n := c.Name(time.Date(2026, 4, 3, 0, 0, 0, 0, time.UTC)); n != "Wafat Yesus Kristus" {
		t.Errorf("3 April 2026 is %q", n)
	}
	count := map[int]int{}
	for d := range c.names {
		count[d.Year()]++
	}
	if count[2026] != 25 { // 17 libur nasional + 8 cuti bersama
		t.Errorf("2026 has %d days, want 25", count[2026])
	}
}

func TestWith(t *testing.T) {
	t.Parallel()
	local := time.Date(2026, 8, 18, 0, 0, 0, 0, time.UTC)
	c := Indonesia().With("config", local, time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC))
	if !c.Is(local) || c.Name(local) != "config" || c.Name(time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)) != "Hari Buruh Internasional" {
		t.Errorf("With: %q %q", c.Name(local), c.Name(time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)))
	}
	if Indonesia().Is(local) {
		t.Error("With changed the shipped calendar")
	}
	if (Calendar{}).Is(local) {
		t.Error("the zero calendar has a holiday")
	}
}

func TestParseRefuses(t *testing.T) {
	t.Parallel()
	for _, text := range []string{"2026-13-01 libur X", "2026-01-01 libur", "2026-01-01 merah X", "2026-01-01 libur A\n2026-01-01 cuti B"} {
		if _, err := parse(text); err == nil || !strings.Contains(err.Error(), "line") {
			t.Errorf("%q: err = %v", text, err)
		}
	}
}
