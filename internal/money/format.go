package money

import (
	"strings"

	"github.com/shopspring/decimal"
)

// Format writes d as members read it: "Rp1.500.000" for "id", "Rp1,500,000"
// for "en" (and "en-US" and the like), "-Rp1.500.000" when negative. Any
// other lang gets the Indonesian form, the cooperative's own.
//
// Amounts are whole Rupiah; a fraction, which only computed display values
// such as interest previews carry, is rounded half away from zero (half-up
// for positive amounts). Rounding here is for display only: stored money is
// never rounded implicitly (see ToRupiah).
func Format(d decimal.Decimal, lang string) string {
	return format(d, lang, "Rp")
}

// FormatPlain is Format without "Rp", for table columns under a Rupiah header.
func FormatPlain(d decimal.Decimal, lang string) string {
	return format(d, lang, "")
}

func format(d decimal.Decimal, lang, symbol string) string {
	r := d.Round(0)
	digits := r.Abs().String()
	sep := byte('.')
	if isEnglish(lang) {
		sep = ','
	}
	var b strings.Builder
	b.Grow(1 + len(symbol) + len(digits) + len(digits)/3)
	if r.Sign() < 0 {
		b.WriteByte('-')
	}
	b.WriteString(symbol)
	lead := len(digits) % 3
	if lead == 0 {
		lead = 3
	}
	b.WriteString(digits[:lead])
	for i := lead; i < len(digits); i += 3 {
		b.WriteByte(sep)
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

func isEnglish(lang string) bool {
	return strings.EqualFold(lang, "en") ||
		(len(lang) > 3 && strings.EqualFold(lang[:2], "en") && (lang[2] == '-' || lang[2] == '_'))
}

// Percent writes a fraction as people read a rate: 0.015 → "1,5%" (id) or
// "1.5%" (en).
func Percent(rate decimal.Decimal, lang string) string {
	s := rate.Shift(2).String()
	if !isEnglish(lang) {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s + "%"
}
