// Package phone turns the phone numbers people type into the one form kopbot
// stores and matches on: E.164 digits without the '+', e.g. 6281234567890.
package phone

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

var (
	// ErrInvalid means the text is not a phone number that exists: wrong
	// length, an unknown prefix, letters, or nothing at all.
	ErrInvalid = errors.New("invalid phone number")
	// ErrNotMobile means the number exists but cannot hold a WhatsApp or
	// Telegram account (a fixed line, toll-free, premium…), so a member
	// registered with it could never chat. Kept apart from ErrInvalid so the
	// treasurer is told to ask for the member's HP rather than to fix a typo.
	ErrNotMobile = errors.New("not a mobile phone number")
)

// region is assumed when a number has no '+': members type 08… numbers.
const region = "ID"

// E.164 allows at most 15 digits; below 8 there is no mobile number anywhere
// we expect members to live, and a floor keeps typos of short codes out.
const (
	minDigits = 8
	maxDigits = 15
)

// Normalize returns s as E.164 digits without '+'. A number without '+' is
// read as Indonesian (0812…, 812…, 62812…); a foreign number needs '+' and
// its country code (+60 12-345 6789). Spaces, '-', '.', '/' and parentheses
// are ignored. Only MOBILE and FIXED_LINE_OR_MOBILE numbers are accepted
// (the latter is how countries like the US mark numbers that may be either);
// any other valid number fails with ErrNotMobile, anything else with
// ErrInvalid.
func Normalize(s string) (string, error) {
	cleaned, ok := clean(s)
	if !ok {
		return "", fmt.Errorf("phone %q: %w", s, ErrInvalid)
	}
	num, ok := fastParse(cleaned)
	if !ok {
		var err error
		if num, err = phonenumbers.Parse(cleaned, region); err != nil {
			return "", fmt.Errorf("phone %q: %w", s, ErrInvalid)
		}
	}
	// GetNumberType answers UNKNOWN exactly when IsValidNumber would answer
	// false, so asking once saves a second pass over the metadata patterns.
	switch phonenumbers.GetNumberType(num) {
	case phonenumbers.MOBILE, phonenumbers.FIXED_LINE_OR_MOBILE:
	case phonenumbers.UNKNOWN:
		return "", fmt.Errorf("phone %q: %w", s, ErrInvalid)
	default:
		return "", fmt.Errorf("phone %q: %w", s, ErrNotMobile)
	}
	out := strings.TrimPrefix(phonenumbers.Format(num, phonenumbers.E164), "+")
	if len(out) < minDigits || len(out) > maxDigits {
		return "", fmt.Errorf("phone %q: %w", s, ErrInvalid)
	}
	return out, nil
}

// clean keeps the digits and a leading '+', and refuses anything else that
// phonenumbers would otherwise be lenient about: it maps letters to digits
// (0812-FLOWERS) and drops extensions ("ext 12"), both of which would store
// a number the member did not type.
func clean(s string) (string, bool) {
	s = strings.TrimSpace(s)
	var b strings.Builder
	b.Grow(len(s))
	if rest, ok := strings.CutPrefix(s, "+"); ok {
		b.WriteByte('+')
		s = rest
	}
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
			if digits > maxDigits+2 { // room for a trunk 0 after the country code: 62 0812…
				return "", false
			}
			b.WriteRune(r)
		case r == '-' || r == '.' || r == '/' || r == '(' || r == ')' || unicode.IsSpace(r):
		default:
			return "", false
		}
	}
	return b.String(), true
}

// fastParse builds the number for the two forms nearly every member types,
// 08… and +628…, without phonenumbers.Parse, whose extension and
// country-code regular expressions cost most of Normalize's time (a 10,000
// member import spent half its time there). Validity is still decided by the
// metadata in GetNumberType. Any other form, including the ambiguous 62… with
// no '+', goes to Parse; FuzzNormalize checks that both agree.
func fastParse(cleaned string) (*phonenumbers.PhoneNumber, bool) {
	var nsn string
	switch {
	case len(cleaned) > 1 && cleaned[0] == '0' && cleaned[1] != '0':
		nsn = cleaned[1:]
	case len(cleaned) > 3 && strings.HasPrefix(cleaned, "+62") && cleaned[3] != '0':
		nsn = cleaned[3:]
	default:
		return nil, false
	}
	n, err := strconv.ParseUint(nsn, 10, 64)
	if err != nil {
		return nil, false
	}
	cc := int32(62)
	return &phonenumbers.PhoneNumber{CountryCode: &cc, NationalNumber: &n}, true
}

// Last4 is a phone number as logs, error lines and summaries show it: the
// last four digits, enough for an officer to tell two numbers apart, not
// enough to call anyone. A WhatsApp address counts by its number.
func Last4(p string) string {
	p, _, _ = strings.Cut(p, "@")
	if r := []rune(p); len(r) > 4 {
		return "…" + string(r[len(r)-4:])
	}
	return "…"
}
