package reminder

import (
	"context"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/member"
)

// TestWajibPaidAheadCountsAhead: A1 pays Rp150.000 of wajib on 3 February
// (Rp50.000 a month): February to April are covered, so from February to
// April no wajib reminder goes to A1, and May's does. A2 pays nothing and
// is reminded every month.
func TestWajibPaidAheadCountsAhead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	newMembers(t, db, 2, channel.WhatsApp, func(i int) string { return "62812" + string(rune('0'+i)) })
	a1, err := member.ByNumber(ctx, db.R, "A0001")
	if err != nil {
		t.Fatal(err)
	}
	payWajib(t, db, a1, rp(150_000), time.Date(2026, 2, 3, 0, 0, 0, 0, time.UTC))
	p := newPlanner(t, db, clock.NewManual(at(time.February, 1, 8, 0)))
	reminded := map[time.Month]map[string]bool{}
	for d := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC); d.Month() <= time.May; d = d.AddDate(0, 0, 1) {
		pls, err := p.Preview(ctx, db.R, d)
		if err != nil {
			t.Fatal(err)
		}
		for _, pl := range pls {
			if pl.Kind != KindWajib {
				continue
			}
			month := pl.Due.Month()
			if reminded[month] == nil {
				reminded[month] = map[string]bool{}
			}
			reminded[month][pl.Number] = true
			if pl.Number == "A0002" && !pl.Amount.Equal(rp(50_000)) {
				t.Errorf("%s: A2 asked for %s", d.Format(time.DateOnly), pl.Amount)
			}
		}
	}
	for m := time.February; m <= time.May; m++ {
		if want := m == time.May; reminded[m]["A0001"] != want {
			t.Errorf("%s: A1 reminded = %v, want %v", m, reminded[m]["A0001"], want)
		}
		if !reminded[m]["A0002"] {
			t.Errorf("%s: A2 not reminded", m)
		}
	}
}
