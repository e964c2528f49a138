package whatsapp

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/types/events"

	"github.com/kopmem/kopbot/internal/channel"
)

// alerts records OnAlert calls.
type alerts struct {
	mu    sync.Mutex
	kinds []string
}

func (r *alerts) on(_ context.Context, kind, detail string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.kinds = append(r.kinds, kind)
}

func (r *alerts) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.kinds)
}

func TestHaltingEvents(t *testing.T) {
	t.Parallel()
	tests := []struct {
		evt  any
		kind string
	}{
		{&events.LoggedOut{OnConnect: true, Reason: events.ConnectFailureLoggedOut}, AlertLoggedOut},
		{&events.StreamReplaced{}, AlertStreamReplaced},
		{&events.TemporaryBan{Code: events.TempBanSentToTooManyPeople, Expire: time.Hour}, AlertTemporaryBan},
		{&events.ClientOutdated{}, AlertClientOutdated},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			t.Parallel()
			rec := &alerts{}
			a, wa, _ := testAdapter(t, lidMap{}, Config{OnAlert: rec.on})
			deliver(a, &engine{}, &events.Connected{})

			if !deliver(a, &engine{}, tt.evt) {
				t.Error("event not acknowledged")
			}
			s := a.State()
			if !s.Halted || s.Connected || s.Reason != tt.kind || s.Detail == "" {
				t.Errorf("state %+v, want halted by %s with a detail", s, tt.kind)
			}
			if got := rec.got(); !slices.Equal(got, []string{tt.kind}) {
				t.Errorf("alerts %q, want one %s", got, tt.kind)
			}
			err := a.Send(context.Background(), channel.Reply{Chat: member, Text: "halo"})
			if !errors.Is(err, ErrHalted) {
				t.Errorf("send = %v, want ErrHalted", err)
			}
			if sentMsgs, _, _ := wa.snapshot(); len(sentMsgs) != 0 {
				t.Errorf("sent %+v while halted", sentMsgs)
			}
		})
	}
}

func TestHaltKeepsFirstReasonAndAlertsEach(t *testing.T) {
	t.Parallel()
	rec := &alerts{}
	a, _, _ := testAdapter(t, lidMap{}, Config{OnAlert: rec.on})
	deliver(a, &engine{}, &events.TemporaryBan{Code: events.TempBanBlockedByUsers})
	deliver(a, &engine{}, &events.LoggedOut{Reason: events.ConnectFailureLoggedOut})
	if got := rec.got(); !slices.Equal(got, []string{AlertTemporaryBan, AlertLoggedOut}) {
		t.Errorf("alerts %q, want one per event", got)
	}
	if s := a.State(); s.Reason != AlertTemporaryBan {
		t.Errorf("reason %q, want the first, %s", s.Reason, AlertTemporaryBan)
	}
}

func TestConnectionState(t *testing.T) {
	t.Parallel()
	rec := &alerts{}
	a, _, clk := testAdapter(t, lidMap{}, Config{OnAlert: rec.on})
	steps := []struct {
		evt       any
		connected bool
	}{
		{&events.Connected{}, true},
		{&events.Disconnected{}, false},
		{&events.Connected{}, true},
		{&events.KeepAliveTimeout{}, true},
	}
	for i, st := range steps {
		clk.Advance(time.Minute)
		deliver(a, &engine{}, st.evt)
		if s := a.State(); s.Connected != st.connected || s.Halted {
			t.Errorf("step %d (%T): state %+v, want connected %v", i, st.evt, s, st.connected)
		}
	}
	if s := a.State(); !s.Since.Equal(t0.Add(3 * time.Minute)) {
		t.Errorf("since %s, want the last change", s.Since)
	}
	if got := rec.got(); len(got) != 0 {
		t.Errorf("alerts %q for ordinary connection events", got)
	}
}
