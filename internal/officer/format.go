package officer

import (
	"strings"
	"unicode/utf8"

	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/shopspring/decimal"
)

// DateLayout is how dates read in chat: day first, as Indonesians write them.
const DateLayout = "02/01/2006"

// amounts formats figures in lang, right-aligned to one width so they line
// up in a monospace block.
func amounts(lang string, figures ...decimal.Decimal) []string {
	out := make([]string, len(figures))
	width := 0
	for i, f := range figures {
		out[i] = money.Format(f, lang)
		width = max(width, utf8.RuneCountInString(out[i]))
	}
	for i := range out {
		out[i] = strings.Repeat(" ", width-utf8.RuneCountInString(out[i])) + out[i]
	}
	return out
}

// cell fits untrusted text (a member's name) into a table column: escaped,
// cut to width runes and padded to it.
func cell(s string, width int) string {
	r := []rune(markup.Escape(strings.TrimSpace(s)))
	if len(r) > width {
		r = append(r[:width-1], '…')
	}
	return string(r) + strings.Repeat(" ", width-len(r))
}
