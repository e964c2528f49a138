// Package markup renders kopbot's reply text, written in WhatsApp markup
// (*bold*, _italic_, ~strike~, ```monospace```), for the other channels, and
// keeps untrusted text from turning into markup.
//
// Markers pair the way WhatsApp pairs them: an opening marker sits at the
// start of the text or after a character that is not a letter or digit, with
// a non-space character right after it; the closing marker has a non-space
// character right before it and no letter or digit right after it; both are
// on the same line, and the nearest such closing marker wins. A span does not
// nest inside one of its own kind. So 2*3*4 and
// snake_case stay literal. A ``` block runs to the next ``` (across lines);
// its content is never formatted, and one newline right inside each marker is
// layout, not content. Unpaired markers are plain text.
package markup

import (
	"slices"
	"strings"
	"unicode"
)

// node is text, a styled span (marker '*', '_' or '~' with children) or a
// monospace block (marker '`').
type node struct {
	marker   rune
	text     string
	children []node
}

const fence = "```"

// parse splits s into monospace blocks and inline-formatted text.
func parse(s string) []node {
	r := []rune(s)
	var out []node
	at := 0
	for _, b := range blocks(r, len(r)) {
		out = append(out, parseInline(r[at:b.open])...)
		out = append(out, node{marker: '`', text: blockContent(string(r[b.open+len(fence) : b.end-len(fence)]))})
		at = b.end
	}
	return append(out, parseInline(r[at:])...)
}

// span is a monospace block from its opening fence to just after its closing
// one, in rune offsets.
type span struct{ open, end int }

func isFence(r []rune, i int) bool {
	return i+len(fence) <= len(r) && r[i] == '`' && r[i+1] == '`' && r[i+2] == '`'
}

// blocks finds the monospace blocks of r that open before limit; Split asks
// only about the ones near its cut, which keeps it linear on long texts. A
// block needs some content, so six backticks in a row are literal.
func blocks(r []rune, limit int) []span {
	var out []span
	for i := 0; i < limit && i < len(r); {
		if !isFence(r, i) {
			i++
			continue
		}
		j := i + len(fence)
		for j < len(r) && !isFence(r, j) {
			j++
		}
		if j >= len(r) {
			return out // no closing fence, so no block opens later either
		}
		if j > i+len(fence) {
			out = append(out, span{i, j + len(fence)})
		}
		i = j + len(fence)
	}
	return out
}

// blockContent drops the newline that follows the opening fence and the one
// before the closing fence: they lay the block out on its own lines.
func blockContent(s string) string {
	s = strings.TrimPrefix(s, "\n")
	return strings.TrimSuffix(s, "\n")
}

func isMarker(r rune) bool { return r == '*' || r == '_' || r == '~' }

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func canOpen(r []rune, i int) bool {
	return (i == 0 || !isWord(r[i-1])) && i+1 < len(r) && !unicode.IsSpace(r[i+1])
}

func canClose(r []rune, j int) bool {
	return !unicode.IsSpace(r[j-1]) && (j+1 == len(r) || !isWord(r[j+1]))
}

// nextClosers maps each marker to, per position j, the first position at or
// after j on the same line where that marker can close, or -1. Built in one
// backward pass, it keeps parsing linear where scanning ahead from every
// unpaired marker would be quadratic on a long line of stars.
func nextClosers(r []rune) map[rune][]int {
	next := map[rune][]int{}
	for _, m := range []rune{'*', '_', '~'} {
		n := make([]int, len(r)+1)
		n[len(r)] = -1
		for j := len(r) - 1; j >= 0; j-- {
			switch {
			case r[j] == '\n':
				n[j] = -1
			case r[j] == m && j > 0 && canClose(r, j):
				n[j] = j
			default:
				n[j] = n[j+1]
			}
		}
		next[m] = n
	}
	return next
}

// parseInline pairs the markers of r. A marker already open in an enclosing
// span does not open again inside it, as in WhatsApp; that also bounds the
// nesting depth at three.
func parseInline(r []rune, open ...rune) []node {
	var out []node
	next := nextClosers(r)
	start := 0
	for i := 0; i+2 < len(r); i++ {
		if !isMarker(r[i]) || slices.Contains(open, r[i]) || !canOpen(r, i) {
			continue
		}
		j := next[r[i]][i+2]
		if j < 0 {
			continue
		}
		if start < i {
			out = append(out, node{text: string(r[start:i])})
		}
		out = append(out, node{marker: r[i], children: parseInline(r[i+1:j], append(slices.Clone(open), r[i])...)})
		i, start = j, j+1
	}
	if start < len(r) {
		out = append(out, node{text: string(r[start:])})
	}
	return out
}

// style says how one output format writes each kind of node.
type style struct {
	open, close map[rune]string
	// text prepares literal text (and block content) for the format.
	text func(string) string
}

func (st style) render(s string) string {
	var b strings.Builder
	st.write(&b, parse(s))
	return b.String()
}

func (st style) write(b *strings.Builder, nodes []node) {
	for _, n := range nodes {
		switch n.marker {
		case 0:
			b.WriteString(st.text(n.text))
		case '`':
			b.WriteString(st.open['`'])
			b.WriteString(st.text(n.text))
			b.WriteString(st.close['`'])
		default:
			b.WriteString(st.open[n.marker])
			st.write(b, n.children)
			b.WriteString(st.close[n.marker])
		}
	}
}

// sanitize drops control characters other than newline and tab: data such as
// a member's name must not be able to move the cursor or recolour a terminal.
func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r != '\n' && r != '\t' && unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}

var plain = style{text: sanitize}

// The ANSI codes switch off only their own attribute so nested spans work.
var ansi = style{
	open:  map[rune]string{'*': "\x1b[1m", '_': "\x1b[3m", '~': "\x1b[9m"},
	close: map[rune]string{'*': "\x1b[22m", '_': "\x1b[23m", '~': "\x1b[29m"},
	text:  sanitize,
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

var telegram = style{
	open:  map[rune]string{'*': "<b>", '_': "<i>", '~': "<s>", '`': "<pre>"},
	close: map[rune]string{'*': "</b>", '_': "</i>", '~': "</s>", '`': "</pre>"},
	text:  func(s string) string { return htmlEscaper.Replace(sanitize(s)) },
}

// Plain removes the markup, for a terminal that is not a TTY or a log.
func Plain(s string) string { return plain.render(s) }

// ANSI shows bold, italic and strike with terminal escape codes.
func ANSI(s string) string { return ansi.render(s) }

// TelegramHTML renders s for Telegram's HTML parse mode. Every piece of text
// is HTML-escaped, and only the tags produced here appear, so data that
// contains "<b>" or "&" shows literally and cannot break the message. The
// markup is parsed before escaping; since escaping touches no marker or
// letter, pairing is the same as on the escaped text.
func TelegramHTML(s string) string { return telegram.render(s) }

// lookalikes replace the marker characters in Escape.
var lookalikes = strings.NewReplacer(
	"*", "\u2217", // ∗ asterisk operator
	"_", "\u02cd", // ˍ modifier letter low macron
	"~", "\u223c", // ∼ tilde operator
	"`", "\u02cb", // ˋ modifier letter grave accent
)

// Escape makes untrusted text (a member's name, a memo) safe to put into a
// reply: no part of it can pair into formatting, whatever surrounds it.
//
// Markers are replaced with look-alike characters rather than separated with
// a zero-width space: WhatsApp's handling of invisible characters next to
// markers is undocumented and has changed between versions, while a
// different code point can never pair, in WhatsApp or in the renderers here.
// The cost is that a copied name carries ∗ instead of *; names and memos
// rarely hold these characters at all.
func Escape(s string) string { return lookalikes.Replace(s) }
