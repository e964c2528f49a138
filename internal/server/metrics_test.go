package server

import (
	"context"
	"errors"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/kopmem/kopbot/internal/channel"
)

type plainSender struct{ err error }

func (p plainSender) Send(context.Context, channel.Reply) error { return p.err }

type tracingSender struct {
	plainSender
	id string
}

func (t tracingSender) SendTraced(context.Context, channel.Reply) (string, error) { return t.id, t.err }

// The metrics wrapper must keep what the wrapped sender can do: a Tracer
// stays a Tracer (its platform ids reach the outbox), a plain Sender stays
// plain, and both are counted.
func TestCountSendsKeepsTheTracer(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	tests := []struct {
		name       string
		s          channel.Sender
		wantTracer bool
		wantID     string
		out, fail  float64
	}{
		{"tracer", tracingSender{id: "42"}, true, "42", 1, 0},
		{"failing tracer", tracingSender{plainSender: plainSender{err: boom}}, true, "", 0, 1},
		{"plain sender", plainSender{}, false, "", 1, 0},
		{"failing plain sender", plainSender{err: boom}, false, "", 0, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newMetrics(nil)
			s := countSends(tc.s, channel.Telegram, m)
			tr, isTracer := s.(channel.Tracer)
			if isTracer != tc.wantTracer {
				t.Fatalf("wrapped sender is a Tracer: %v, want %v", isTracer, tc.wantTracer)
			}
			var err error
			if isTracer {
				var id string
				id, err = tr.SendTraced(context.Background(), channel.Reply{Chat: "1", Text: "x"})
				if id != tc.wantID {
					t.Errorf("id = %q, want %q", id, tc.wantID)
				}
			} else {
				err = s.Send(context.Background(), channel.Reply{Chat: "1", Text: "x"})
			}
			if (err != nil) != (tc.fail > 0) {
				t.Errorf("err = %v", err)
			}
			if got := counter(t, m.out.WithLabelValues("telegram")); got != tc.out {
				t.Errorf("out = %v, want %v", got, tc.out)
			}
			if got := counter(t, m.sendFailed.WithLabelValues("telegram")); got != tc.fail {
				t.Errorf("failed = %v, want %v", got, tc.fail)
			}
		})
	}
}

func counter(t *testing.T, c prometheus.Counter) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}
