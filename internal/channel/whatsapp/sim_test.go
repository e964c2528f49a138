package whatsapp

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
	kbmember "github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/reminder"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
)

// simDay is the wajib H-3 morning of the simulation: Monday 7 December
// 2026, wajib due on the 10th.
var simMembers = 2000

var simDay = time.Date(2026, 12, 7, 7, 55, 0, 0, clock.Jakarta())

// inbound is a member's (or a stranger's) message arriving at at.
type inbound struct {
	at     time.Time
	id     string
	sender string // JID
	text   string
}

// simSize is the cooperative and the day of a simulation: members on
// WhatsApp, chatting of them asking saldo three times from 08:05, the
// stranger's lines from 08:02, and the sending window from 08:00, whose
// end ends the simulated day. poll is how often the idle pump looks again
// (serve's 5 s); 0 means only when woken, as serve's pump also is: by the
// round's own next moment, an inbound message, the planner queuing.
type simSize struct {
	members, chatting, stranger int
	window, poll                time.Duration
}

// fullDay is the day the README reports: 2,000 members, 50 chatting, a
// stranger's 300 lines, reminders from 08:00 to 20:00.
var fullDay = simSize{members: simMembers, chatting: 50, stranger: 300, window: 12 * time.Hour, poll: 5 * time.Second}

// simFigures are what one simulated morning measured.
type simFigures struct {
	replyP50, replyP99 time.Duration // member message → its reply sent
	strangerP99        time.Duration
	strangerAnswers    int
	firstReminder      time.Time
	lastReminder       time.Time
	reminders          int // sent
	planned            int // queued for the day, sent or not
	bulkPerHour        float64
	minGap             time.Duration // shortest gap between two messages to one chat
}

// simulate runs a cooperative of members on WhatsApp through one wajib H-3
// morning on a manual clock: the real app (router, dialog, ledger), the
// real planner, outbox, pacer and adapter, driven as serve's pump drives
// them, the clock jumping to whatever comes next. s.chatting members ask
// "saldo" three times each, and one stranger sends s.stranger messages
// from 08:02.
func simulate(tb testing.TB, s simSize) simFigures {
	tb.Helper()
	ctx := context.Background()
	clk := clock.NewManual(simDay)
	kb, err := app.Open(ctx, filepath.Join(tb.TempDir(), "k.db"), app.Options{Clock: clk})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { kb.Close() })
	phone := func(i int) string { return fmt.Sprintf("62812%08d", i) }
	err = kb.DB.Write(ctx, func(tx *sql.Tx) error {
		for i := 1; i <= s.members; i++ {
			m, err := kbmember.Create(ctx, tx, kbmember.Member{Number: fmt.Sprintf("A%05d", i), Name: fmt.Sprintf("Anggota %d", i),
				Phone: phone(i), JoinedOn: time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)})
			if err != nil {
				return err
			}
			if err := kbmember.Touch(ctx, tx, m.ID, channel.WhatsApp, phone(i)+"@s.whatsapp.net", simDay.AddDate(0, -1, 0)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(1, 16))
	pacer := NewPacer(Pacing{}, clock.Jakarta(), func(max time.Duration) time.Duration { return time.Duration(rnd.Int64N(int64(max) + 1)) })
	// As serve wires it: WhatsApp's day is spread over the window by what
	// the pacer carries in it.
	opens := time.Date(2026, 12, 7, 8, 0, 0, 0, clock.Jakarta())
	end := opens.Add(s.window)
	planner, err := reminder.NewPlanner(kb.DB, kb.Msgs, clk, reminder.Config{
		OffsetsInstallment: []int{-3, -1, 0, 1, 7}, OffsetsWajib: []int{-3, 0, 7},
		WindowStart: reminder.TimeOfDay{Hour: 8}, WindowEnd: reminder.TimeOfDay{Hour: end.Hour(), Minute: end.Minute()},
		Days:        []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday},
		WajibAmount: decimal.NewFromInt(50_000), WajibDueDay: 10, Location: clock.Jakarta(),
		Capacity: func(ch channel.Name, day time.Time) (int, bool) {
			return pacer.BulkPerDay(day, s.window), ch == channel.WhatsApp
		},
	})
	if err != nil {
		tb.Fatal(err)
	}

	var events []inbound
	start := time.Date(2026, 12, 7, 8, 5, 0, 0, clock.Jakarta())
	for i := 1; i <= s.chatting; i++ {
		for k := range 3 {
			events = append(events, inbound{at: start.Add(time.Duration(i)*37*time.Second + time.Duration(k)*20*time.Minute),
				id: fmt.Sprintf("M%d-%d", i, k), sender: phone(i) + "@s.whatsapp.net", text: "saldo"})
		}
	}
	for k := range s.stranger {
		events = append(events, inbound{at: start.Add(-3*time.Minute + time.Duration(k)*2*time.Second),
			id: fmt.Sprintf("S%d", k), sender: "6289999999999@s.whatsapp.net", text: fmt.Sprintf("halo %d", k)})
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].at.Before(events[j].at) })

	d := &simDriver{tb: tb, clk: clk, events: events, planner: planner, lastPlan: simDay.Add(-time.Minute), planWakes: s.poll == 0}
	wa := &fakeWA{clock: clk}
	a := newAdapter(wa, lidMap{}, Config{Clock: clk}, quiet)
	h := d.handler(a, kb.Router)
	d.handle = h
	f := outbox.Filter{Channel: channel.WhatsApp, Limit: 50, Vet: planner.Vet, Pacer: pacer}
	d.advanceTo(simDay)
	for clk.Now().Before(end) {
		r, err := outbox.DeliverRound(ctx, kb.DB, f, a, clk.Now)
		if err != nil {
			tb.Fatal(err)
		}
		if r.Sent > 0 {
			continue
		}
		if d.done() && pendingCount(tb, kb.DB) == 0 {
			break
		}
		next := end
		if s.poll > 0 {
			next = clk.Now().Add(s.poll)
		}
		if !r.Next.IsZero() && r.Next.Before(next) {
			next = r.Next
		}
		d.advanceTo(next)
	}
	sentMsgs, _, _ := wa.snapshot()
	return figures(tb, kb.DB, sentMsgs, "6289999999999@s.whatsapp.net")
}

// simDriver moves the manual clock, handing in each inbound message when
// its time comes and running the planner every minute, as serve does.
type simDriver struct {
	tb       testing.TB
	clk      *clock.Manual
	events   []inbound
	planner  *reminder.Planner
	lastPlan time.Time
	handle   func(inbound)
	// planWakes: a plan that queued something ends advanceTo, as the
	// planner wakes serve's pump.
	planWakes bool
}

func (d *simDriver) handler(a *Adapter, h channel.Handler) func(inbound) {
	return func(ev inbound) {
		if !a.receive(context.Background(), h, dmAt(d.tb, ev)) {
			d.tb.Fatalf("message %s not handled", ev.id)
		}
	}
}

func (d *simDriver) done() bool { return len(d.events) == 0 }

// advanceTo moves the clock to t, handling what happens on the way; it
// stops early after an inbound message, which wakes the pump in serve.
func (d *simDriver) advanceTo(t time.Time) {
	for {
		next := d.lastPlan.Add(time.Minute)
		if len(d.events) > 0 && d.events[0].at.Before(next) {
			next = d.events[0].at
		}
		if next.After(t) {
			break
		}
		if next.After(d.clk.Now()) {
			d.clk.Set(next)
		}
		if len(d.events) > 0 && !d.events[0].at.After(next) {
			ev := d.events[0]
			d.events = d.events[1:]
			d.handle(ev)
			return
		}
		d.lastPlan = next
		res, err := d.planner.Plan(context.Background())
		if err != nil {
			d.tb.Fatal(err)
		}
		if d.planWakes && res.Queued > 0 {
			return
		}
	}
	if t.After(d.clk.Now()) {
		d.clk.Set(t)
	}
}

func dmAt(tb testing.TB, ev inbound) *events.Message {
	from, err := types.ParseJID(ev.sender)
	if err != nil {
		tb.Fatal(err)
	}
	evt := &events.Message{
		Info:       types.MessageInfo{MessageSource: types.MessageSource{Chat: from.ToNonAD(), Sender: from}, ID: ev.id, Timestamp: ev.at},
		RawMessage: text(ev.text),
	}
	return evt.UnwrapRaw()
}

func pendingCount(tb testing.TB, db *store.DB) int {
	var n int
	if err := db.R.QueryRow(`SELECT count(*) FROM outbox WHERE status = 'pending' AND channel = 'whatsapp'`).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}

// figures reads the outbox and what the fake received.
func figures(tb testing.TB, db *store.DB, sentMsgs []sent, stranger string) simFigures {
	tb.Helper()
	var f simFigures
	rows, err := db.R.Query(`SELECT chat, coalesce(key, ''), created_at, coalesce(sent_at, '') FROM outbox WHERE channel = 'whatsapp'`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var replies, strangers []time.Duration
	for rows.Next() {
		var chat, key, created, sentAt string
		if err := rows.Scan(&chat, &key, &created, &sentAt); err != nil {
			tb.Fatal(err)
		}
		c, _ := time.Parse(time.RFC3339Nano, created)
		s, err := time.Parse(time.RFC3339Nano, sentAt)
		if err != nil {
			s = simDay.Add(24 * time.Hour) // never sent: counted as a day late
		}
		switch {
		case key != "":
			f.planned++
			if sentAt == "" {
				continue
			}
			f.reminders++
			if f.firstReminder.IsZero() || s.Before(f.firstReminder) {
				f.firstReminder = s
			}
			if s.After(f.lastReminder) {
				f.lastReminder = s
			}
		case chat == stranger:
			strangers = append(strangers, s.Sub(c))
		default:
			replies = append(replies, s.Sub(c))
		}
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	f.replyP50, f.replyP99, f.strangerP99 = pct(replies, 0.5), pct(replies, 0.99), pct(strangers, 0.99)
	f.strangerAnswers = len(strangers)
	if span := f.lastReminder.Sub(f.firstReminder); span > 0 {
		f.bulkPerHour = float64(f.reminders) / span.Hours()
	}
	last := map[string]time.Time{}
	f.minGap = 24 * time.Hour
	for _, m := range sentMsgs {
		if prev, ok := last[m.to]; ok && m.at.Sub(prev) < f.minGap {
			f.minGap = m.at.Sub(prev)
		}
		last[m.to] = m.at
	}
	return f
}

func (f simFigures) report(tb testing.TB) {
	tb.Logf("reply p50 %v p99 %v; stranger p99 %v; %d of %d reminders sent, last at %s; bulk %.0f/hour; min gap per chat %v; %.1f days of capacity for the day",
		f.replyP50, f.replyP99, f.strangerP99, f.reminders, f.planned, f.lastReminder.In(clock.Jakarta()).Format("15:04"), f.bulkPerHour, f.minGap,
		f.daysOfCapacity())
}

// daysOfCapacity is how many days like this one the day's reminders need.
func (f simFigures) daysOfCapacity() float64 {
	return float64(f.planned) / float64(max(f.reminders, 1))
}

// TestSimulatedMorning is the delivery simulation: 2,000 members on a wajib
// H-3 morning, 50 of them chatting, one stranger flooding. On the single
// paced queue it replaced, a member waited p99 7h12m for an answer.
func TestSimulatedMorning(t *testing.T) {
	if testing.Short() || raceOn {
		t.Skip("simulates a whole day: minutes under the race detector")
	}
	f := simulate(t, fullDay)
	f.report(t)
	if f.replyP99 > 5*time.Second {
		t.Errorf("a member's answer waits %v at p99, want at most 5s", f.replyP99)
	}
	if f.minGap < DefaultPacing.ChatGap {
		t.Errorf("two messages to one chat %v apart, want at least %v", f.minGap, DefaultPacing.ChatGap)
	}
	if f.reminders != simMembers {
		t.Errorf("%d reminders sent, want %d", f.reminders, simMembers)
	}
}

// TestSimulatedMorningSmall is the simulated morning at a size CI runs on
// every change, under the race detector too (a few seconds; the full day
// is minutes): 100 members, 10 chatting, the stranger's 30 messages, and a
// sending window of 25 minutes (08:00–08:25), which the default pace just
// carries them in. The rules: answers within 5 s at p99 while the
// reminders go (a later lane never delays an earlier one), the stranger
// answered once, every reminder sent inside the window and spread to its
// end, no chat written to twice within its gap.
func TestSimulatedMorningSmall(t *testing.T) {
	t.Parallel()
	const members = 100
	f := simulate(t, simSize{members: members, chatting: 10, stranger: 30, window: 25 * time.Minute})
	f.report(t)
	if f.replyP99 > 5*time.Second {
		t.Errorf("a member's answer waits %v at p99, want at most 5s", f.replyP99)
	}
	if f.strangerP99 > 5*time.Second {
		t.Errorf("the stranger's one answer waits %v, want at most 5s", f.strangerP99)
	}
	if f.minGap < DefaultPacing.ChatGap {
		t.Errorf("two messages to one chat %v apart, want at least %v", f.minGap, DefaultPacing.ChatGap)
	}
	open, end := time.Date(2026, 12, 7, 8, 0, 0, 0, clock.Jakarta()), time.Date(2026, 12, 7, 8, 25, 0, 0, clock.Jakarta())
	if f.reminders != members || f.planned != members || f.firstReminder.Before(open) || !f.lastReminder.Before(end) {
		t.Errorf("%d of %d reminders sent, %s to %s; want all %d within 08:00–08:25", f.reminders, f.planned,
			f.firstReminder.In(clock.Jakarta()).Format("15:04"), f.lastReminder.In(clock.Jakarta()).Format("15:04"), members)
	}
	if f.lastReminder.Before(end.Add(-5 * time.Minute)) {
		t.Errorf("last reminder at %s: the reminders were not spread to 08:25", f.lastReminder.In(clock.Jakarta()).Format("15:04"))
	}
	if f.strangerAnswers != 1 {
		t.Errorf("the stranger's 30 messages were answered %d times, want once", f.strangerAnswers)
	}
}

// BenchmarkSimulatedMorning20k is the simulated morning at 20,000 members
// (run with -benchtime=1x: one run is one day): how many reminders one
// number delivers on the day at the default pace, and how many days of
// capacity the day's reminders need.
func BenchmarkSimulatedMorning20k(b *testing.B) {
	for b.Loop() {
		f := simulate(b, simSize{members: 20_000, chatting: 50, stranger: 300, window: 12 * time.Hour, poll: 5 * time.Second})
		f.report(b)
		b.ReportMetric(float64(f.reminders), "reminders/day")
		b.ReportMetric(f.daysOfCapacity(), "days")
		b.ReportMetric(f.replyP99.Seconds(), "reply-p99-s")
	}
}

// pct is the p-th percentile of ds.
func pct(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(p*float64(len(s))))]
}
