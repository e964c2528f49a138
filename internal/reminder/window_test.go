package reminder

import (
	"context"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/outbox"
)

// TestPlanWindowEdges plans on the day an H-3 falls (Friday 4 December) at
// the edges of the window: nothing at 07:59 or 20:00, or on Sunday; what
// waited then goes at the next allowed moment.
func TestPlanWindowEdges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		now  time.Time
		want int // reminder and summary rows queued
	}{
		{"07:59 is before the window", at(time.December, 4, 7, 59), 0},
		{"08:00 opens it", at(time.December, 4, 8, 0), 2},
		{"19:59 is inside", at(time.December, 4, 19, 59), 2},
		{"20:00 closes it", at(time.December, 4, 20, 0), 0},
		{"Sunday is quiet", at(time.December, 6, 12, 0), 0},
		// H-1 fell on Sunday; Monday sends the due-day reminder only.
		{"Monday collapses Sunday's", at(time.December, 7, 8, 0), 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db := openDB(t)
			b := newBorrower(t, db, 1, at(time.November, 7, 10, 0))
			payWajib(t, db, b.Member, rp(50_000), at(time.December, 1, 9, 0))
			p := newPlanner(t, db, clock.NewManual(tc.now))
			res, err := p.Plan(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if res.Queued != tc.want {
				t.Fatalf("queued %d, want %d", res.Queued, tc.want)
			}
			rows := outboxRows(t, db)
			if _, ok := rows[installmentKey(b.loan.Ref, 1, -1)]; ok {
				t.Error("H-1 queued: only the latest offset due may go")
			}
		})
	}
}

func TestVetWindow(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	b := newBorrower(t, db, 1, at(time.November, 7, 10, 0))
	key := installmentKey(b.loan.Ref, 1, -3)
	tests := []struct {
		name string
		now  time.Time
		key  string
		want outbox.Verdict
	}{
		{"inside the window", at(time.December, 4, 19, 59), key, outbox.Verdict{Action: outbox.Send}},
		{"evening waits for the morning", at(time.December, 4, 20, 0), key,
			outbox.Verdict{Action: outbox.Hold, Until: at(time.December, 5, 8, 0)}},
		{"before dawn waits for 08:00", at(time.December, 5, 3, 0), key,
			outbox.Verdict{Action: outbox.Hold, Until: at(time.December, 5, 8, 0)}},
		{"Saturday night waits for Monday", at(time.December, 5, 21, 0), key,
			outbox.Verdict{Action: outbox.Hold, Until: at(time.December, 7, 8, 0)}},
		{"the summary waits too", at(time.December, 6, 9, 0), summaryKey(time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)),
			outbox.Verdict{Action: outbox.Hold, Until: at(time.December, 7, 8, 0)}},
		{"a receipt goes at night", at(time.December, 6, 3, 0), "", outbox.Verdict{Action: outbox.Send}},
		{"another keyed message goes", at(time.December, 6, 3, 0), "notice:7", outbox.Verdict{Action: outbox.Send}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := newPlanner(t, db, clock.NewManual(tc.now))
			got, err := p.Vet(context.Background(), outbox.Item{Reply: channel.Reply{Channel: channel.WhatsApp, Chat: "x"}, Key: tc.key})
			if err != nil {
				t.Fatal(err)
			}
			if got.Action != tc.want.Action || !got.Until.Equal(tc.want.Until) || got.Reason != tc.want.Reason {
				t.Fatalf("Vet = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestKeysRoundTrip(t *testing.T) {
	t.Parallel()
	dec := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		key  string
		want parsedKey
		ok   bool
	}{
		{installmentKey("PJ-2611-0001", 2, -3), parsedKey{kind: KindInstallment, ref: "PJ-2611-0001", no: 2, offset: -3}, true},
		{wajibKey("A0012", dec, 7), parsedKey{kind: KindWajib, ref: "A0012", month: dec, offset: 7}, true},
		{summaryKey(dec), parsedKey{kind: KindSummary}, true},
		{"rem:inst:PJ-1:x:0", parsedKey{}, false},
		{"rem:wajib:A1:2026-13:0", parsedKey{}, false},
		{"notice:rem:inst", parsedKey{}, false},
		{"", parsedKey{}, false},
	}
	for _, tc := range tests {
		got, ok := parseKey(tc.key)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("parseKey(%q) = %+v, %v; want %+v, %v", tc.key, got, ok, tc.want, tc.ok)
		}
	}
}

func TestNewPlannerRefusesBadSettings(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	tests := []struct {
		name   string
		change func(*Config)
	}{
		{"no zone", func(c *Config) { c.Location = nil }},
		{"no days", func(c *Config) { c.Days = nil }},
		{"window backwards", func(c *Config) { c.WindowEnd = TimeOfDay{Hour: 7} }},
		{"wajib on the 31st", func(c *Config) { c.WajibDueDay = 31 }},
	}
	for _, tc := range tests {
		cfg := testConfig()
		tc.change(&cfg)
		if _, err := NewPlanner(db, bundle(t), clock.System{}, cfg); err == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
}
