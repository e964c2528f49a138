package app_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestSimulationChecksProductLimits: a simulation holds the figures to the
// product's own limits, and only to them: a member's plafon and standing
// are for applying, not for seeing what a loan would cost.
func TestSimulationChecksProductLimits(t *testing.T) {
	t.Parallel()
	c := newCoop(t)
	tests := []struct {
		name  string
		lines []string
		want  string
	}{
		{"amount below the minimum", []string{"simulasi", "1", "100rb"}, "di bawah minimum produk"},
		{"amount above the maximum", []string{"simulasi", "1", "25 juta"}, "di atas maksimum produk"},
		{"tenor out of range", []string{"simulasi", "1", "5 juta", "36"}, "di luar batas produk"},
		{"above the plafon, within the product", []string{"simulasi", "1", "19 juta", "12"}, "Simulasi Pinjaman Usaha"},
		// 1,5% a month flat over 12 months costs 31,7% a year on the declining balance.
		{"a flat product states its effective rate", []string{"simulasi", "1", "12 juta", "12"}, "setara ±31,7% per tahun efektif"},
	}
	for i, tc := range tests {
		chat := fmt.Sprintf("%s-sim%d", siti, i)
		var last []string
		for _, line := range tc.lines {
			last = c.sayIn(siti, chat, line)
		}
		if got := strings.Join(last, "\n"); !strings.Contains(got, tc.want) {
			t.Errorf("%s: the answer to %q says %q; want %q in it", tc.name, tc.lines[len(tc.lines)-1], got, tc.want)
		}
	}
}
