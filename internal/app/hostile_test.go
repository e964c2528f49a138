package app_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/demo"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/officer"
)

// The demo cooperative's first two members, and the officers' Telegram group.
const (
	siti      = demo.Phone      // Siti Rahayu, KMM-00001
	budi      = "6281234567891" // Budi Santoso, KMM-00002
	budiName  = "Budi Santoso"
	manajer   = "1001"
	petugas   = "1002"
	group     = "-100777"
	outsider  = "9999"
	apologyID = "common.error"
)

// coop is the demo cooperative behind a router, with two officers whose
// group is on Telegram, so announcements and button presses go there.
type coop struct {
	t   testing.TB
	a   *app.App
	seq atomic.Int64
}

func newCoop(t testing.TB) *coop {
	t.Helper()
	ctx := context.Background()
	clk := clock.NewManual(time.Date(2026, 11, 30, 10, 0, 0, 0, clock.Jakarta()))
	a, err := app.Open(ctx, filepath.Join(t.TempDir(), "k.db"), app.Options{Clock: clk,
		Officers:     []officer.Officer{{ID: manajer, Name: "Bu Rina", Role: loan.RoleManajer}, {ID: petugas, Name: "Pak Budi", Role: loan.RolePetugas}},
		OfficerGroup: member.Address{Channel: channel.Telegram, Chat: group}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if _, err := demo.Seed(ctx, a.DB, demo.Small, clk.Now()); err != nil {
		t.Fatal(err)
	}
	return &coop{t: t, a: a}
}

// say sends text as the member with phone p in their own terminal chat and
// returns what was queued for that chat because of it.
func (c *coop) say(p, text string) []string {
	return c.sayIn(p, p, text)
}

func (c *coop) sayIn(p, chat, text string) []string {
	c.t.Helper()
	last := c.lastOutbox()
	m := channel.Message{Channel: channel.Console, ID: fmt.Sprintf("m%d", c.seq.Add(1)), Chat: chat, Phone: p, Text: text, Kind: channel.Text}
	if err := c.a.Router.Handle(context.Background(), m); err != nil {
		c.t.Fatalf("%q: %v", text, err)
	}
	return c.queued(last, channel.Console, chat)
}

func (c *coop) lastOutbox() int64 {
	c.t.Helper()
	var id int64
	if err := c.a.DB.R.QueryRow(`SELECT coalesce(max(id), 0) FROM outbox`).Scan(&id); err != nil {
		c.t.Fatal(err)
	}
	return id
}

// queued is the text of what was queued for chat after outbox row since.
func (c *coop) queued(since int64, ch channel.Name, chat string) []string {
	c.t.Helper()
	rows, err := c.a.DB.R.Query(`SELECT text FROM outbox WHERE id > ? AND channel = ? AND chat = ? ORDER BY id`, since, string(ch), chat)
	if err != nil {
		c.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			c.t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		c.t.Fatal(err)
	}
	return out
}

// money is what a member's message could have changed for good: the
// ledger, and the officers' decisions.
type money struct{ transactions, postings, balances, decisions int64 }

func (c *coop) money() money {
	c.t.Helper()
	var m money
	if err := c.a.DB.R.QueryRow(`SELECT (SELECT count(*) FROM ledger_transactions), (SELECT count(*) FROM ledger_postings),
		(SELECT coalesce(sum(abs(balance)), 0) FROM ledger_accounts), (SELECT count(*) FROM loan_decisions)`).
		Scan(&m.transactions, &m.postings, &m.balances, &m.decisions); err != nil {
		c.t.Fatal(err)
	}
	return m
}

// polite fails unless replies is exactly one answer that is neither empty
// nor the apology for a failure, and carries none of the characters the
// router must have dropped.
func (c *coop) polite(input string, replies []string) {
	c.t.Helper()
	apology := c.a.Msgs.T("id", apologyID, nil)
	if len(replies) != 1 || strings.TrimSpace(replies[0]) == "" || replies[0] == apology {
		c.t.Fatalf("%.40q: want one polite answer, got %q", input, replies)
	}
	if strings.ContainsAny(replies[0], "\x00\x07\x1b\u202e\u2066\u200f") {
		c.t.Fatalf("%.40q: the answer carries control or direction characters: %q", input, replies[0])
	}
}

// TestHostileMessages sends what a careless or malicious member might type,
// from the main menu and from inside dialogs: each gets one polite answer
// and none moves money.
func TestHostileMessages(t *testing.T) {
	t.Parallel()
	c := newCoop(t)
	inputs := []string{
		"", " ", "\n\t\n",
		strings.Repeat("saldo ", 1700), // 10 KB
		strings.Repeat("🙏", 2600),
		"\x00\x01\x02\x1b[31mmerah\x1b[0m\x7f",
		"sal\u200bdo", "\u202esaldo\u202c", "\u2066\u2067\u2068mutasi\u2069", "\u200fمرحبا\u200e",
		"😀👨‍👩‍👧‍👦🇮🇩", "Z̷̢̛̪a̶̡͎l̸̨̛g̵̢̛o̸̧͝",
		"'; DROP TABLE ledger_postings; --", "1 OR 1=1", "saldo' UNION SELECT * FROM members --",
		"*bold* _it_ ~s~ ```code``` <b>x</b> <script>alert(1)</script> [a](http://x)",
		"%s %d %v {{.Name}} ${HOME} $(rm -rf /)",
		"\xff\xfe\xfd invalid utf-8",
		"-1", "0", "99999999999999999999999", "1e9", "NaN", "5 juta juta", "Rp -5.000.000",
		"ya", "tidak", "batal", "/bayar PJ-2611-0001 1.000.000", "/setor KMM-00001 1.000.000",
	}
	// Each state is how a dialog is entered; the hostile text then answers
	// whatever question that dialog is asking.
	states := [][]string{nil, {"simulasi", "1"}, {"pinjam", "1", "2 juta", "6"}, {"pinjam", "1", "2 juta", "6", "modal warung"}}
	before := c.money()
	for i, state := range states {
		for j, in := range inputs {
			chat := fmt.Sprintf("%s-s%d-i%d", siti, i, j)
			for _, line := range state {
				c.sayIn(siti, chat, line)
			}
			c.polite(in, c.sayIn(siti, chat, in))
			c.sayIn(siti, chat, "batal")
		}
	}
	if after := c.money(); after != before {
		t.Fatalf("member messages changed money: %+v → %+v", before, after)
	}
}

// TestPurposeMarkupIsNeutralised puts markup into a loan purpose, which the
// officers' announcement repeats: it must reach them as text, not formatting.
func TestPurposeMarkupIsNeutralised(t *testing.T) {
	t.Parallel()
	c := newCoop(t)
	purpose := "*bold* _miring_ ~coret~ ```kode``` <b>x</b> <a href=\"http://x\">klik</a>"
	last := c.lastOutbox()
	for _, line := range []string{"pinjam", "1", "2 juta", "6", purpose} {
		c.say(siti, line)
	}
	c.polite("ya", c.say(siti, "ya"))
	announced := strings.Join(c.queued(last, channel.Telegram, group), "\n")
	if !strings.Contains(announced, markup.Escape(purpose)) {
		t.Fatalf("the announcement lacks the escaped purpose %q:\n%s", markup.Escape(purpose), announced)
	}
	for _, line := range strings.Split(announced, "\n") {
		if strings.Contains(line, "<b>x</b>") && strings.ContainsAny(line, "*_~`") {
			t.Errorf("the purpose reaches the officers with live markup: %q", line)
		}
	}
	html := markup.TelegramHTML(announced)
	if strings.Contains(html, "<b>x</b>") || strings.Contains(html, "<a href") || !strings.Contains(html, "&lt;b&gt;x&lt;/b&gt;") {
		t.Errorf("the purpose's HTML reaches Telegram as HTML:\n%s", html)
	}
}

// TestMemberSeesOnlyOwnData has Siti type Budi's phone, number, name and
// loan reference at every turn of every dialog: she never reads his name,
// his savings or his loan.
func TestMemberSeesOnlyOwnData(t *testing.T) {
	t.Parallel()
	c := newCoop(t)
	// Budi's request, with an amount and purpose found nowhere else.
	for _, line := range []string{"pinjam", "1", "1.234.000", "3", "renovasi rahasia"} {
		c.say(budi, line)
	}
	c.say(budi, "ya")
	var ref string
	if err := c.a.DB.R.QueryRow(`SELECT ref FROM loan_applications ORDER BY id DESC LIMIT 1`).Scan(&ref); err != nil {
		t.Fatalf("Budi's request was not made: %v", err)
	}
	budiSaldo := strings.Join(c.say(budi, "saldo"), "\n")
	secrets := []string{budiName, "1.234.000", "renovasi rahasia", "1,234,000"}
	// Budi's savings lines, as his own saldo shows them ("Sukarela  1.950.000").
	for _, line := range strings.Split(budiSaldo, "\n") {
		if f := strings.Fields(line); len(f) == 2 && strings.Count(f[1], ".") >= 1 && f[0] != "Pokok" && f[0] != "Wajib" {
			secrets = append(secrets, line)
		}
	}
	if len(secrets) < 6 {
		t.Fatalf("Budi's saldo did not show his savings lines:\n%s", budiSaldo)
	}
	probes := []string{budi, "0" + budi[2:], "+" + budi, "KMM-00002", budiName, ref, strings.ToLower(ref),
		"saldo " + budi, "mutasi KMM-00002", "saldo Budi Santoso", "status " + ref, "pinjaman " + ref, "batal " + ref}
	flows := [][]string{nil, {"simulasi"}, {"pinjam", "1"}, {"pinjam", "1", "1 juta", "3"}, {"5"}, {"batal pengajuan"}}
	var seen []string
	leaks := func(typed string, replies []string) {
		seen = append(seen, replies...)
		for _, s := range secrets {
			// Siti typing his name may hear it echoed: that is no leak.
			if strings.Contains(strings.Join(replies, "\n"), s) && !strings.Contains(typed, s) {
				t.Errorf("Siti typed %q and was shown Budi's %q", typed, s)
			}
		}
	}
	for i, flow := range flows {
		for j, probe := range probes {
			chat := fmt.Sprintf("%s-f%d-p%d", siti, i, j)
			for _, line := range append(append(flow[:len(flow):len(flow)], probe), "batal") {
				leaks(line, c.sayIn(siti, chat, line))
			}
		}
	}
	all := strings.Join(seen, "\n")
	if !strings.Contains(all, "Siti") {
		t.Fatal("Siti's own answers never named her: the probes did not reach her dialogs")
	}
}

// TestForgedCallbacksDecideNothing presses Setujui with data a non-officer
// forged, and with data no button ever carried: nothing is decided, each
// presser is told politely.
func TestForgedCallbacksDecideNothing(t *testing.T) {
	t.Parallel()
	c := newCoop(t)
	for _, line := range []string{"pinjam", "1", "2 juta", "6", "modal warung"} {
		c.say(siti, line)
	}
	c.say(siti, "ya")
	var ref, status string
	if err := c.a.DB.R.QueryRow(`SELECT ref, status FROM loan_applications ORDER BY id DESC LIMIT 1`).Scan(&ref, &status); err != nil {
		t.Fatal(err)
	}
	presses := []struct{ from, data string }{
		{outsider, "ap:" + ref}, {outsider, "rj:" + ref}, {outsider, "if:" + ref},
		{siti, "ap:" + ref}, {"", "ap:" + ref},
		{manajer, "ap:../../x"}, {manajer, "ap:" + ref + "/../x"}, {manajer, "ap:" + ref + "'--"},
		{manajer, "ap:" + strings.Repeat("A", 5000)}, {manajer, "ap:PJ-0000-9999"}, {manajer, "zz:" + ref},
		{manajer, "ap"}, {manajer, ""}, {manajer, "ap:" + strings.ToLower(ref)}, {manajer, "ap:\u202e" + ref},
	}
	before := c.money()
	for i, p := range presses {
		notice, err := c.a.Router.HandleCallback(context.Background(), channel.Callback{Channel: channel.Telegram,
			ID: fmt.Sprintf("cb%d", i), From: p.from, Chat: group, MessageID: "42", Data: p.data})
		if err != nil {
			t.Fatalf("press %q by %q: %v", p.data, p.from, err)
		}
		if strings.TrimSpace(notice) == "" {
			t.Errorf("press %q by %q: no notice", p.data, p.from)
		}
	}
	var after string
	if err := c.a.DB.R.QueryRow(`SELECT status FROM loan_applications WHERE ref = ?`, ref).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if got := c.money(); got != before || after != status {
		t.Fatalf("forged presses changed something: %+v → %+v, status %s → %s", before, got, status, after)
	}
	// The same press by the manajer, genuine, does decide: the test can fail.
	if _, err := c.a.Router.HandleCallback(context.Background(), channel.Callback{Channel: channel.Telegram,
		ID: "genuine", From: manajer, Chat: group, MessageID: "42", Data: "ap:" + ref}); err != nil {
		t.Fatal(err)
	}
	if got := c.money(); got.decisions != before.decisions+1 {
		t.Fatalf("the genuine press decided nothing: %+v", got)
	}
}

// FuzzFlowInput sends arbitrary text in each dialog state: never an error,
// exactly one reply, and never a ledger posting from a member's message.
// go test -run X -fuzz FuzzFlowInput ./internal/app/
func FuzzFlowInput(f *testing.F) {
	states := [][]string{nil, {"simulasi"}, {"simulasi", "1"}, {"simulasi", "1", "5 juta"}, {"pinjam"},
		{"pinjam", "1"}, {"pinjam", "1", "2 juta"}, {"pinjam", "1", "2 juta", "6"}, {"pinjam", "1", "2 juta", "6", "modal"},
		{"bahasa"}, {"mutasi"}}
	for i, s := range []string{"saldo", "1", "5 juta", "ya", "tidak", "batal", "\u202e", "*x*", "", "12", "-3", "Rp 1,5 M"} {
		f.Add(uint8(i), s)
	}
	c := newCoop(f)
	var n atomic.Int64
	f.Fuzz(func(t *testing.T, state uint8, text string) {
		c.t = t
		chat := fmt.Sprintf("fuzz-%d", n.Add(1))
		for _, line := range states[int(state)%len(states)] {
			c.sayIn(siti, chat, line)
		}
		before := c.money()
		replies := c.sayIn(siti, chat, text)
		if len(replies) != 1 || replies[0] == c.a.Msgs.T("id", apologyID, nil) {
			t.Fatalf("%q: want one answer, got %q", text, replies)
		}
		if after := c.money(); after.postings != before.postings || after.transactions != before.transactions {
			t.Fatalf("%q: a member's message posted to the ledger", text)
		}
	})
}
