package announce_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/announce"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/reminder"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/kopmem/kopbot/internal/store/storetest"
	"github.com/shopspring/decimal"
)

var wib = clock.Jakarta()

// now is the cooperative's afternoon of 2 December 2026, a Wednesday.
var now = time.Date(2026, 12, 2, 14, 0, 0, 0, wib)

// coop is a cooperative of seven members:
//
//	A0001 Ani    joined 2025, WhatsApp
//	A0002 Budi   joined 2026, Telegram, English
//	A0003 Citra  joined 2025, an installment past due since September
//	A0004 Dedi   joined 2025, said STOP (reminders)
//	A0005 Eko    joined 2025, said STOP PENGUMUMAN
//	A0006 —      left, erased: no phone
//	A0007 Fajar  joined 1 January 2026, said STOP PENGUMUMAN, then MULAI PENGUMUMAN
type coop struct {
	db *store.DB
	m  map[string]member.Member // by number
}

func write(t *testing.T, db *store.DB, fn func(tx *sql.Tx) error) {
	t.Helper()
	if err := db.Write(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func newCoop(t *testing.T) coop {
	t.Helper()
	ctx := context.Background()
	c := coop{db: storetest.Open(t, member.Schema, ledger.Schema, savings.Schema, loan.Schema, outbox.Schema, reminder.Schema,
		announce.Schema), m: map[string]member.Member{}}
	people := []struct {
		name   string
		joined time.Time
		lang   string
	}{
		{"Ani", day(2025, 3, 1), "id"}, {"Budi", day(2026, 3, 5), "en"}, {"Citra", day(2025, 1, 2), "id"},
		{"Dedi", day(2025, 1, 2), "id"}, {"Eko", day(2025, 1, 2), "id"}, {"Gone", day(2024, 1, 2), "id"},
		{"Fajar", day(2026, 1, 1), "id"},
	}
	write(t, c.db, func(tx *sql.Tx) error {
		for i, p := range people {
			m, err := member.Create(ctx, tx, member.Member{Number: fmt.Sprintf("A%04d", i+1), Name: p.name,
				Phone: fmt.Sprintf("62812%08d", i+1), JoinedOn: p.joined, Lang: p.lang})
			if err != nil {
				return err
			}
			c.m[m.Number] = m
		}
		if err := member.Touch(ctx, tx, c.m["A0002"].ID, channel.Telegram, "5002", now); err != nil {
			return err
		}
		// Erasing a member who left replaces the phone with a marker.
		if _, err := tx.ExecContext(ctx, `UPDATE members SET phone = 'dihapus:6' WHERE number = 'A0006'`); err != nil {
			return err
		}
		for _, s := range []struct {
			number string
			topic  reminder.Topic
			out    bool
		}{
			{"A0004", reminder.Reminders, true}, {"A0005", reminder.Announcements, true},
			{"A0007", reminder.Announcements, true}, {"A0007", reminder.Announcements, false},
		} {
			if err := reminder.Choose(ctx, tx, s.topic, c.m[s.number].ID, s.out, now.Add(-time.Hour)); err != nil {
				return err
			}
		}
		return borrow(ctx, tx, c.m["A0003"], time.Date(2026, 8, 3, 10, 0, 0, 0, wib))
	})
	return c
}

// borrow gives m a loan disbursed on at, through the loan package's steps.
func borrow(ctx context.Context, tx *sql.Tx, m member.Member, at time.Time) error {
	cat, err := loan.NewCatalog(loan.DefaultProducts()...)
	if err != nil {
		return err
	}
	pol := loan.DefaultPolicy()
	if _, err := savings.Deposit(ctx, tx, savings.Movement{Key: "pokok-" + m.Number, MemberID: m.ID, Kind: savings.Pokok,
		Amount: decimal.NewFromInt(500_000), ValueDate: day(2025, 1, 2), Actor: "t"}); err != nil {
		return err
	}
	a, err := loan.Apply(ctx, tx, loan.Request{Key: "apply-" + m.Number, MemberID: m.ID, Product: "USAHA",
		Amount: decimal.NewFromInt(1_200_000), Tenor: 12, Purpose: "modal warung", Now: at}, cat, pol)
	if err != nil {
		return err
	}
	if _, err := loan.Decide(ctx, tx, loan.Decision{AppRef: a.Ref, OfficerID: "1001", Role: loan.RolePetugas,
		Verdict: loan.Approve, Now: at}, pol); err != nil {
		return err
	}
	_, _, err = loan.Disburse(ctx, tx, a.Ref, "1001", at)
	return err
}

func (c coop) numbers(ms []member.Member) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Number
	}
	return out
}

func (c coop) ids(numbers ...string) []int64 {
	out := make([]int64, len(numbers))
	for i, n := range numbers {
		out[i] = c.m[n].ID
	}
	return out
}

func (c coop) create(t *testing.T, a announce.Audience, members []int64, text string) announce.Announcement {
	t.Helper()
	var out announce.Announcement
	write(t, c.db, func(tx *sql.Tx) error {
		var err error
		out, err = announce.Create(context.Background(), tx, a, members, text, "2001", time.Time{}, now)
		return err
	})
	return out
}

func footer(lang string) string { return "[stop:" + lang + "]" }

func TestRecipients(t *testing.T) {
	t.Parallel()
	c := newCoop(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		audience announce.Audience
		list     []string
		asOf     time.Time
		want     []string
	}{
		{"everyone who has a number", announce.All, nil, now, []string{"A0001", "A0002", "A0003", "A0004", "A0005", "A0007"}},
		{"joined this year", announce.Newcomers, nil, now, []string{"A0002", "A0007"}},
		// 00:30 on New Year's Day in Jakarta is still 31 December in UTC:
		// the year is the cooperative's.
		{"joined this year, just after midnight", announce.Newcomers, nil, time.Date(2026, 1, 1, 0, 30, 0, 0, wib),
			[]string{"A0002", "A0007"}},
		{"joined this year, the year before", announce.Newcomers, nil, time.Date(2025, 12, 31, 23, 30, 0, 0, wib),
			[]string{"A0001", "A0002", "A0003", "A0004", "A0005", "A0007"}},
		{"in arrears", announce.Arrears, nil, now, []string{"A0003"}},
		{"not yet in arrears before the first due day", announce.Arrears, nil, time.Date(2026, 8, 20, 9, 0, 0, 0, wib), nil},
		{"a list, the erased one left out", announce.Listed, []string{"A0005", "A0001", "A0006"}, now, []string{"A0001", "A0005"}},
	} {
		a := c.create(t, tc.audience, c.ids(tc.list...), "Rapat")
		got, err := announce.Recipients(ctx, c.db.R, a, tc.asOf)
		if err != nil {
			t.Fatal(err)
		}
		if g := c.numbers(got); !slices.Equal(g, tc.want) {
			t.Errorf("%s: recipients %v, want %v", tc.name, g, tc.want)
		}
	}
}

func TestCreateRefusesWhatCannotGo(t *testing.T) {
	t.Parallel()
	c := newCoop(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		audience announce.Audience
		list     []int64
		text     string
		want     error
	}{
		{"no text", announce.All, nil, "", announce.ErrEmpty},
		{"empty list", announce.Listed, nil, "Rapat", announce.ErrNoList},
	} {
		err := c.db.Write(ctx, func(tx *sql.Tx) error {
			_, err := announce.Create(ctx, tx, tc.audience, tc.list, tc.text, "2001", time.Time{}, now)
			return err
		})
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.want)
		}
	}
}

type row struct {
	key, channel, chat, text, status string
	lane                             int
}

func rows(t *testing.T, db *store.DB) []row {
	t.Helper()
	rs, err := db.R.Query(`SELECT key, channel, chat, text, status, lane FROM outbox WHERE key LIKE 'ann:%' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out []row
	for rs.Next() {
		var r row
		if err := rs.Scan(&r.key, &r.channel, &r.chat, &r.text, &r.status, &r.lane); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func (c coop) send(t *testing.T, id int64) (announce.Announcement, error) {
	t.Helper()
	var a announce.Announcement
	err := c.db.Write(context.Background(), func(tx *sql.Tx) error {
		var err error
		a, err = announce.Send(context.Background(), tx, id, "2001", footer, now, wib, 0)
		return err
	})
	return a, err
}

func TestSendQueuesEachMemberOnceInTheBulkLane(t *testing.T) {
	t.Parallel()
	c := newCoop(t)
	a := c.create(t, announce.All, nil, "Undangan *RAT* 20 Desember.")
	sent, err := c.send(t, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if sent.Status != announce.Sent || sent.DecidedBy != "2001" || sent.Queued != 4 || sent.Skipped != 2 {
		t.Fatalf("sent %+v, want 4 queued and Dedi and Eko skipped", sent)
	}
	want := []row{
		{fmt.Sprintf("ann:%d:%d", a.ID, c.m["A0001"].ID), "whatsapp", "6281200000001@s.whatsapp.net",
			"Undangan *RAT* 20 Desember.\n\n[stop:id]", "pending", int(channel.Bulk)},
		{fmt.Sprintf("ann:%d:%d", a.ID, c.m["A0002"].ID), "telegram", "5002",
			"Undangan *RAT* 20 Desember.\n\n[stop:en]", "pending", int(channel.Bulk)},
		{fmt.Sprintf("ann:%d:%d", a.ID, c.m["A0003"].ID), "whatsapp", "6281200000003@s.whatsapp.net",
			"Undangan *RAT* 20 Desember.\n\n[stop:id]", "pending", int(channel.Bulk)},
		{fmt.Sprintf("ann:%d:%d", a.ID, c.m["A0007"].ID), "whatsapp", "6281200000007@s.whatsapp.net",
			"Undangan *RAT* 20 Desember.\n\n[stop:id]", "pending", int(channel.Bulk)},
	}
	if got := rows(t, c.db); !slices.Equal(got, want) {
		t.Fatalf("outbox\n%+v\nwant\n%+v", got, want)
	}

	// Kirim pressed again, or after a restart: nothing more is queued.
	_, err = c.send(t, a.ID)
	var decided *announce.DecidedError
	if !errors.As(err, &decided) || decided.Announcement.DecidedBy != "2001" {
		t.Fatalf("second send: %v, want DecidedError naming 2001", err)
	}
	if n := len(rows(t, c.db)); n != 4 {
		t.Fatalf("%d copies after the second send, want 4", n)
	}
	// Batal after Kirim changes nothing either.
	err = c.db.Write(context.Background(), func(tx *sql.Tx) error {
		_, err := announce.Cancel(context.Background(), tx, a.ID, "2001", now)
		return err
	})
	if !errors.As(err, &decided) || decided.Announcement.Status != announce.Sent {
		t.Fatalf("cancel after send: %v", err)
	}
}

// TestSendIsAllOrNothing: a Kirim whose transaction did not commit (the
// bot died) queued nothing and left the draft to be sent again, once.
func TestSendIsAllOrNothing(t *testing.T) {
	t.Parallel()
	c := newCoop(t)
	a := c.create(t, announce.Newcomers, nil, "Selamat datang")
	crash := errors.New("killed")
	err := c.db.Write(context.Background(), func(tx *sql.Tx) error {
		if _, err := announce.Send(context.Background(), tx, a.ID, "2001", footer, now, wib, 0); err != nil {
			return err
		}
		return crash
	})
	if !errors.Is(err, crash) {
		t.Fatal(err)
	}
	if n := len(rows(t, c.db)); n != 0 {
		t.Fatalf("%d copies after a rolled-back send", n)
	}
	if sent, err := c.send(t, a.ID); err != nil || sent.Queued != 2 {
		t.Fatalf("send after the crash: %+v, %v; want Budi and Fajar", sent, err)
	}
}

func TestCancelledIsNeverSent(t *testing.T) {
	t.Parallel()
	c := newCoop(t)
	a := c.create(t, announce.All, nil, "Kantor tutup")
	write(t, c.db, func(tx *sql.Tx) error {
		_, err := announce.Cancel(context.Background(), tx, a.ID, "2001", now)
		return err
	})
	var decided *announce.DecidedError
	if _, err := c.send(t, a.ID); !errors.As(err, &decided) || decided.Announcement.Status != announce.Cancelled {
		t.Fatalf("send after cancel: %v", err)
	}
	if n := len(rows(t, c.db)); n != 0 {
		t.Fatalf("%d copies of a cancelled announcement", n)
	}
}

// recorder is a channel that takes every message.
type recorder struct{ got []channel.Reply }

func (r *recorder) Send(_ context.Context, rep channel.Reply) error {
	r.got = append(r.got, rep)
	return nil
}

// TestVetAndReport: a member who says STOP PENGUMUMAN after Kirim is not
// written to; outside the sending window nothing goes; the report counts
// what went, what waits and what was skipped.
func TestVetAndReport(t *testing.T) {
	t.Parallel()
	c := newCoop(t)
	ctx := context.Background()
	a := c.create(t, announce.All, nil, "Kantor tutup 25 Desember")
	if _, err := c.send(t, a.ID); err != nil {
		t.Fatal(err)
	}
	write(t, c.db, func(tx *sql.Tx) error {
		return reminder.Choose(ctx, tx, reminder.Announcements, c.m["A0003"].ID, true, now)
	})
	clk := clock.NewManual(time.Date(2026, 12, 2, 21, 0, 0, 0, wib))
	cfg := reminder.Config{WindowStart: reminder.TimeOfDay{Hour: 8}, WindowEnd: reminder.TimeOfDay{Hour: 20},
		Days: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}, Location: wib}
	v := announce.Vetter{DB: c.db, NextOpen: cfg.NextOpen, Now: clk.Now}
	deliver := func(ch channel.Name) int {
		t.Helper()
		rec := &recorder{}
		if _, err := outbox.Deliver(ctx, c.db, outbox.Filter{Channel: ch, Limit: 100, Vet: v.Vet}, rec, clk.Now); err != nil {
			t.Fatal(err)
		}
		return len(rec.got)
	}
	report := func() announce.Report {
		t.Helper()
		got, err := announce.ByID(ctx, c.db.R, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		r, err := announce.ReportOf(ctx, c.db.R, got)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}

	// 21:00: past the window; Citra's copy is dropped at once all the same.
	if n := deliver(channel.WhatsApp); n != 0 {
		t.Fatalf("%d sent at 21:00", n)
	}
	if r := report(); r.Waiting != 3 || r.Delivered != 0 || r.Skipped != 3 || r.Failed != 0 {
		t.Fatalf("report at night %+v", r)
	}
	// Thursday 08:00 the window opens.
	clk.Set(time.Date(2026, 12, 3, 8, 0, 0, 0, wib))
	if n := deliver(channel.WhatsApp) + deliver(channel.Telegram); n != 3 {
		t.Fatalf("%d sent in the morning, want Ani, Budi, Fajar", n)
	}
	if r := report(); r.Waiting != 0 || r.Delivered != 3 || r.Skipped != 3 {
		t.Fatalf("report in the morning %+v", r)
	}
	var reason string
	if err := c.db.R.QueryRow(`SELECT last_error FROM outbox WHERE key = ?`, announce.Key(a.ID, c.m["A0003"].ID)).Scan(&reason); err != nil {
		t.Fatal(err)
	}
	if reason != announce.DropOptedOut {
		t.Fatalf("Citra's copy dropped for %q", reason)
	}
	// Another key is none of the announcer's business.
	if v, err := v.Vet(ctx, outbox.Item{Key: "rem:summary:2026-12-02"}); err != nil || v.Action != outbox.Send {
		t.Fatalf("reminder key vetted %+v, %v", v, err)
	}
}

// TestEstimate: within the day's window when it fits, else sending days,
// each at its own capacity: a warming number carries more every day.
func TestEstimate(t *testing.T) {
	t.Parallel()
	day := time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)
	steady := announce.Capacity(func(channel.Name, time.Time) (announce.Pace, bool) {
		return announce.Pace{PerDay: 3000, Window: 12 * time.Hour}, true
	})
	// 200 on the first day, 200 more each day after.
	warming := announce.Capacity(func(_ channel.Name, d time.Time) (announce.Pace, bool) {
		return announce.Pace{PerDay: 200 * (1 + int(d.Sub(day).Hours()/24)), Window: 12 * time.Hour}, true
	})
	none := announce.Capacity(func(channel.Name, time.Time) (announce.Pace, bool) { return announce.Pace{}, false })
	for _, tc := range []struct {
		name string
		n    int
		c    announce.Capacity
		want announce.Estimate
	}{
		{"nothing", 0, steady, announce.Estimate{}},
		{"half a day", 1500, steady, announce.Estimate{Within: 6 * time.Hour}},
		{"a day", 3000, steady, announce.Estimate{Within: 12 * time.Hour}},
		{"a day and one", 3001, steady, announce.Estimate{Days: 2}},
		{"seven days", 20000, steady, announce.Estimate{Days: 7}},
		// 200 + 400 + 600 + 800 = 2,000: four days, not the ten of the first day's cap.
		{"warming", 2000, warming, announce.Estimate{Days: 4}},
		{"warming, one more", 2001, warming, announce.Estimate{Days: 5}},
		{"no pace", 10, none, announce.Estimate{}},
	} {
		if got := tc.c.Estimate(channel.WhatsApp, day, tc.n); got != tc.want {
			t.Errorf("%s: %d: %+v, want %+v", tc.name, tc.n, got, tc.want)
		}
	}
}

// TestPreviewCountsTheBulkAhead: the estimate is of the slowest channel,
// behind the bulk already waiting on it.
func TestPreviewCountsTheBulkAhead(t *testing.T) {
	t.Parallel()
	c := newCoop(t)
	ctx := context.Background()
	a := c.create(t, announce.All, nil, "RAT")
	paces := func(ch channel.Name, _ time.Time) (announce.Pace, bool) {
		p, ok := map[channel.Name]announce.Pace{channel.WhatsApp: {PerDay: 12, Window: 12 * time.Hour},
			channel.Telegram: {PerDay: 1000, Window: 12 * time.Hour}}[ch]
		return p, ok
	}
	p, err := announce.PreviewOf(ctx, c.db.R, a, now, paces)
	if err != nil {
		t.Fatal(err)
	}
	if want := (announce.Preview{Copies: 4, Skipped: 2, Estimate: announce.Estimate{Within: 3 * time.Hour}}); p != want {
		t.Fatalf("preview %+v, want %+v", p, want)
	}
	write(t, c.db, func(tx *sql.Tx) error {
		for i := range 10 {
			if _, err := outbox.Enqueue(ctx, tx, outbox.Item{Reply: channel.Reply{Channel: channel.WhatsApp,
				Chat: fmt.Sprintf("62899%d@s.whatsapp.net", i), Text: "pengingat"}, Lane: channel.Bulk}, now); err != nil {
				return err
			}
		}
		return nil
	})
	if p, err = announce.PreviewOf(ctx, c.db.R, a, now, paces); err != nil || p.Estimate != (announce.Estimate{Days: 2}) {
		t.Fatalf("preview behind 10 reminders %+v, %v; want 2 days", p, err)
	}
}

func TestResolve(t *testing.T) {
	t.Parallel()
	c := newCoop(t)
	ids, unknown, err := announce.Resolve(context.Background(), c.db.R,
		[]string{"A0003", "081200000001", "+62 812-0000-0002", "a0003", "Z-999", "0899", ""})
	if err != nil {
		t.Fatal(err)
	}
	if want := c.ids("A0003", "A0001", "A0002"); !slices.Equal(ids, want) {
		t.Errorf("ids %v, want %v", ids, want)
	}
	if want := []string{"Z-999", "0899"}; !slices.Equal(unknown, want) {
		t.Errorf("unknown %v, want %v", unknown, want)
	}
}

// TestExpiresIf: copies go until the end of the last day the manajer named,
// else of the day sent plus the valid days, in the cooperative's zone.
func TestExpiresIf(t *testing.T) {
	t.Parallel()
	sent := time.Date(2026, 12, 2, 21, 30, 0, 0, wib) // Wednesday evening; 14:30 UTC
	for _, tc := range []struct {
		name  string
		until time.Time
		days  int
		want  time.Time
	}{
		{"default: the day sent and 3 more", time.Time{}, 0, time.Date(2026, 12, 6, 0, 0, 0, 0, wib)},
		{"one valid day", time.Time{}, 1, time.Date(2026, 12, 4, 0, 0, 0, 0, wib)},
		{"a last day named", time.Date(2026, 12, 10, 0, 0, 0, 0, wib), 3, time.Date(2026, 12, 11, 0, 0, 0, 0, wib)},
		{"a last day read back from the database (UTC)", time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC), 3,
			time.Date(2026, 12, 11, 0, 0, 0, 0, wib)},
	} {
		if got := (announce.Announcement{Until: tc.until}).ExpiresIf(sent, wib, tc.days); !got.Equal(tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestUnsentCopiesExpire: a copy still waiting at the end of the
// announcement's last day is dropped, not sent, and /umumkan status counts
// it as expired apart from the members who said STOP; Kirim on a draft
// whose last day has passed queues nothing.
func TestUnsentCopiesExpire(t *testing.T) {
	t.Parallel()
	c := newCoop(t)
	ctx := context.Background()
	var a announce.Announcement
	write(t, c.db, func(tx *sql.Tx) error {
		var err error
		a, err = announce.Create(ctx, tx, announce.All, nil, "Rapat besok", "2001", now, now)
		return err
	})
	sent, err := c.send(t, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 12, 3, 0, 0, 0, 0, wib); !sent.Expires.Equal(want) {
		t.Fatalf("expires %v, want the end of its last day %v", sent.Expires, want)
	}
	// The backlog was long: nothing went that day.
	for _, ch := range []channel.Name{channel.WhatsApp, channel.Telegram} {
		if _, err := outbox.DeliverRound(ctx, c.db, outbox.Filter{Channel: ch, Limit: 10}, nil,
			func() time.Time { return sent.Expires }); err != nil {
			t.Fatal(err)
		}
	}
	r, err := announce.ReportOf(ctx, c.db.R, sent)
	if err != nil {
		t.Fatal(err)
	}
	if r.Waiting != 0 || r.Delivered != 0 || r.Expired != 4 || r.Skipped != 2 {
		t.Fatalf("report %+v, want 4 expired and 2 skipped (STOP)", r)
	}

	write(t, c.db, func(tx *sql.Tx) error {
		var err error
		a, err = announce.Create(ctx, tx, announce.All, nil, "Rapat kemarin", "2001", now.AddDate(0, 0, -1), now)
		return err
	})
	if _, err := c.send(t, a.ID); !errors.Is(err, announce.ErrExpired) {
		t.Fatalf("Kirim past the last day: %v, want ErrExpired", err)
	}
	if got, err := announce.ByID(ctx, c.db.R, a.ID); err != nil || got.Status != announce.Draft {
		t.Fatalf("after a refused Kirim: %+v, %v; want still a draft", got, err)
	}
}
