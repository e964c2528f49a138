package officer_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/router"
)

// sitiSays sends text from Siti on WhatsApp and returns what it queued.
func (e *env) sitiSays(text string) []channel.Reply {
	e.t.Helper()
	return e.handle(channel.Message{Channel: channel.WhatsApp, ID: fmt.Sprintf("WA%d", e.seq.Add(1)),
		Chat: "6281234567890@s.whatsapp.net", From: "6281234567890@s.whatsapp.net", Phone: "6281234567890", Text: text, Kind: channel.Text})
}

// replies sends text from a Telegram user in the group as a reply to an
// earlier message there.
func (e *env) replies(from, text string) []channel.Reply {
	e.t.Helper()
	return e.handle(channel.Message{Channel: channel.Telegram, ID: fmt.Sprintf("%s:%d", group, e.seq.Add(1)), Chat: group,
		From: from, Text: text, Kind: channel.Text, ReplyTo: group + ":1"})
}

func (e *env) handle(m channel.Message) []channel.Reply {
	e.t.Helper()
	if err := e.a.Router.Handle(context.Background(), m); err != nil {
		e.t.Fatalf("%s says %q: %v", m.From, m.Text, err)
	}
	return e.drain()
}

// expect checks that exactly one reply went to each place wants names, with
// every wanted piece, and none elsewhere.
func expect(t *testing.T, what string, got []channel.Reply, toSitiWants, toGroupWants []string) {
	t.Helper()
	for place, c := range map[string]struct {
		rs    []channel.Reply
		wants []string
	}{"Siti": {toSiti(got), toSitiWants}, "group": {toGroup(got), toGroupWants}} {
		if c.wants == nil {
			if len(c.rs) != 0 {
				t.Errorf("%s: %s got %+v, want nothing", what, place, c.rs)
			}
			continue
		}
		contains(t, what+" to "+place, one(t, what+" to "+place, c.rs).Text, c.wants...)
	}
	if n := len(toSiti(got)) + len(toGroup(got)); n != len(got) {
		t.Errorf("%s: replies elsewhere: %+v", what, got)
	}
}

// The story of one handoff, step by step: each step's replies depend on
// the ones before.
func TestHandoff(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	steps := []struct {
		name           string
		do             func() []channel.Reply
		toSiti, toGrup []string
	}{
		{"the member asks for an officer", func() []channel.Reply { return e.sitiSays("hubungi petugas") },
			[]string{"Silakan tulis pesan Anda untuk petugas"}, nil},
		{"the next message goes to the group, tagged and escaped", func() []channel.Reply { return e.sitiSays("Bisa *bunga* turun?") },
			[]string{"diteruskan kepada petugas (#H1)"},
			[]string{"#H1", "Siti ∗Aminah∗", "A-0001", "6281234567890", "Bisa ∗bunga∗ turun?", "/balas H1"}},
		{"a non-officer's /balas is refused", func() []channel.Reply { return e.say(nobody, group, "/balas H1 saya bukan petugas") },
			nil, []string{"khusus untuk petugas"}},
		{"an officer answers with /balas", func() []channel.Reply { return e.say(budi, group, "/balas H1 Bisa, _datang_ ke kantor") },
			[]string{"Balasan petugas Budi", "#H1", "Bisa, ˍdatangˍ ke kantor"}, []string{"Siti ∗Aminah∗ (#H1) sudah dikirim"}},
		{"group chatter is no answer", func() []channel.Reply { return e.say(rina, group, "kopi dulu") }, nil, nil},
		{"a reply to the forward answers it", func() []channel.Reply {
			return e.replyTo(rina, e.idOf("#H1", "turun?"), "Senin buka jam 8")
		},
			[]string{"Balasan petugas Rina", "Senin buka jam 8"}, []string{"sudah dikirim"}},
		{"a keyword is forwarded while the handoff is open", func() []channel.Reply { return e.sitiSays("saldo") },
			[]string{"#H1"}, []string{"#H1", "saldo"}},
		{"/obrolan lists it", func() []channel.Reply { return e.say(budi, group, "/obrolan") },
			nil, []string{"Obrolan terbuka* (1)", "#H1 Siti ∗Aminah∗ (A-0001)"}},
		{"/selesai closes it and tells the member", func() []channel.Reply { return e.say(budi, group, "/selesai") },
			[]string{"sudah selesai. Terima kasih, Siti"}, []string{"#H1", "ditutup"}},
		{"a closed handoff takes no answer", func() []channel.Reply { return e.say(budi, group, "/balas H1 satu lagi") },
			nil, []string{"#H1 sudah ditutup"}},
		{"a reply with none open is chatter", func() []channel.Reply { return e.replies(budi, "oke") }, nil, nil},
		{"after closing, the member's words go to the flows", func() []channel.Reply { return e.sitiSays("saldo") },
			[]string{"Saldo simpanan", "5.000.000"}, nil},
		{"/obrolan when none is open", func() []channel.Reply { return e.say(budi, group, "/obrolan") },
			nil, []string{"Tidak ada obrolan"}},
	}
	for _, s := range steps {
		expect(t, s.name, s.do(), s.toSiti, s.toGrup)
	}
	var audited, refused int
	if err := e.a.DB.R.QueryRow(`SELECT count(*) FILTER (WHERE ok), count(*) FILTER (WHERE NOT ok) FROM officer_audit
		WHERE action IN ('/balas', 'reply:handoff', '/selesai')`).Scan(&audited, &refused); err != nil {
		t.Fatal(err)
	}
	if audited != 3 || refused != 2 {
		t.Errorf("audit: %d granted, %d refused; want 3 and 2", audited, refused)
	}
}

func TestHandoffEnds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		before func(e *env)
		say    string
		toSiti []string
		toGrup []string
		// closedBy is how the handoff ends up, "" when still open.
		closedBy string
	}{
		{name: "the member says selesai", say: "selesai", toSiti: []string{"sudah diakhiri"},
			toGrup: []string{"#H1", "ditutup oleh anggota", "selesai"}, closedBy: member.ClosedByMember},
		{name: "menu closes it and shows the menu", say: "Menu!", toSiti: []string{"sudah diakhiri", "Halo, Siti"},
			toGrup: []string{"#H1", "ditutup oleh anggota", "Menu!"}, closedBy: member.ClosedByMember},
		{name: "batal closes it", say: "batal", toSiti: []string{"sudah diakhiri"}, toGrup: []string{"ditutup oleh anggota", "batal"},
			closedBy: member.ClosedByMember},
		{name: "a quiet day lapses it", before: func(e *env) { e.clk.Advance(router.HandoffIdle + time.Minute) },
			say: "saldo", toSiti: []string{"5.000.000"}, closedBy: member.ClosedLapsed},
		{name: "an officer's answer keeps it alive", before: func(e *env) {
			e.clk.Advance(router.HandoffIdle - time.Minute)
			e.say(budi, group, "/balas H1 sebentar")
			e.clk.Advance(2 * time.Minute)
		}, say: "saldo", toSiti: []string{"#H1"}, toGrup: []string{"saldo"}},
		{name: "asking again continues the same handoff", say: "petugas", toSiti: []string{"#H1"}, toGrup: []string{"petugas"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.sitiSays("petugas")
			if tc.before != nil {
				tc.before(e)
			}
			expect(t, tc.say, e.sitiSays(tc.say), tc.toSiti, tc.toGrup)
			var closedBy string
			if err := e.a.DB.R.QueryRow(`SELECT coalesce(closed_by, '') FROM handoff WHERE id = 1`).Scan(&closedBy); err != nil {
				t.Fatal(err)
			}
			if closedBy != tc.closedBy {
				t.Errorf("closed_by = %q, want %q", closedBy, tc.closedBy)
			}
		})
	}
}

// With two conversations open, an officer must say which one is meant.
func TestHandoffNeedsATagWhenSeveralAreOpen(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	e.jokoAsksForAnOfficer()
	e.sitiSays("petugas")
	tests := []struct {
		name string
		do   func() []channel.Reply
		want []string
	}{
		{"/selesai without a tag", func() []channel.Reply { return e.say(budi, group, "/selesai") }, []string{"#H1, #H2"}},
		{"/balas to an unknown tag", func() []channel.Reply { return e.say(budi, group, "/balas H9 halo") }, []string{"H9 tidak ditemukan"}},
		{"/balas to no tag at all", func() []channel.Reply { return e.say(budi, group, "/balas Hx halo") }, []string{"Hx tidak ditemukan"}},
		{"/balas without words", func() []channel.Reply { return e.say(budi, group, "/balas H2") }, []string{"belum lengkap", "/balas <tag> <teks>"}},
	}
	for _, tc := range tests {
		got := tc.do()
		expect(t, tc.name, got, nil, tc.want)
	}
	open, err := member.OpenHandoffs(ctx, e.a.DB.R)
	if err != nil || len(open) != 2 {
		t.Fatalf("open handoffs = %+v, %v; want both still open", open, err)
	}
}

// tracer is a Telegram sender that numbers what it sends, as Telegram does.
type tracer struct {
	next int
	sent map[string]string // message id → text
}

func (tr *tracer) Send(ctx context.Context, r channel.Reply) error {
	_, err := tr.SendTraced(ctx, r)
	return err
}

func (tr *tracer) SendTraced(_ context.Context, r channel.Reply) (string, error) {
	tr.next++
	id := fmt.Sprint(7000 + tr.next)
	tr.sent[id] = r.Text
	return id, nil
}

func TestReplyToAForwardFindsItsHandoff(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	e.jokoAsksForAnOfficer()
	e.sitiSays("petugas")
	// Siti's question goes to the group through a sender that tells
	// Telegram's message id, as the real adapter does.
	if err := e.a.Router.Handle(ctx, channel.Message{Channel: channel.WhatsApp, ID: "WA-q", Chat: "6281234567890@s.whatsapp.net",
		From: "6281234567890@s.whatsapp.net", Phone: "6281234567890", Text: "Kapan dana cair?", Kind: channel.Text}); err != nil {
		t.Fatal(err)
	}
	tr := &tracer{sent: map[string]string{}}
	if _, err := outbox.Deliver(ctx, e.a.DB, outbox.Filter{Channel: channel.Telegram, Limit: 100}, tr, e.a.Clock.Now); err != nil {
		t.Fatal(err)
	}
	forward := ""
	for id, text := range tr.sent {
		if strings.Contains(text, "Kapan dana cair?") {
			forward = id
		}
	}
	if forward == "" {
		t.Fatalf("the question was not forwarded: %+v", tr.sent)
	}
	e.drain() // Siti's "forwarded" notice
	// Two handoffs are open, yet a reply to Siti's forward is hers.
	got := e.handle(channel.Message{Channel: channel.Telegram, ID: group + ":r1", Chat: group, From: budi,
		Text: "Besok pagi, Bu.", Kind: channel.Text, ReplyTo: group + ":" + forward})
	expect(t, "a reply to the forward", got, []string{"Besok pagi, Bu."}, []string{"#H2"})
	// A reply to kopbot's message that is no forward reaches nobody, and
	// the officer is told so.
	e.say(budi, group, "/obrolan")
	expect(t, "a reply to something else", e.replyTo(budi, e.idOf("Obrolan terbuka"), "halo"), nil, []string{"tidak diteruskan"})
}

// jokoAsksForAnOfficer opens a second member's handoff (#H1), so Siti's
// becomes #H2 and officers have two to tell apart.
func (e *env) jokoAsksForAnOfficer() {
	e.t.Helper()
	ctx := context.Background()
	e.write(func(tx *sql.Tx) error {
		joko, err := member.Create(ctx, tx, member.Member{Number: "A-0002", Name: "Joko", Phone: "6285611112222",
			JoinedOn: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return err
		}
		_, err = member.StartHandoff(ctx, tx, joko.ID, e.clk.Now())
		return err
	})
}

// TestHandoffLinesGoAsOne: a member typing line after line to the
// officers costs the group one message per burst, their lines in order
// under the handoff's tag once; two members writing at once stay apart; a
// line after the burst goes on its own; and a reply to the joined message
// reaches its member.
func TestHandoffLinesGoAsOne(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	e.jokoAsksForAnOfficer() // #H1
	e.sitiSays("petugas")    // #H2
	// queue has a member write without anything being delivered meanwhile.
	queue := func(phone, text string) {
		t.Helper()
		chat := phone + "@s.whatsapp.net"
		if err := e.a.Router.Handle(ctx, channel.Message{Channel: channel.WhatsApp, ID: fmt.Sprintf("WA%d", e.seq.Add(1)),
			Chat: chat, From: chat, Phone: phone, Text: text, Kind: channel.Text}); err != nil {
			t.Fatal(err)
		}
		e.clk.Advance(time.Second)
	}
	// deliver sends the group's messages as serve does, a burst joined.
	deliver := func() []channel.Reply {
		t.Helper()
		rec := &recorder{ch: channel.Telegram, e: e}
		if _, err := outbox.Deliver(ctx, e.a.DB, outbox.Filter{Channel: channel.Telegram, Limit: 100, Burst: 5 * time.Second},
			rec, e.a.Clock.Now); err != nil {
			t.Fatal(err)
		}
		return toGroup(rec.replies)
	}
	siti := []string{"Selamat siang", "saya mau tanya", "soal pinjaman", "dana *cair* kapan?", "terima kasih"}
	for i, line := range siti {
		queue("6281234567890", line)
		if i < 2 {
			queue("6285611112222", fmt.Sprintf("Joko %d", i+1))
		}
	}
	got := deliver()
	if len(got) != 2 {
		t.Fatalf("the group got %d messages, want Siti's and Joko's: %+v", len(got), got)
	}
	sitis, jokos := got[0].Text, got[1].Text
	if strings.Contains(sitis, "Joko") {
		sitis, jokos = jokos, sitis
	}
	contains(t, "Siti's lines", sitis, "#H2", "Siti ∗Aminah∗", "Selamat siang\nsaya mau tanya\nsoal pinjaman\ndana ∗cair∗ kapan?\nterima kasih",
		"/balas H2")
	contains(t, "Joko's lines", jokos, "#H1", "Joko 1\nJoko 2")
	for _, text := range []string{sitis, jokos} {
		if n := strings.Count(text, "💬"); n != 1 {
			t.Errorf("%d heads in %q; want one", n, text)
		}
	}
	if strings.Contains(jokos, "Selamat") || strings.Contains(sitis, "Joko") {
		t.Errorf("two handoffs joined: %q / %q", sitis, jokos)
	}
	e.clk.Advance(10 * time.Second)
	queue("6281234567890", "satu lagi")
	late := deliver()
	if len(late) != 1 || strings.Contains(late[0].Text, "terima kasih") {
		t.Fatalf("a line after the burst: %+v; want it alone", late)
	}
	e.drain() // what the members were told
	expect(t, "a reply to the joined message", e.replyTo(rina, e.idOf("#H2", "soal pinjaman"), "Dana cair besok, Bu."),
		[]string{"Balasan petugas Rina", "Dana cair besok, Bu."}, []string{"sudah dikirim"})
}
