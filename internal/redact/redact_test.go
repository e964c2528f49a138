package redact

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"6281234567890@s.whatsapp.net", "…7890@s.whatsapp.net"},
		{"send to +6281234567890: timeout", "send to +…7890: timeout"},
		{"no HP 081234567890.", "no HP …7890."},
		{"from 622150001234@s.whatsapp.net", "from …1234@s.whatsapp.net"}, // a landline
		{"kantor (021) 5550123 / 0215550123", "kantor (021) 5550123 / …0123"},
		{"setor Rp1500000 tx 42", "setor Rp1500000 tx 42"},               // an amount
		{"telegram chat -1001234567890", "telegram chat -1001234567890"}, // a group id
		{"96281234567890", "96281234567890"},                             // not a mobile number
		{"6281234", "6281234"},                                           // too short
		{"", ""},
	} {
		if got := Text(tt.in); got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

type jid string

func (j jid) String() string { return string(j) + "@s.whatsapp.net" }

// Whatever form a number reaches the handler in (message, string, error,
// Stringer, group, logger attribute), it is written redacted.
func TestHandler(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	log := slog.New(Handler(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	log.With("member", "6281111111111").WithGroup("g").Info("reply to 6282222222222 failed",
		"chat", "6283333333333@s.whatsapp.net",
		"err", fmt.Errorf("send: %w", errors.New("no session for 6284444444444")),
		"jid", jid("6285555555555"),
		slog.Group("inner", "phone", "086666666666"),
		"amount", 6287777777777)
	out := buf.String()
	for _, whole := range []string{"6281111111111", "6282222222222", "6283333333333", "6284444444444", "6285555555555", "086666666666"} {
		if strings.Contains(out, whole) {
			t.Errorf("log holds %s:\n%s", whole, out)
		}
	}
	for _, kept := range []string{"…1111", "…2222", "…3333", "…4444", "…5555", "…6666", "6287777777777"} {
		if !strings.Contains(out, kept) {
			t.Errorf("log lacks %s:\n%s", kept, out)
		}
	}
}
