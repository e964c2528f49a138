// Package clocktest gives tests their "now". CI runs the suite at several
// hostile instants by setting KOPBOT_NOW; without it a test gets a fixed,
// ordinary instant, so no test ever depends on when it runs.
package clocktest

import (
	"os"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/clock"
)

// Now is KOPBOT_NOW when set, else clock.TestInstant: the instant where
// clock.Default starts in tests.
func Now(t testing.TB) time.Time {
	t.Helper()
	s := os.Getenv(clock.EnvNow)
	if s == "" {
		s = clock.TestInstant
	}
	now, err := clock.ParseNow(s)
	if err != nil {
		t.Fatal(err)
	}
	return now
}
