package whatsapp

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"testing"
)

func TestWALogger(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	l := newWALogger(slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo})), "whatsmeow")
	sub := l.Sub("Client").Sub("Recv")
	sub.Debugf("frame %s", "<dropped/>")
	sub.Warnf("handler for %s failed", "ABC")

	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("want exactly one JSON line, got %q: %v", buf.String(), err)
	}
	if line["msg"] != "handler for ABC failed" || line["level"] != "WARN" || line["module"] != "whatsmeow/Client/Recv" {
		t.Errorf("logged %v", line)
	}
}
