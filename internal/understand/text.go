package understand

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// emoji that carry an answer; every other symbol is dropped.
var emojiWords = map[rune]string{
	'👍': "ya", '👌': "ya", '✅': "ya", '🙆': "ya", '👏': "ya",
	'❌': "tidak", '🙅': "tidak", '👎': "tidak",
}

// Words splits what a member typed into the words it is read by: lower
// case, emoji and punctuation dropped (an answer-emoji becomes its word),
// a keycap 1️⃣ its digit, "/saldo" saldo, "5jt" and "12bln" two words,
// "hitung2" (reduplication) hitung and runs of a letter folded (saldooo,
// sipp). Decimal and thousands marks inside numbers are kept: "2,5jt",
// "3.000.000".
func Words(text string) []string {
	var b strings.Builder
	b.Grow(len(text) + 8)
	rs := []rune(strings.ToLower(text))
	for i, r := range rs {
		switch {
		case r == 0xFE0F || r == 0x20E3 || r == 0x200D:
			// keycap and joiner marks: "1️⃣" is the digit 1
		case emojiWords[r] != "":
			b.WriteString(" " + emojiWords[r] + " ")
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		case (r == ',' || r == '.') && i > 0 && i+1 < len(rs) && unicode.IsDigit(rs[i-1]) && unicode.IsDigit(rs[i+1]):
			b.WriteRune(r)
		case r == '\'' || r == '’' || r == '`':
			// assalamu'alaikum, hasn't: one word
		case r == '&':
			b.WriteString(" & ")
		default:
			b.WriteByte(' ')
		}
	}
	var out []string
	for _, f := range strings.Fields(b.String()) {
		out = appendSplit(out, f)
	}
	return out
}

// appendSplit adds a field, cut where letters and digits meet ("5jt",
// "12bln", "rp5jt"). A "2" right after letters marks reduplication
// ("hitung2", "kira2", "itung2an") and is dropped, the suffix after it kept.
func appendSplit(out []string, f string) []string {
	var pieces []string
	start := 0
	prevDigit := false
	for i, r := range f {
		d := unicode.IsDigit(r) || r == ',' || r == '.'
		if i > start && d != prevDigit {
			pieces = append(pieces, f[start:i])
			start = i
		}
		prevDigit = d
	}
	pieces = append(pieces, f[start:])
	for i := 0; i < len(pieces); i++ {
		p := pieces[i]
		if p == "2" && i > 0 && isLetters(pieces[i-1]) {
			if i+1 < len(pieces) && isLetters(pieces[i+1]) {
				out[len(out)-1] = fold(pieces[i-1] + pieces[i+1])
				i++
			}
			continue
		}
		if isLetters(p) {
			p = fold(p)
		}
		out = append(out, p)
	}
	return out
}

func isLetters(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// fold shortens runs of one letter: three or more anywhere (saldooo) and
// two at the end of a word (sipp, iyaa); "tabungan" and "saat" stay.
func fold(w string) string {
	if len(w) < 2 {
		return w
	}
	var b strings.Builder
	rs := []rune(w)
	for i := 0; i < len(rs); {
		j := i
		for j < len(rs) && rs[j] == rs[i] {
			j++
		}
		n := j - i
		if n >= 3 || (n == 2 && j == len(rs) && len(rs) > 2) {
			n = 1
		}
		for range n {
			b.WriteRune(rs[i])
		}
		i = j
	}
	return b.String()
}

// Near reports that a typed word is a typo of a known one: one edit for
// words of 4 letters or more, two from 8, with the first letter right
// (members rarely miss the first key).
func Near(typed, known string) bool {
	n := utf8.RuneCountInString(known)
	if n < 4 || typed == "" || known == "" || typed[0] != known[0] {
		return false
	}
	max := 1
	if n >= 8 {
		max = 2
	}
	return distance(typed, known, max) <= max
}

// distance is the Levenshtein distance of a and b, or max+1 once it is
// known to exceed max.
func distance(a, b string, max int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > max || -d > max {
		return max + 1
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > max {
			return max + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// suffixes and prefixes of Indonesian (and Jakarta/Sundanese) word forms,
// tried when a word is not in the vocabulary as typed: "cicilannya",
// "dibatalkan", "ngajuin", "pinjamanku".
var (
	suffixes = []string{"nya", "na", "ku", "mu", "lah", "kah", "pun", "in", "kan", "an", "i", "keun"}
	prefixes = []string{"di", "ke", "se", "me", "mem", "men", "meng", "meny", "pe", "pem", "pen", "peng", "ber", "be", "ter", "nge", "ng", "di"}
)

// stems lists the forms of w with affixes taken off, most likely first.
func stems(w string) []string {
	var out []string
	bases := []string{w}
	for _, s := range suffixes {
		if b, ok := strings.CutSuffix(w, s); ok && len(b) >= 3 {
			out = append(out, b)
			bases = append(bases, b)
			for _, s2 := range suffixes {
				if b2, ok := strings.CutSuffix(b, s2); ok && len(b2) >= 3 {
					out = append(out, b2)
					bases = append(bases, b2)
				}
			}
		}
	}
	for _, b := range bases {
		for _, p := range prefixes {
			if r, ok := strings.CutPrefix(b, p); ok && len(r) >= 3 {
				out = append(out, r)
			}
		}
	}
	return out
}
