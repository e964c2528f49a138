package telegramtest

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"unicode/utf16"
)

// maxTextLen is Telegram's limit on a message's text, counted in UTF-16
// code units after entity parsing (tags do not count, &lt; counts as one).
const maxTextLen = 4096

// allowedTags are the tags Telegram's HTML parse mode accepts.
var allowedTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
	"s": true, "strike": true, "del": true, "code": true, "pre": true, "a": true,
	"tg-spoiler": true, "span": true, "blockquote": true,
}

var (
	tagRe    = regexp.MustCompile(`^<(/?)([a-z-]+)(\s[^<>]*)?>`)
	entityRe = regexp.MustCompile(`^&(lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);`)
)

// visibleHTML checks s the way Telegram parses parse_mode=HTML and returns
// the text a user would see, or the description Telegram answers with.
func visibleHTML(s string) (string, error) {
	var (
		out   strings.Builder
		stack []string
	)
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			m := tagRe.FindStringSubmatch(s[i:])
			if m == nil || !allowedTags[m[2]] {
				return "", fmt.Errorf("can't parse entities: unsupported start tag at byte offset %d", i)
			}
			if m[1] == "/" {
				if len(stack) == 0 || stack[len(stack)-1] != m[2] {
					return "", fmt.Errorf("can't parse entities: unexpected end tag at byte offset %d", i)
				}
				stack = stack[:len(stack)-1]
			} else {
				stack = append(stack, m[2])
			}
			i += len(m[0])
		case '&':
			m := entityRe.FindString(s[i:])
			if m == "" {
				return "", fmt.Errorf("can't parse entities: unsupported entity at byte offset %d", i)
			}
			out.WriteString(html.UnescapeString(m))
			i += len(m)
		default:
			out.WriteByte(s[i])
			i++
		}
	}
	if len(stack) > 0 {
		return "", fmt.Errorf("can't parse entities: can't find end tag corresponding to start tag %q", stack[len(stack)-1])
	}
	return out.String(), nil
}

func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }
