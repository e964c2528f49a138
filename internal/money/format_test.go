package money

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		d      decimal.Decimal
		id, en string
	}{
		{decimal.Zero, "Rp0", "Rp0"},
		{decimal.NewFromInt(1), "Rp1", "Rp1"},
		{decimal.NewFromInt(999), "Rp999", "Rp999"},
		{decimal.NewFromInt(1000), "Rp1.000", "Rp1,000"},
		{decimal.NewFromInt(12_345), "Rp12.345", "Rp12,345"},
		{decimal.NewFromInt(123_456), "Rp123.456", "Rp123,456"},
		{decimal.NewFromInt(1_500_000), "Rp1.500.000", "Rp1,500,000"},
		{decimal.NewFromInt(-999), "-Rp999", "-Rp999"},
		{decimal.NewFromInt(-1_500_000), "-Rp1.500.000", "-Rp1,500,000"},
		{Max, "Rp1.000.000.000.000.000", "Rp1,000,000,000,000,000"},
		{Max.Neg(), "-Rp1.000.000.000.000.000", "-Rp1,000,000,000,000,000"},
		{decimal.New(15, 5), "Rp1.500.000", "Rp1,500,000"},
		{decimal.RequireFromString("1000.4"), "Rp1.000", "Rp1,000"},
		{decimal.RequireFromString("1000.5"), "Rp1.001", "Rp1,001"},
		{decimal.RequireFromString("999.5"), "Rp1.000", "Rp1,000"},
		{decimal.RequireFromString("-1000.5"), "-Rp1.001", "-Rp1,001"},
		{decimal.RequireFromString("-0.4"), "Rp0", "Rp0"},
		{decimal.RequireFromString("123456789012345678901234567890"),
			"Rp123.456.789.012.345.678.901.234.567.890", "Rp123,456,789,012,345,678,901,234,567,890"},
	}
	for _, tc := range tests {
		for _, c := range []struct{ lang, want string }{
			{"id", tc.id}, {"en", tc.en}, {"", tc.id}, {"jv", tc.id}, {"EN", tc.en}, {"en-US", tc.en}, {"en_GB", tc.en}, {"eng", tc.id},
		} {
			if got := Format(tc.d, c.lang); got != c.want {
				t.Errorf("Format(%s, %q) = %q, want %q", tc.d, c.lang, got, c.want)
			}
		}
	}
}

func TestFormatPlain(t *testing.T) {
	t.Parallel()
	tests := []struct {
		d    decimal.Decimal
		lang string
		want string
	}{
		{decimal.Zero, "id", "0"},
		{decimal.NewFromInt(1_500_000), "id", "1.500.000"},
		{decimal.NewFromInt(1_500_000), "en", "1,500,000"},
		{decimal.NewFromInt(-2500), "id", "-2.500"},
	}
	for _, tc := range tests {
		if got := FormatPlain(tc.d, tc.lang); got != tc.want {
			t.Errorf("FormatPlain(%s, %q) = %q, want %q", tc.d, tc.lang, got, tc.want)
		}
	}
}

func BenchmarkFormat(b *testing.B) {
	d := decimal.NewFromInt(1_500_000)
	b.ReportAllocs()
	for b.Loop() {
		_ = Format(d, "id")
	}
}

func TestPercent(t *testing.T) {
	t.Parallel()
	tests := []struct{ rate, lang, want string }{
		{"0.015", "id", "1,5%"},
		{"0.015", "en", "1.5%"},
		{"0.0125", "id", "1,25%"},
		{"0.001", "id", "0,1%"},
		{"0.02", "en", "2%"},
	}
	for _, tc := range tests {
		if got := Percent(decimal.RequireFromString(tc.rate), tc.lang); got != tc.want {
			t.Errorf("Percent(%s, %s) = %q, want %q", tc.rate, tc.lang, got, tc.want)
		}
	}
}
