package reminder

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/holiday"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/outbox"
)

// TestHolidays: a first installment due on Good Friday, on 1 May and on
// 1 June 2026 (1 June is a Monday after Waisak on the Sunday). Nothing goes
// on the holiday; the due-day reminder goes on the next sending day, worded
// as due on the holiday, and the H+1 "still unpaid" it collapses with never
// goes.
func TestHolidays(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		disbursed time.Time
		holiday   time.Time // the due date
		sentOn    time.Time // when the due-day reminder goes
	}{
		{"Good Friday", at(time.March, 3, 10, 0), at(time.April, 3, 8, 0), at(time.April, 4, 8, 0)},
		{"Labour Day", at(time.April, 1, 10, 0), at(time.May, 1, 8, 0), at(time.May, 2, 8, 0)},
		{"Pancasila", at(time.May, 1, 10, 0), at(time.June, 1, 8, 0), at(time.June, 2, 8, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := openDB(t)
			clk := clock.NewManual(tt.disbursed)
			cfg := testConfig()
			cfg.OffsetsWajib = nil
			cfg.Holidays = holiday.Indonesia()
			p, err := NewPlanner(db, bundle(t), clk, cfg)
			if err != nil {
				t.Fatal(err)
			}
			b := newBorrower(t, db, 1, tt.disbursed)
			due := installmentKey(b.loan.Ref, 1, 0)
			for day := tt.holiday.AddDate(0, 0, -4); !day.After(tt.holiday.AddDate(0, 0, 3)); day = day.AddDate(0, 0, 1) {
				before := len(outboxRows(t, db))
				clk.Set(day)
				if _, err := p.Plan(ctx); err != nil {
					t.Fatal(err)
				}
				rows := outboxRows(t, db)
				if day.Equal(tt.holiday) && len(rows) != before {
					t.Errorf("%s: %d messages queued on the holiday", day.Format(time.DateOnly), len(rows)-before)
				}
				if _, ok := rows[due]; ok != !day.Before(tt.sentOn) {
					t.Errorf("%s: due-day reminder queued = %v", day.Format(time.DateOnly), ok)
				}
			}
			rows := outboxRows(t, db)
			text := rows[due].text
			if !strings.Contains(text, tt.holiday.Format("02/01/2006")+"* (hari libur)") || strings.Contains(text, "hari ini") {
				t.Errorf("due-day reminder after the holiday reads:\n%s", text)
			}
			if _, ok := rows[installmentKey(b.loan.Ref, 1, 1)]; ok {
				t.Error("the H+1 \"belum lunas\" reminder went as well")
			}
			if _, ok := rows[summaryKey(time.Date(tt.holiday.Year(), tt.holiday.Month(), tt.holiday.Day(), 0, 0, 0, 0, time.UTC))]; ok {
				t.Error("a morning summary was queued on the holiday")
			}
		})
	}
}

// TestMondaySummaryCoversTheWeekend: Monday's morning summary counts the
// reminders sent on Saturday and the installments that fell due on Sunday,
// not only Sunday's sends and Monday's dues.
func TestMondaySummaryCoversTheWeekend(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	clk := clock.NewManual(at(time.November, 12, 10, 0))
	p := newPlanner(t, db, clk)
	newBorrower(t, db, 1, at(time.November, 12, 10, 0)) // due Saturday 12 December
	sunday := newBorrower(t, db, 2, at(time.November, 13, 10, 0))
	s := &multiSender{clk: clk, sent: map[string][]time.Time{}}
	for _, now := range []time.Time{at(time.December, 12, 8, 0), at(time.December, 14, 8, 0)} {
		clk.Set(now)
		if _, err := p.Plan(ctx); err != nil {
			t.Fatal(err)
		}
		for _, ch := range []channel.Name{channel.WhatsApp, channel.Telegram} {
			if _, err := outbox.Deliver(ctx, db, outbox.Filter{Channel: ch, Limit: 100, Vet: p.Vet}, s, clk.Now); err != nil {
				t.Fatal(err)
			}
		}
	}
	sum := outboxRows(t, db)[summaryKey(time.Date(2026, 12, 14, 0, 0, 0, 0, time.UTC))].text
	// Saturday's sends: borrower 1's due-day reminder and borrower 2's H-1
	// (the summary itself does not count).
	for _, part := range []string{"Jatuh tempo 13/12/2026 s.d. hari ini: 1 angsuran, " + money.Format(sunday.installmentTotal(t, db, 1), "id"),
		"Terlambat: 1 angsuran", "Pengingat sejak 12/12/2026: 2 terkirim, 0 gagal"} {
		if !strings.Contains(sum, part) {
			t.Errorf("Monday's summary lacks %q:\n%s", part, sum)
		}
	}
}
