// Package redact keeps members' phone numbers out of kopbot's logs. Code
// logs a chat by its last four digits already (phone.Last4), but an error
// from a library (whatsmeow names the JID it failed on) or a wrapped error
// can still carry a whole number; the log handler kopbot installs passes
// every message and attribute through Text first.
package redact

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
)

// Text replaces every Indonesian phone number in s (62…, +62… or 0…, 9
// to 15 digits, mobile or landline, alone or inside a WhatsApp JID) by "…"
// and its last four digits, as phone.Last4 shows a chat. Other numbers
// (amounts, Telegram ids, transaction ids) are left as they are.
func Text(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i {
			b.WriteByte(s[i])
			i++
			continue
		}
		if run := s[i:j]; phoneLike(run) {
			b.WriteString("…" + run[len(run)-4:])
		} else {
			b.WriteString(run)
		}
		i = j
	}
	return b.String()
}

func phoneLike(digits string) bool {
	switch {
	case strings.HasPrefix(digits, "62"):
		return len(digits) >= 10 && len(digits) <= 15
	case strings.HasPrefix(digits, "0") && !strings.HasPrefix(digits, "00"):
		return len(digits) >= 9 && len(digits) <= 14
	}
	return false
}

// Handler wraps h so that nothing it writes holds a whole phone number:
// the message, every string attribute, and every error or Stringer
// attribute (as its text) go through Text.
func Handler(h slog.Handler) slog.Handler { return handler{h} }

type handler struct{ h slog.Handler }

func (r handler) Enabled(ctx context.Context, l slog.Level) bool { return r.h.Enabled(ctx, l) }

func (r handler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, Text(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(attr(a))
		return true
	})
	return r.h.Handle(ctx, out)
}

func (r handler) WithAttrs(as []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(as))
	for i, a := range as {
		clean[i] = attr(a)
	}
	return handler{r.h.WithAttrs(clean)}
}

func (r handler) WithGroup(name string) slog.Handler { return handler{r.h.WithGroup(name)} }

func attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Text(v.String()))
	case slog.KindGroup:
		group := v.Group()
		clean := make([]any, len(group))
		for i, g := range group {
			clean[i] = attr(g)
		}
		return slog.Group(a.Key, clean...)
	case slog.KindAny:
		switch x := v.Any().(type) {
		case error:
			return slog.String(a.Key, Text(x.Error()))
		case fmt.Stringer:
			return slog.String(a.Key, Text(x.String()))
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}
