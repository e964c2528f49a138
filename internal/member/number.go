package member

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// hyphens are the dashes a spreadsheet, a phone keyboard or a copy from a
// PDF puts where the office typed "-": KMM‐00007 with U+2010 looks the same
// to an officer as KMM-00007 and must be the same member.
var hyphens = strings.NewReplacer(
	"\u2010", "-", "\u2011", "-", "\u2012", "-", "\u2013", "-", "\u2014", "-", "\u2015", "-",
	"\u2212", "-", "\uFE58", "-", "\uFE63", "-", "\uFF0D", "-", "\u00AD", "",
)

// NormalNumber is a member number as kopbot compares it: Unicode NFKC (so
// full-width and compatibility forms fold), look-alike hyphens as "-", no
// spaces, upper case. Two numbers an officer cannot tell apart on screen
// normalise to the same string.
func NormalNumber(s string) string {
	s = hyphens.Replace(norm.NFKC.String(s))
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.In(r, unicode.Cf) {
			return -1
		}
		return r
	}, s)
	return strings.ToUpper(s)
}
