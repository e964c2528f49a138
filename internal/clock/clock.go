// Package clock lets time be injected: production reads the system clock,
// tests walk a manual one through days and quiet hours.
package clock

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"
)

// Clock tells the time.
type Clock interface {
	Now() time.Time
}

// System is the real clock.
type System struct{}

// Now returns the current time.
func (System) Now() time.Time { return time.Now() }

// Manual is a clock that only moves when told; safe for concurrent use.
type Manual struct {
	mu sync.Mutex
	t  time.Time
}

// NewManual returns a clock stopped at t.
func NewManual(t time.Time) *Manual { return &Manual{t: t} }

// Now returns the clock's time.
func (m *Manual) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.t
}

// Set moves the clock to t.
func (m *Manual) Set(t time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.t = t
}

// Advance moves the clock forward by d.
func (m *Manual) Advance(d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.t = m.t.Add(d)
}

// Jakarta is the cooperative's default zone. The fixed offset is the
// fallback for machines without tzdata (WIB has had no DST since 1964).
func Jakarta() *time.Location {
	if loc, err := time.LoadLocation("Asia/Jakarta"); err == nil {
		return loc
	}
	return time.FixedZone("WIB", 7*60*60)
}

// Sleep waits d or until ctx is done, whichever comes first; it returns
// ctx's error when cut short.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Offset is a clock that started at a chosen instant and runs on in real
// time from there. KOPBOT_NOW uses it: a replayed demo or bug report sees
// the dates it was written for, while timers, retries and pacing, which
// need time to pass, still work.
type Offset struct {
	delta time.Duration
}

// StartingAt returns a clock that reads t now and advances with the system clock.
func StartingAt(t time.Time) Offset { return Offset{delta: time.Until(t)} }

// Now returns the pinned start plus the real time elapsed since.
func (o Offset) Now() time.Time { return time.Now().Add(o.delta) }

// EnvNow is the variable that starts every kopbot clock at a chosen instant.
const EnvNow = "KOPBOT_NOW"

// ParseNow reads an EnvNow value: an RFC 3339 instant.
func ParseNow(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s=%q: want an RFC 3339 instant, e.g. 2026-12-01T09:30:00+07:00", EnvNow, s)
	}
	return t, nil
}

// TestInstant is where Default starts in a test binary without KOPBOT_NOW:
// a Tuesday morning in Jakarta, inside the reminder window. No test may
// depend on the real date or hour.
const TestInstant = "2026-03-10T10:00:00+07:00"

// Start is the instant Default starts at: KOPBOT_NOW, or TestInstant in a
// test binary without it. ok is false when the real clock rules.
func Start() (t time.Time, ok bool, err error) {
	s := os.Getenv(EnvNow)
	if s == "" && testing.Testing() {
		s = TestInstant
	}
	if s == "" {
		return time.Time{}, false, nil
	}
	t, err = ParseNow(s)
	return t, err == nil, err
}

// Default is the clock of a part built without one: the system clock, or
// one started at Start. CI runs the whole suite at hostile instants through
// it.
func Default() Clock {
	t, ok, err := Start()
	if err != nil {
		panic(err) // a test run with a broken matrix value must not pass on the real clock
	}
	if !ok {
		return System{}
	}
	return StartingAt(t)
}

// InZone reads Clock's time in Location. The cooperative's parts all read
// their time through one, so a calendar date (due dates, value dates,
// request numbers, reports) is the cooperative's, whatever the server's
// own zone.
type InZone struct {
	Clock    Clock
	Location *time.Location
}

// Now returns the time in the zone.
func (z InZone) Now() time.Time { return z.Clock.Now().In(z.Location) }
