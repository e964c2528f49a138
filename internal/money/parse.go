package money

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// Reason says why Parse refused an input, so the chat can answer with the
// matching message from locales/money.*.toml instead of a generic error.
type Reason string

// Reasons Parse reports, in the order they are checked.
const (
	ReasonEmpty      Reason = "empty"
	ReasonNotANumber Reason = "not_a_number"
	// ReasonAmbiguous marks "1.500 juta"-like input that reads either as
	// 1,5 juta or as 1.500 juta; guessing would be off by a factor of 1000.
	ReasonAmbiguous Reason = "ambiguous"
	ReasonNegative  Reason = "negative"
	ReasonZero      Reason = "zero"
	ReasonFraction  Reason = "fraction"
	ReasonTooLarge  Reason = "too_large"
)

// MessageID names the locale message that explains r to a member. The ids are
// written out as literals because the locale test looks for each id in code.
func (r Reason) MessageID() string {
	switch r {
	case ReasonEmpty:
		return "amount.error.empty"
	case ReasonAmbiguous:
		return "amount.error.ambiguous"
	case ReasonNegative:
		return "amount.error.negative"
	case ReasonZero:
		return "amount.error.zero"
	case ReasonFraction:
		return "amount.error.fraction"
	case ReasonTooLarge:
		return "amount.error.too_large"
	default:
		// ReasonNotANumber, and the safe answer for a Reason this package
		// never produces.
		return "amount.error.not_a_number"
	}
}

// ParseError is the error Parse returns; callers pick the reply by Reason.
type ParseError struct {
	Input  string
	Reason Reason
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("money: cannot read %q as a Rupiah amount: %s", clip(e.Input), e.Reason)
}

// Unwrap ties the parse reasons to the sentinels ToRupiah uses, so callers
// can test "not whole" or "out of range" the same way for both.
func (e *ParseError) Unwrap() error {
	switch e.Reason {
	case ReasonFraction:
		return ErrNotWhole
	case ReasonTooLarge:
		return ErrOutOfRange
	}
	return nil
}

// maxInputLen bounds the work and the log line for junk input: the longest
// sensible amount, "Rp. 1.000.000.000.000.000,00", is 28 bytes.
const maxInputLen = 64

// maxDigits is how many significant digits fit an int64 with room to scale;
// Max must stay below 10^18 for the arithmetic in Parse to hold.
const maxDigits = 18

var pow10 = [...]uint64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9}

// units are the multiplier words members type after a number. "m" is miliar
// (10^9), as in "Rp 1,5 M" in Indonesian prices, never "million": members
// write millions as "jt"/"juta".
var units = [...]struct {
	word string
	exp  int
}{
	{"k", 3}, {"rb", 3}, {"ribu", 3},
	{"jt", 6}, {"juta", 6},
	{"m", 9}, {"miliar", 9}, {"milyar", 9},
}

// Parse reads a positive whole Rupiah amount the way members type it:
// "1500000", "Rp 1.500.000", "Rp. 1.500.000,-", "IDR 1,500,000", "1,5 juta",
// "1.5jt", "500rb", "500k", "2 M". Case and extra spaces do not matter.
//
// Layout: [sign] [currency] [sign] number [unit] [currency], where sign is
// "-" or "minus", currency is "Rp", "Rp.", "IDR" (or "rupiah" after the
// number), and unit is k/rb/ribu (10^3), jt/juta (10^6), m/miliar/milyar (10^9).
//
// Separators in the number, '.' and ',' alike:
//   - A group separator is followed by exactly 3 digits, and the first group
//     has 1-3 digits and no leading zero. All group separators are the same
//     character: "1.500.000", "1,500,000".
//   - With both characters present, the last one is the decimal separator and
//     may appear only once: "1.500.000,00", "1,500,000.00".
//   - A single separator followed by 1, 2 or 4+ digits is a decimal separator:
//     "1,5 juta", "1.25 jt", "1500,00".
//   - A single separator followed by exactly 3 digits after a valid first
//     group is a group separator without a unit ("1,500" and "1.500" are 1500),
//     and ReasonAmbiguous with a unit: "1.500 juta" may mean 1,5 juta or
//     1.500 juta, and a 1000-fold guess is not one to make with money.
//   - A trailing ",-" or ".-" ("Rp 1.500.000,-") means "no cents"; it is not
//     allowed with a unit or after a decimal part.
//
// The value after applying the unit must be whole: "1,5 juta" is 1500000,
// "1.500.000,00" is 1500000, but "1500,50" and "1,2345678 juta" are
// ReasonFraction. Errors are *ParseError; the reasons are checked in the
// order empty, not_a_number/ambiguous, zero, negative, fraction, too_large,
// so "-0" is zero and "minus" alone is not_a_number. Input longer than 64
// bytes is not_a_number without being read.
func Parse(s string) (decimal.Decimal, error) {
	fail := func(r Reason) (decimal.Decimal, error) {
		return decimal.Zero, &ParseError{Input: s, Reason: r}
	}
	if len(s) > maxInputLen {
		return fail(ReasonNotANumber)
	}
	rest := strings.TrimSpace(s)
	if rest == "" {
		return fail(ReasonEmpty)
	}
	rest, neg := cutSign(rest)
	rest = cutCurrency(rest)
	if !neg {
		rest, neg = cutSign(rest)
	}
	tok, dash, rest := cutNumber(rest)

	word, rest := cutWord(rest)
	exp, hasUnit := unitExp(word)
	if hasUnit {
		word, rest = cutWord(rest)
	}
	if (word != "" && !isCurrencyWord(word)) || strings.TrimSpace(rest) != "" {
		return fail(ReasonNotANumber)
	}

	intPart, frac, bad := splitNumber(tok, hasUnit)
	if bad != "" {
		return fail(bad)
	}
	if dash && (hasUnit || frac != "") {
		return fail(ReasonNotANumber)
	}

	var n uint64
	sig := 0
	for i := 0; i < len(intPart); i++ {
		c := intPart[i]
		if !isDigit(c) || (sig == 0 && c == '0') {
			continue
		}
		sig++
		if sig <= maxDigits {
			n = n*10 + uint64(c-'0')
		}
	}
	frac = strings.TrimRight(frac, "0")

	switch {
	case sig == 0 && frac == "":
		return fail(ReasonZero)
	case neg:
		return fail(ReasonNegative)
	case len(frac) > exp:
		return fail(ReasonFraction)
	case sig+exp > maxDigits:
		return fail(ReasonTooLarge)
	}
	var f uint64
	for i := 0; i < len(frac); i++ {
		f = f*10 + uint64(frac[i]-'0')
	}
	n = n*pow10[exp] + f*pow10[exp-len(frac)]

	d := decimal.NewFromInt(int64(n))
	if d.GreaterThan(Max) {
		return fail(ReasonTooLarge)
	}
	return d, nil
}

// splitNumber applies the separator rules in Parse's doc to tok, returning
// the integer part (group separators still in it) and the decimal digits.
func splitNumber(tok string, hasUnit bool) (intPart, frac string, bad Reason) {
	if tok == "" || !isDigit(tok[0]) || !isDigit(tok[len(tok)-1]) {
		return "", "", ReasonNotANumber
	}
	last := strings.LastIndexAny(tok, ".,")
	if last < 0 {
		return tok, "", ""
	}
	sep := tok[last]
	head, tail := tok[:last], tok[last+1:]
	dots, commas := strings.Count(tok, "."), strings.Count(tok, ",")
	switch {
	case dots > 0 && commas > 0:
		if strings.IndexByte(head, sep) >= 0 || !grouped(head, otherSep(sep)) {
			return "", "", ReasonNotANumber
		}
		return head, tail, ""
	case dots+commas > 1:
		if !grouped(tok, sep) {
			return "", "", ReasonNotANumber
		}
		return tok, "", ""
	case len(tail) == 3 && grouped(tok, sep):
		if hasUnit {
			return "", "", ReasonAmbiguous
		}
		return tok, "", ""
	default:
		return head, tail, ""
	}
}

// grouped reports whether s, made of digits and sep only, is digits grouped
// by thousands with sep, such as "1.500.000".
func grouped(s string, sep byte) bool {
	first := strings.IndexByte(s, sep)
	if first < 1 || first > 3 || s[0] == '0' {
		return false
	}
	for i := first; i < len(s); i += 4 {
		if s[i] != sep || len(s)-i < 4 {
			return false
		}
		for j := i + 1; j < i+4; j++ {
			if !isDigit(s[j]) {
				return false
			}
		}
	}
	return true
}

func otherSep(sep byte) byte {
	if sep == '.' {
		return ','
	}
	return '.'
}

// cutSign removes a leading minus: ASCII "-", the Unicode minus some phone
// keyboards insert, or the word "minus".
func cutSign(s string) (string, bool) {
	for _, p := range [...]string{"-", "\u2212", "minus"} {
		if hasPrefixFold(s, p) {
			return strings.TrimLeftFunc(s[len(p):], unicode.IsSpace), true
		}
	}
	return s, false
}

func cutCurrency(s string) string {
	switch {
	case hasPrefixFold(s, "idr"):
		s = s[3:]
	case hasPrefixFold(s, "rp"):
		s = strings.TrimPrefix(s[2:], ".")
	}
	return strings.TrimLeftFunc(s, unicode.IsSpace)
}

// cutNumber takes the digits and separators at the start of s, and a "-"
// right after a separator, the ",-" that marks a price without cents.
func cutNumber(s string) (tok string, dash bool, rest string) {
	i := 0
	for i < len(s) && (isDigit(s[i]) || s[i] == '.' || s[i] == ',') {
		i++
	}
	if i > 0 && i < len(s) && s[i] == '-' && !isDigit(s[i-1]) {
		return s[:i-1], true, s[i+1:]
	}
	return s[:i], false, s[i:]
}

// cutWord takes the ASCII letters after any spaces at the start of s.
func cutWord(s string) (word, rest string) {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	i := 0
	for i < len(s) && ('a' <= s[i]|0x20 && s[i]|0x20 <= 'z') {
		i++
	}
	return s[:i], s[i:]
}

func unitExp(word string) (int, bool) {
	for _, u := range units {
		if strings.EqualFold(word, u.word) {
			return u.exp, true
		}
	}
	return 0, false
}

func isCurrencyWord(word string) bool {
	return strings.EqualFold(word, "rupiah") || strings.EqualFold(word, "idr") || strings.EqualFold(word, "rp")
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// clip keeps an error message readable when the input was a pasted essay.
func clip(s string) string {
	if len(s) <= maxInputLen {
		return s
	}
	i := maxInputLen
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
