package markup

import (
	"slices"
	"unicode"
	"unicode/utf8"
)

// Split cuts s into parts of at most max runes, for channels that limit a
// message's length. Each cut is made at the last paragraph break that fits,
// else the last line break, else the last space, preferring a cut in the
// second half of the limit so no part is needlessly short; whitespace at a
// cut is dropped. A cut never falls inside a ``` block when cutting before it
// would do; a block longer than max is closed at a line break (or, lacking
// one, anywhere) and reopened in the next part so each part renders as
// monospace. A word longer than max is cut where it must, though not inside
// a combined emoji or before an accent. s is returned whole when it fits or
// max < 1; invalid UTF-8 in a longer s comes out as U+FFFD.
func Split(s string, max int) []string {
	if max < 1 || utf8.RuneCountInString(s) <= max {
		return []string{s}
	}
	var parts []string
	r := []rune(s)
	for len(r) > max {
		var part []rune
		part, r = cut(r, max)
		parts = append(parts, string(part))
	}
	if len(trimSpace(r, true)) > 0 {
		parts = append(parts, string(r))
	}
	return parts
}

// separators, most preferred first: paragraph, line, word.
var separators = []func(r []rune, k int) bool{
	func(r []rune, k int) bool { return r[k] == '\n' && k+1 < len(r) && r[k+1] == '\n' },
	func(r []rune, k int) bool { return r[k] == '\n' },
	func(r []rune, k int) bool { return unicode.IsSpace(r[k]) },
}

// cut returns the first part of r (at most max runes, not empty) and the
// rest. Each call makes the rest shorter than r, so Split ends.
func cut(r []rune, max int) (part, rest []rune) {
	spans := blocks(r, max)
	inside := func(k int) bool {
		return slices.ContainsFunc(spans, func(sp span) bool { return sp.open < k && k < sp.end })
	}
	for _, lo := range []int{max / 2, 1} {
		for _, sep := range separators {
			for k := max; k >= lo && k >= 1; k-- {
				if !sep(r, k) || inside(k) {
					continue
				}
				if part := trimSpace(r[:k], false); len(part) > 0 {
					return part, trimSpace(r[k:], true)
				}
			}
		}
	}
	for _, sp := range spans {
		if sp.open < max && max < sp.end {
			if part, rest, ok := cutBlock(r, max, sp); ok {
				return part, rest
			}
		}
	}
	k := max
	for k > 1 && !graphemeBoundary(r, k) {
		k--
	}
	if k == 1 && !graphemeBoundary(r, k) {
		k = max
	}
	return r[:k], r[k:]
}

// cutBlock cuts r where the block sp straddles the limit: before the block if
// anything precedes it, otherwise inside it, closing and reopening the fence.
func cutBlock(r []rune, max int, sp span) (part, rest []rune, ok bool) {
	if part := trimSpace(r[:sp.open], false); len(part) > 0 {
		return part, r[sp.open:], true
	}
	// The block starts the text. Its content runs from the rune after the
	// opening fence to the closing fence; a part keeps at least one content
	// rune so each cut consumes more than the fence it adds.
	first, closeAt := sp.open+len(fence)+1, sp.end-len(fence)
	for k := min(max-len(fence)-1, closeAt-1); k > first; k-- {
		if r[k] == '\n' {
			return concat(r[:k+1], []rune(fence)), concat([]rune(fence+"\n"), r[k+1:]), true
		}
	}
	k := min(max-len(fence), closeAt)
	for k > first && !graphemeBoundary(r, k) {
		k--
	}
	if k <= first {
		return nil, nil, false
	}
	return concat(r[:k], []rune(fence)), concat([]rune(fence), r[k:]), true
}

// graphemeBoundary reports whether a cut before r[k] keeps a visible
// character whole: not before a combining accent, a variation selector or
// skin tone, nor around a zero-width joiner inside an emoji sequence.
func graphemeBoundary(r []rune, k int) bool {
	c := r[k]
	joins := unicode.In(c, unicode.Mn, unicode.Me) ||
		c == '\u200d' || r[k-1] == '\u200d' ||
		(c >= '\ufe00' && c <= '\ufe0f') ||
		(c >= 0x1f3fb && c <= 0x1f3ff)
	return !joins
}

func trimSpace(r []rune, left bool) []rune {
	if left {
		for len(r) > 0 && unicode.IsSpace(r[0]) {
			r = r[1:]
		}
		return r
	}
	for len(r) > 0 && unicode.IsSpace(r[len(r)-1]) {
		r = r[:len(r)-1]
	}
	return r
}

func concat(a, b []rune) []rune {
	return append(append(make([]rune, 0, len(a)+len(b)), a...), b...)
}
