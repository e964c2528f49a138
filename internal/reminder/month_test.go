package reminder

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/outbox"
)

// multiSender sends on every channel, recording the time of each send.
type multiSender struct {
	clk  clock.Clock
	sent map[string][]time.Time // text → when
}

func (s *multiSender) Send(_ context.Context, r channel.Reply) error {
	s.sent[r.Text] = append(s.sent[r.Text], s.clk.Now())
	return nil
}

// TestMonth walks December 2026 hour by hour with five borrowers whose first
// installment is due Monday 7 December (H-3 Friday 4th, H-1 on Sunday 6th,
// H+1 Tuesday 8th, H+7 Monday 14th) and simpanan wajib due Thursday 10th
// (H-3 Monday 7th, H+7 Thursday 17th). Every hour the planner runs and the
// outbox delivers with the planner's Vet, as kopbot serve does.
//
//	A1 pays nothing.
//	A2 pays the installment on 2 December and the wajib on 1 December.
//	A3 said STOP before the month and MULAI on 9 December at 10:00.
//	A4 pays the installment on 4 December, after the H-3 was queued and before it went.
//	A5 says STOP on 4 December, after the H-3 was queued and before it went.
func TestMonth(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	clk := clock.NewManual(at(time.November, 30, 0, 0))
	p := newPlanner(t, db, clk)
	disbursed := at(time.November, 7, 10, 0)
	var bs []borrower
	for n := 1; n <= 5; n++ {
		bs = append(bs, newBorrower(t, db, n, disbursed))
	}
	a1, a2, a3, a4, a5 := bs[0], bs[1], bs[2], bs[3], bs[4]
	write(t, db, func(q *sql.Tx) error { return OptOut(ctx, q, a3.ID, clk.Now()) })

	type event struct {
		afterPlan bool // between the planner's run and the delivery of that hour
		do        func()
	}
	events := map[time.Time]event{
		at(time.December, 1, 9, 0): {do: func() { payWajib(t, db, a2.Member, rp(50_000), at(time.December, 1, 9, 0)) }},
		at(time.December, 2, 9, 0): {do: func() { repay(t, db, a2, a2.installmentTotal(t, db, 1), at(time.December, 2, 9, 0)) }},
		at(time.December, 4, 8, 0): {afterPlan: true, do: func() {
			repay(t, db, a4, a4.installmentTotal(t, db, 1), at(time.December, 4, 8, 0))
			write(t, db, func(q *sql.Tx) error { return OptOut(ctx, q, a5.ID, clk.Now()) })
		}},
		at(time.December, 9, 10, 0): {do: func() {
			write(t, db, func(q *sql.Tx) error { return OptIn(ctx, q, a3.ID, clk.Now()) })
		}},
	}

	s := &multiSender{clk: clk, sent: map[string][]time.Time{}}
	for now := clk.Now(); now.Before(at(time.December, 31, 23, 59)); now = now.Add(time.Hour) {
		clk.Set(now)
		ev, ok := events[now]
		if ok && !ev.afterPlan {
			ev.do()
		}
		res, err := p.Plan(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !p.cfg.open(now) && res.Queued != 0 {
			t.Fatalf("%s: queued %d outside the window", now, res.Queued)
		}
		if again, err := p.Plan(ctx); err != nil || again.Queued != 0 {
			t.Fatalf("%s: planning again queued %d (%v): keys must make reminders once-only", now, again.Queued, err)
		}
		if ok && ev.afterPlan {
			ev.do()
		}
		for _, ch := range []channel.Name{channel.WhatsApp, channel.Telegram} {
			if _, err := outbox.Deliver(ctx, db, outbox.Filter{Channel: ch, Limit: 100, Vet: p.Vet}, s, clk.Now); err != nil {
				t.Fatal(err)
			}
		}
	}

	rows := outboxRows(t, db)
	inst := func(b borrower, off int) string { return installmentKey(b.loan.Ref, 1, off) }
	waj := func(b borrower) func(int) string {
		return func(off int) string { return wajibKey(b.Number, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), off) }
	}
	// Every reminder that went, and when (all at 08:00: the first run of its day).
	want := map[string]time.Time{
		inst(a1, -3): at(time.December, 4, 8, 0), inst(a1, 0): at(time.December, 7, 8, 0),
		inst(a1, 1): at(time.December, 8, 8, 0), inst(a1, 7): at(time.December, 14, 8, 0),
		inst(a3, 7): at(time.December, 14, 8, 0),
		// A1's wajib H-3 fell on the day of its installment's due-day
		// reminder: one reminder a member a day, the installment's.
		waj(a1)(0): at(time.December, 10, 8, 0), waj(a1)(7): at(time.December, 17, 8, 0),
		waj(a3)(0): at(time.December, 10, 8, 0), waj(a3)(7): at(time.December, 17, 8, 0),
		waj(a4)(-3): at(time.December, 7, 8, 0), waj(a4)(0): at(time.December, 10, 8, 0), waj(a4)(7): at(time.December, 17, 8, 0),
	}
	wantDropped := map[string]string{inst(a4, -3): DropPaid, inst(a5, -3): DropOptedOut}
	gotSent := map[string]time.Time{}
	summaries := 0
	for key, r := range rows {
		switch {
		case strings.HasPrefix(key, "rem:summary:"):
			summaries++
			if r.status != "sent" {
				t.Errorf("%s is %s", key, r.status)
			}
		case r.status == "sent":
			times := s.sent[r.text]
			if len(times) != 1 {
				t.Errorf("%s went %d times", key, len(times))
				continue
			}
			gotSent[key] = times[0]
		case r.status == "dropped":
			if wantDropped[key] != r.reason {
				t.Errorf("%s dropped for %q, want %q", key, r.reason, wantDropped[key])
			}
			delete(wantDropped, key)
		default:
			t.Errorf("%s left %s", key, r.status)
		}
	}
	for key, w := range want {
		if g, ok := gotSent[key]; !ok || !g.Equal(w) {
			t.Errorf("%s sent at %v, want %v", key, g, w)
		}
	}
	for _, key := range slices.Sorted(maps.Keys(gotSent)) {
		if _, ok := want[key]; !ok {
			t.Errorf("%s sent at %v, want never", key, gotSent[key])
		}
	}
	if len(wantDropped) > 0 {
		t.Errorf("not dropped: %v", wantDropped)
	}
	// Monday 30 November and December's 27 sending days: a summary each.
	if summaries != 28 {
		t.Errorf("%d morning summaries, want 28", summaries)
	}

	// The H+7 reminder states the denda accrued so far, factually.
	st, err := loan.LoanStatusOf(ctx, db.R, a1.loan.Ref, at(time.December, 14, 8, 0))
	if err != nil {
		t.Fatal(err)
	}
	h7 := rows[inst(a1, 7)].text
	for _, part := range []string{money.Format(st.Schedule[0].DendaDue(), "id"), "0,1% per hari", "masa tenggang 3 hari",
		money.Format(st.Schedule[0].Unpaid(), "id"), "07/12/2026", "Balas *STOP*"} {
		if !strings.Contains(h7, part) {
			t.Errorf("H+7 text lacks %q:\n%s", part, h7)
		}
	}
	if !st.Schedule[0].DendaDue().IsPositive() {
		t.Errorf("no denda accrued by H+7: %s", st.Schedule[0].DendaDue())
	}

	// The summary of Tuesday 8 December: nothing due that day, three loans
	// overdue (A1, A3, A5), and Monday's sends counted.
	sum := rows[summaryKey(time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC))].text
	sentMonday := 0
	for _, w := range gotSent {
		if w.Equal(at(time.December, 7, 8, 0)) {
			sentMonday++
		}
	}
	overdue := a1.installmentTotal(t, db, 1).Mul(rp(3))
	for _, part := range []string{"08/12/2026", "hari ini: 0 angsuran", "Terlambat: 3 angsuran, " + money.Format(overdue, "id"),
		fmt.Sprintf("%d terkirim, 0 gagal", sentMonday)} {
		if !strings.Contains(sum, part) {
			t.Errorf("summary lacks %q:\n%s", part, sum)
		}
	}
}
