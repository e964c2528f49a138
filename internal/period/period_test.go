package period

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	t.Parallel()
	today := time.Date(2027, 2, 10, 0, 30, 0, 0, time.FixedZone("WIB", 7*3600))
	tests := []struct {
		in   string
		want Month
		ok   bool
	}{
		{"3", Month{2026, 3}, true},
		{"2", Month{2027, 2}, true},
		{"1", Month{2027, 1}, true},
		{"12", Month{2026, 12}, true},
		{"Maret", Month{2026, 3}, true},
		{"jan", Month{2027, 1}, true},
		{"bulan lalu", Month{2027, 1}, true},
		{"Bulan  Lalu.", Month{2027, 1}, true},
		{"last month", Month{2027, 1}, true},
		{"bulan ini", Month{2027, 2}, true},
		{"mei 2025", Month{2025, 5}, true},
		{"05/2025", Month{2025, 5}, true},
		{"2025-05", Month{2025, 5}, true},
		{"maret 2027", Month{}, false}, // not yet
		{"13", Month{}, false},
		{"0", Month{}, false},
		{"kemarin", Month{}, false},
		{"", Month{}, false},
		{"mei 25", Month{}, false},
		{"3 maret 2026", Month{}, false},
	}
	for _, tt := range tests {
		got, ok := Parse(tt.in, today)
		if ok != tt.ok || got != tt.want {
			t.Errorf("Parse(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	if m := (Month{2028, 2}); m.Last() != time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC) {
		t.Errorf("last of February 2028 = %s", m.Last())
	}
	if got := (Month{2026, 1}).Add(-1); got != (Month{2025, 12}) {
		t.Errorf("January 2026 - 1 = %v", got)
	}
}
