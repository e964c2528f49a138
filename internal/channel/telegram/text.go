package telegram

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/kopmem/kopbot/internal/markup"
)

// maxTextLen is Telegram's limit on one message: 4096 UTF-16 code units of
// visible text (tags do not count).
const maxTextLen = 4096

// splitText cuts text (WhatsApp markup, before rendering) into parts that
// fit one message each. Rendering only removes markers, so a part's visible
// text is never longer than the part. markup.Split counts runes while
// Telegram counts UTF-16 units, in which an emoji is two: a part that is
// still too long is cut again with a proportionally smaller limit.
func splitText(text string) []string {
	var out []string
	for _, p := range markup.Split(strings.TrimSpace(text), maxTextLen) {
		out = append(out, fitUTF16(p)...)
	}
	return out
}

func fitUTF16(p string) []string {
	if p == "" {
		return nil
	}
	n := len(utf16.Encode([]rune(p)))
	if n <= maxTextLen {
		return []string{p}
	}
	var out []string
	for _, q := range markup.Split(p, utf8.RuneCountInString(p)*maxTextLen/n) {
		out = append(out, fitUTF16(q)...)
	}
	return out
}
