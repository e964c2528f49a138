// Package clocktest gives tests their "now". CI runs the suite at several
// hostile instants by setting KOPBOT_NOW; without it a test gets a fixed,
// ordinary instant, so no test ever depends on when it runs.
package clocktest

import (
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/clock"
)

// Now is the instant clock.Default starts at in tests: KOPBOT_NOW when
// set, else clock.TestInstant.
func Now(t testing.TB) time.Time {
	t.Helper()
	now, _, err := clock.Start()
	if err != nil {
		t.Fatal(err)
	}
	return now
}
