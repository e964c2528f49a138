package reminder

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/store"
)

// whatsAppCarries is a Capacity under which WhatsApp carries perDay bulk
// messages a day and Telegram is not paced.
func whatsAppCarries(perDay int) Capacity {
	return func(ch channel.Name, _ time.Time) (int, bool) {
		if ch == channel.WhatsApp {
			return perDay, true
		}
		return 0, false
	}
}

func pacedPlanner(t *testing.T, db *store.DB, clk clock.Clock, perDay int) *Planner {
	t.Helper()
	cfg := testConfig()
	cfg.Capacity = whatsAppCarries(perDay)
	p, err := NewPlanner(db, bundle(t), clk, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// nextTries reads when each pending reminder may go, by key.
func nextTries(t *testing.T, db *store.DB) map[string]time.Time {
	t.Helper()
	rows, err := db.R.Query(`SELECT key, coalesce(next_try, '') FROM outbox WHERE key LIKE 'rem:inst:%' AND status = 'pending'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var key, next string
		if err := rows.Scan(&key, &next); err != nil {
			t.Fatal(err)
		}
		var at time.Time
		if next != "" {
			if at, err = time.Parse(time.RFC3339Nano, next); err != nil {
				t.Fatal(err)
			}
		}
		out[key] = at
	}
	return out
}

func TestWhatsAppRemindersGoOnlyToWhoWroteFirst(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	clk := clock.NewManual(at(time.December, 4, 8, 0))
	p := newPlanner(t, db, clk)
	disbursed := at(time.November, 7, 10, 0) // due 7 December: H-3 on the 4th
	wrote := newBorrower(t, db, 1, disbursed)
	never := newBorrower(t, db, 2, disbursed)
	optin := newBorrower(t, db, 3, disbursed)
	telegram := newBorrower(t, db, 4, disbursed)
	write(t, db, func(q *sql.Tx) error {
		for _, id := range []int64{never.ID, optin.ID, telegram.ID} {
			if _, err := q.Exec(`DELETE FROM member_channels WHERE member_id = ?`, id); err != nil {
				return err
			}
		}
		if _, err := q.Exec(`INSERT INTO member_optin (member_id) VALUES (?)`, optin.ID); err != nil {
			return err
		}
		_, err := q.Exec(`INSERT INTO member_channels (member_id, channel, chat, last_seen) VALUES (?, 'telegram', 'tg-4', '2026-12-01T00:00:00.000000000Z')`, telegram.ID)
		return err
	})
	if _, err := p.Plan(ctx); err != nil {
		t.Fatal(err)
	}
	rows := outboxRows(t, db)
	for _, c := range []struct {
		b                    borrower
		channel, status, why string
	}{
		{wrote, "whatsapp", "pending", ""},
		{never, "whatsapp", "dropped", outbox.WithheldNoConsent},
		{optin, "whatsapp", "pending", ""},
		{telegram, "telegram", "pending", ""},
	} {
		r := rows[installmentKey(c.b.loan.Ref, 1, -3)]
		if r.channel != c.channel || r.status != c.status || r.reason != c.why {
			t.Errorf("%s: %s %s %q; want %s %s %q", c.b.Number, r.channel, r.status, r.reason, c.channel, c.status, c.why)
		}
	}
	summary := rows[summaryKey(date(clk.Now()))].text
	if !strings.Contains(summary, "1 pengingat tidak dikirim lewat WhatsApp") || !strings.Contains(summary, ": A0002 Anggota 2") {
		t.Errorf("summary does not list the member kept from WhatsApp:\n%s", summary)
	}
	rec := &recorder{}
	if _, err := outbox.Deliver(ctx, db, outbox.Filter{Channel: channel.WhatsApp, Limit: 10, Vet: p.Vet}, rec, clk.Now); err != nil {
		t.Fatal(err)
	}
	for _, r := range rec.sent {
		if r.Chat == never.Phone+"@s.whatsapp.net" {
			t.Errorf("a reminder went to %s, who never wrote", never.Number)
		}
	}
	if len(rec.sent) != 2 {
		t.Errorf("sent %d on WhatsApp; want 2 (who wrote, who opted in)", len(rec.sent))
	}
}

// TestSpreadEarliestDueFirst: the day's WhatsApp reminders are given
// moments across the window, the longest overdue first; what the day's
// capacity cannot carry slips, and the summary says who.
func TestSpreadEarliestDueFirst(t *testing.T) {
	t.Parallel()
	// On Friday 4 December: H+7, H+1, H, H-1 and H-3 of five loans.
	disbursed := []time.Time{at(time.October, 27, 10, 0), at(time.November, 3, 10, 0), at(time.November, 4, 10, 0),
		at(time.November, 5, 10, 0), at(time.November, 7, 10, 0)}
	offsets := []int{7, 1, 0, -1, -3}
	for _, c := range []struct {
		name    string
		perDay  int
		planAt  time.Time
		first   time.Time     // the most overdue's moment
		step    time.Duration // between two moments
		slipped []string
	}{
		{"room for all: the whole window", 100, at(time.December, 4, 8, 0), at(time.December, 4, 8, 0), 12 * time.Hour / 5, nil},
		{"room for three: two slip", 3, at(time.December, 4, 8, 0), at(time.December, 4, 8, 0), 4 * time.Hour, []string{"A0004", "A0005"}},
		{"planned at 14:00: what is left of the window", 100, at(time.December, 4, 14, 0), at(time.December, 4, 14, 0), 6 * time.Hour / 5, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := openDB(t)
			clk := clock.NewManual(c.planAt)
			p := pacedPlanner(t, db, clk, c.perDay)
			var bs []borrower
			for i, d := range disbursed {
				bs = append(bs, newBorrower(t, db, i+1, d))
			}
			if _, err := p.Plan(ctx); err != nil {
				t.Fatal(err)
			}
			next := nextTries(t, db)
			end := at(time.December, 4, 20, 0)
			for i, b := range bs {
				key := installmentKey(b.loan.Ref, 1, offsets[i])
				want := c.first.Add(time.Duration(i) * c.step)
				if slices.Contains(c.slipped, b.Number) {
					want = end
				}
				if got, ok := next[key]; !ok || !got.Equal(want) {
					t.Errorf("%s (%s): may go at %v; want %v", b.Number, key, got.In(wib), want.In(wib))
				}
			}
			summary := outboxRows(t, db)[summaryKey(date(c.planAt))].text
			if slipLine := "pengingat (jatuh tempo paling akhir) tidak terkirim hari ini"; len(c.slipped) == 0 {
				if strings.Contains(summary, slipLine) {
					t.Errorf("summary reports a slip where there is none:\n%s", summary)
				}
			} else if !strings.Contains(summary, "2 "+slipLine+": A0004 Anggota 4, A0005 Anggota 5") {
				t.Errorf("summary does not name who slips:\n%s", summary)
			}
			if !strings.Contains(summary, "Antrean pesan massal whatsapp: 5 pesan") {
				t.Errorf("summary lacks the bulk backlog:\n%s", summary)
			}
		})
	}
}

func TestSlots(t *testing.T) {
	t.Parallel()
	from := at(time.December, 4, 8, 0)
	end := at(time.December, 4, 20, 0)
	due := func(d int) time.Time { return time.Date(2026, time.December, d, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		name     string
		dues     []int
		capacity int
		from     time.Time
		want     []string // keys in moment order
		slip     int
	}{
		{"none", nil, 10, from, nil, 0},
		{"earliest due first, ties in selection order", []int{7, 1, 4, 1}, 10, from, []string{"1", "3", "2", "0"}, 0},
		{"over capacity", []int{7, 1, 4}, 2, from, []string{"1", "2", "0"}, 1},
		{"no capacity", []int{7}, 0, from, []string{"0"}, 1},
		{"window over", []int{7, 1}, 10, end, []string{"1", "0"}, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			var qs []queuedAt
			for i, d := range c.dues {
				qs = append(qs, queuedAt{key: string(rune('0' + i)), due: due(d)})
			}
			at, slip := slots(qs, c.capacity, c.from, end)
			var keys []string
			for i, q := range qs {
				keys = append(keys, q.key)
				if i > 0 && at != nil && at[i].Before(at[i-1]) {
					t.Errorf("moment %d (%v) before moment %d (%v)", i, at[i], i-1, at[i-1])
				}
			}
			if !slices.Equal(keys, c.want) || len(slip) != c.slip {
				t.Errorf("order %v, %d slip; want %v, %d", keys, len(slip), c.want, c.slip)
			}
		})
	}
}

// TestSlippingIsTheSummarysList: asked during the day, Slipping names who
// the morning summary named, as the day's plan spread them (a late start
// carries less), less whoever paid since; before the plan, what it will
// find; on a day without reminders, nobody.
func TestSlippingIsTheSummarysList(t *testing.T) {
	t.Parallel()
	// On Friday 4 December: H+7, H+1, H, H-1 and H-3 of five loans; the
	// day carries three.
	disbursed := []time.Time{at(time.October, 27, 10, 0), at(time.November, 3, 10, 0), at(time.November, 4, 10, 0),
		at(time.November, 5, 10, 0), at(time.November, 7, 10, 0)}
	for _, c := range []struct {
		name   string
		planAt time.Time // zero: not planned
		pays   int       // the borrower (1-based) who pays installment 1 after the plan; 0 none
		askAt  time.Time
		count  int
		who    []string
	}{
		{"before the day's plan", time.Time{}, 0, at(time.December, 4, 7, 0), 5, []string{"A0004 Anggota 4", "A0005 Anggota 5"}},
		{"the morning's list in the afternoon", at(time.December, 4, 8, 0), 0, at(time.December, 4, 15, 0), 5,
			[]string{"A0004 Anggota 4", "A0005 Anggota 5"}},
		{"planned at 14:00: a third of the day's room", at(time.December, 4, 14, 0), 0, at(time.December, 4, 16, 0), 5,
			[]string{"A0002 Anggota 2", "A0003 Anggota 3", "A0004 Anggota 4", "A0005 Anggota 5"}},
		{"who paid meanwhile is left out", at(time.December, 4, 8, 0), 5, at(time.December, 4, 11, 0), 4, []string{"A0004 Anggota 4"}},
		{"a Sunday", time.Time{}, 0, at(time.December, 6, 10, 0), 0, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := openDB(t)
			clk := clock.NewManual(c.askAt)
			var bs []borrower
			for i, d := range disbursed {
				bs = append(bs, newBorrower(t, db, i+1, d))
			}
			p := pacedPlanner(t, db, clk, 3)
			summary := ""
			if !c.planAt.IsZero() {
				clk.Set(c.planAt)
				if _, err := p.Plan(ctx); err != nil {
					t.Fatal(err)
				}
				summary = outboxRows(t, db)[summaryKey(date(c.planAt))].text
				clk.Set(c.askAt)
			}
			if c.pays > 0 {
				b := bs[c.pays-1]
				repay(t, db, b, b.installmentTotal(t, db, 1), date(c.askAt))
			}
			slips, err := p.Slipping(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if c.count == 0 {
				if len(slips) != 0 {
					t.Errorf("slips %+v; want none", slips)
				}
				return
			}
			if len(slips) != 1 || slips[0].Channel != channel.WhatsApp || slips[0].Count != c.count || !slices.Equal(slips[0].Who, c.who) {
				t.Fatalf("slips %+v; want whatsapp: %d reminders, %q slip", slips, c.count, c.who)
			}
			if c.pays == 0 && summary != "" && !strings.Contains(summary, strings.Join(c.who, ", ")) {
				t.Errorf("the summary names others than %q:\n%s", c.who, summary)
			}
		})
	}
}

// TestSummaryBacklogCountsTheWarmUp: the morning summary tells the bulk
// backlog in the days it takes at each day's own capacity, a warming
// number carrying more every day, not at the first day's.
func TestSummaryBacklogCountsTheWarmUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	planAt := at(time.December, 4, 8, 0)
	for i, d := range []time.Time{at(time.October, 27, 10, 0), at(time.November, 3, 10, 0), at(time.November, 4, 10, 0),
		at(time.November, 5, 10, 0), at(time.November, 7, 10, 0)} {
		newBorrower(t, db, i+1, d)
	}
	cfg := testConfig()
	// One on Friday 4 December, two on the 5th, three on the 6th.
	cfg.Capacity = func(ch channel.Name, day time.Time) (int, bool) {
		return day.In(wib).Day() - 3, ch == channel.WhatsApp
	}
	p, err := NewPlanner(db, bundle(t), clock.NewManual(planAt), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Plan(ctx); err != nil {
		t.Fatal(err)
	}
	// Five: one, then two, then two of the third day's three.
	summary := outboxRows(t, db)[summaryKey(date(planAt))].text
	if want := "5 pesan, kira-kira 2,7 hari kapasitas (1 pesan/hari)"; !strings.Contains(summary, want) {
		t.Errorf("summary lacks %q:\n%s", want, summary)
	}
}
