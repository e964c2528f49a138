package outbox_test

import (
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/outbox"
)

// TestBulkDays: each day at its own capacity, the last day in part.
func TestBulkDays(t *testing.T) {
	t.Parallel()
	from := time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)
	steady := func(time.Time) int { return 3000 }
	warming := func(d time.Time) int { return 200 * (1 + int(d.Sub(from).Hours()/24)) }
	for _, tc := range []struct {
		name   string
		n      int
		perDay func(time.Time) int
		want   float64
	}{
		{"nothing", 0, steady, 0},
		{"half a day", 1500, steady, 0.5},
		{"a day and a half", 4500, steady, 1.5},
		// 200 + 400 + 600, then 400 of the fourth day's 800.
		{"warming", 1600, warming, 3.5},
		{"a channel carrying nothing counts one a day", 3, func(time.Time) int { return 0 }, 3},
	} {
		if got := outbox.BulkDays(tc.n, from, tc.perDay); got != tc.want {
			t.Errorf("%s: %d messages take %v days, want %v", tc.name, tc.n, got, tc.want)
		}
	}
}
