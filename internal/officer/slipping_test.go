package officer_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/reminder"
)

// TestSlippingToday: /tertunda lists, in the group's language, who the
// day's WhatsApp capacity leaves without a reminder — the planner's own
// list — with the count; "tidak ada" when all go; and says where the list
// is known when no planner runs beside the desk (the terminal seat).
func TestSlippingToday(t *testing.T) {
	t.Parallel()
	// Thursday 10 December, 10:00: the wajib of December falls due today
	// for four members who never paid one; the window (08:00–20:00) has
	// ten of its twelve hours left.
	start := time.Date(2026, 12, 10, 10, 0, 0, 0, wib)
	for _, c := range []struct {
		name   string
		perDay int // 0: no planner
		from   string
		wants  []string
		nots   []string
	}{
		{"no planner at the terminal", 0, budi, []string{"hanya tersedia dari kopbot serve"}, nil},
		{"room for all", 100, budi, []string{"Pengingat tertunda hari ini: tidak ada"}, []string{"•"}},
		{"room for two of four", 3, budi, []string{"*Pengingat tertunda hari ini* (2)",
			"Kapasitas whatsapp hari ini 2 pesan untuk 4 pengingat; 2 pengingat (jatuh tempo paling akhir) tidak terkirim hari ini:",
			"• B-0003 Cici ∗Tiga∗\n• B-0004 Dodi"}, []string{"Ani", "Bayu"}},
		{"in the group's language whoever asks", 3, wati, []string{"*Pengingat tertunda hari ini* (2)"}, []string{"Reminders"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var planner *reminder.Planner
			e := buildEnv(t, nil, start, func(o *app.Options) {
				if c.perDay > 0 {
					o.Slipping = func(ctx context.Context) ([]reminder.Slip, error) { return planner.Slipping(ctx) }
				}
			})
			for i, name := range []string{"Ani", "Bayu", "Cici *Tiga*", "Dodi"} {
				e.newMember(fmt.Sprintf("B-%04d", i+1), name, fmt.Sprintf("6285700000%03d", i+1))
			}
			var err error
			planner, err = reminder.NewPlanner(e.a.DB, e.a.Msgs, e.clk, reminder.Config{
				OffsetsWajib: []int{0}, WindowStart: reminder.TimeOfDay{Hour: 8}, WindowEnd: reminder.TimeOfDay{Hour: 20},
				Days:        []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday},
				WajibAmount: rp(50_000), WajibDueDay: 10, Location: wib,
				Capacity: func(ch channel.Name, _ time.Time) (int, bool) { return c.perDay, ch == channel.WhatsApp },
			})
			if err != nil {
				t.Fatal(err)
			}
			got := one(t, "/tertunda", toGroup(e.say(c.from, group, "/tertunda"))).Text
			contains(t, "/tertunda", got, c.wants...)
			for _, not := range c.nots {
				if strings.Contains(got, not) {
					t.Errorf("/tertunda says %q:\n%s", not, got)
				}
			}
		})
	}
	e := newEnv(t)
	contains(t, "/bantuan", one(t, "/bantuan", toGroup(e.say(budi, group, "/bantuan"))).Text, "/tertunda")
}
