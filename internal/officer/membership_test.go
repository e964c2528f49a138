package officer_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/channel/telegram/telegramtest"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/membership"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/withdraw"
)

func (e *env) members() int {
	e.t.Helper()
	var n int
	if err := e.a.DB.R.QueryRow(`SELECT count(*) FROM members`).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// proposal is the latest message to the group with buttons.
func (e *env) proposal() sentMsg {
	e.t.Helper()
	for i := len(e.sent) - 1; i >= 0; i-- {
		if e.sent[i].Chat == group && len(e.sent[i].Buttons) > 0 {
			return e.sent[i]
		}
	}
	e.t.Fatal("no message with buttons in the group")
	return sentMsg{}
}

func (e *env) member(number string) member.Member {
	e.t.Helper()
	m, err := member.ByNumber(context.Background(), e.a.DB.R, number)
	if err != nil {
		e.t.Fatal(err)
	}
	return m
}

// TestRegisterMember: /daftar gives the next member number, the phone as
// kopbot keeps it, the pokok owed, a welcome on WhatsApp, and forgets the
// prospect; a number in use, a bad number, a bad name, a missing name or
// someone who is no officer are answered and register nobody.
func TestRegisterMember(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// The number asked to join first and left its name.
	e.handle(channel.Message{Channel: channel.WhatsApp, ID: "p1", Chat: "6281298765432@s.whatsapp.net",
		Phone: "6281298765432", Text: "daftar Rina Wati", Kind: channel.Text})
	rs := e.say(budi, group, "/daftar 0812-9876-5432 Rina   Wati")
	contains(t, "registered", one(t, "reply", to(rs, channel.Telegram, group)).Text, "KMM-00001", "Rina Wati",
		"+6281298765432", "/setor KMM-00001 pokok 100000")
	contains(t, "welcome", one(t, "welcome", to(rs, channel.WhatsApp, "6281298765432@s.whatsapp.net")).Text,
		"Selamat datang", "KMM-00001", "Rp100.000")
	if m := e.member("KMM-00001"); m.Phone != "6281298765432" || m.Name != "Rina Wati" {
		t.Fatalf("registered %+v", m)
	}
	var prospects int
	if err := e.a.DB.R.QueryRow(`SELECT count(*) FROM membership_prospects`).Scan(&prospects); err != nil || prospects != 0 {
		t.Fatalf("%d prospects kept after registering (%v)", prospects, err)
	}
	// The card shows the pokok owed until it is paid.
	card := func() string {
		return one(t, "card", to(e.say(budi, group, "/anggota KMM-00001"), channel.Telegram, group)).Text
	}
	contains(t, "card", card(), "Simpanan pokok Rp100.000 belum dibayar")
	e.say(budi, group, "/setor KMM-00001 pokok 100rb")
	if strings.Contains(card(), "belum dibayar") {
		t.Error("the card still shows the pokok owed once paid")
	}
	// The next member counts on; the welcome goes in the cooperative's
	// language even when the officer reads English.
	rs = e.say(wati, group, "/daftar +62 812 1111 2222 Joko")
	contains(t, "second", one(t, "reply", to(rs, channel.Telegram, group)).Text, "KMM-00002", "member")
	before := e.members()
	for _, c := range []struct{ who, text, want string }{
		{budi, "/daftar 081234567890 Siti Lain", "sudah dipakai anggota *Siti ∗Aminah∗* (A-0001)"},
		{budi, "/daftar 0812 9876 5432 Rina Lagi", "KMM-00001"},
		{budi, "/daftar 12345 Tono", "tidak dapat dibaca"},
		{budi, "/daftar 081200000001 T0n0", "Nama “T0n0” tidak dapat dipakai"},
		{budi, "/daftar 081200000001", "/daftar <no. HP> <nama lengkap>"},
		{nobody, "/daftar 081200000001 Tono", "khusus untuk petugas"},
	} {
		chat := group
		if c.who == nobody {
			chat = nobody
		}
		rs := e.say(c.who, chat, c.text)
		contains(t, c.text, one(t, c.text, to(rs, channel.Telegram, chat)).Text, c.want)
		if wa := to(rs, channel.WhatsApp, "6281200000001@s.whatsapp.net"); len(wa) != 0 {
			t.Errorf("%s: WhatsApp %+v", c.text, wa)
		}
	}
	if e.members() != before {
		t.Fatalf("%d members after the refusals, want %d", e.members(), before)
	}
}

// TestMemberLeaves: /keluar shows the settlement and asks a manajer; a
// petugas cannot confirm; the manajer's press pays the savings out once,
// closes the accounts and sends the member the final statement; a second
// press, a deposit and /keluar again are refused; the ledger checks.
func TestMemberLeaves(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.say(budi, group, "/setor A-0001 sukarela 250rb")
	rs := e.say(budi, group, "/keluar A-0001")
	if n := len(to(rs, channel.Telegram, group)); n != 2 {
		t.Fatalf("/keluar sent the group %d messages, want the proposal and the notice", n)
	}
	contains(t, "notice", rs[len(rs)-1].Text, "menunggu konfirmasi manajer")
	proposed := e.proposal()
	contains(t, "proposal", proposed.Text, "Siti", "Rp100.000", "Rp4.900.000", "Rp250.000", "Rp5.250.000")
	data := button(t, proposed.Reply, "Konfirmasi keluar").Data
	before := e.counts()

	notice, _ := e.press(rina, data, proposed.id)
	contains(t, "petugas presses", notice, "Hanya manajer")
	if e.counts().postings != before.postings || e.member("A-0001").Left() {
		t.Fatal("a petugas's press moved money or closed the member")
	}
	notice, rs = e.press(wati, data, proposed.id)
	contains(t, "manajer presses", notice, "left", "Rp5,250,000") // Wati reads English
	statement := one(t, "statement", toSiti(rs)).Text
	contains(t, "statement", statement, "Pernyataan akhir", "A-0001", "Rp5.250.000", "Rp250.000")
	if m := e.member("A-0001"); !m.Left() || m.LeftOn.Format("2006-01-02") != "2026-11-30" {
		t.Fatalf("after leaving %+v", m)
	}
	b, err := savings.Summary(context.Background(), e.a.DB.R, e.siti.ID)
	if err != nil || !b.Total.IsZero() {
		t.Fatalf("savings after leaving %+v (%v)", b, err)
	}
	e.check()
	after := e.counts()

	notice, rs = e.press(wati, data, proposed.id)
	contains(t, "second press", notice, "#1", "already confirmed")
	if len(toSiti(rs)) != 0 || e.counts().postings != after.postings {
		t.Fatal("a second press posted or wrote to the member again")
	}
	rs = e.say(budi, group, "/setor A-0001 sukarela 10rb")
	contains(t, "deposit", one(t, "deposit", to(rs, channel.Telegram, group)).Text, "sudah keluar")
	rs = e.say(budi, group, "/keluar A-0001")
	contains(t, "again", one(t, "again", to(rs, channel.Telegram, group)).Text, "sudah keluar dari koperasi pada 30/11/2026")
	rs = e.say(budi, group, "/anggota A-0001")
	contains(t, "card", one(t, "card", to(rs, channel.Telegram, group)).Text, "Sudah keluar dari koperasi pada 30/11/2026")
	if e.counts().postings != after.postings {
		t.Fatal("something posted after leaving")
	}
	e.check()
}

// TestLeavingRules: savings short of the loan block leaving with the
// pelunasan and what to pay first shown, and no confirmation asked; the manajer who proposed cannot confirm; an
// officer never proposes or confirms their own leaving; savings changed
// since the settlement refuse the confirmation.
func TestLeavingRules(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, withDewi)
	dewiMember := e.addDewi()
	ref := e.withLoan()
	sent := len(e.sent)
	rs := e.say(budi, group, "/keluar A-0001")
	contains(t, "blocked", one(t, "blocked", to(rs, channel.Telegram, group)).Text, "Belum bisa keluar", ref,
		"pelunasan pinjaman hari ini Rp12.180.000", "paling sedikit Rp7.180.000", "/bayar A-0001 7180000")
	for _, m := range e.sent[sent:] {
		if len(m.Buttons) > 0 {
			t.Fatalf("a blocked leaving asked for confirmation: %+v", m)
		}
	}

	// Siti with a withdrawal approved but not yet paid out: blocked too.
	e.sukarela(2_000_000)
	w := e.ask("300rb", false)
	e.press(budi, withdraw.Data(withdraw.VerbApprove, w.ID), e.idOf("Permintaan penarikan "+w.Ref()))
	rs = e.say(budi, group, "/keluar A-0001")
	contains(t, "withdrawal", one(t, "withdrawal", to(rs, channel.Telegram, group)).Text, "Belum bisa keluar",
		"penarikan simpanan sukarela yang berjalan ("+w.Ref()+" Rp300.000)")

	rs = e.say(dewi, group, "/keluar A-0002")
	contains(t, "own", one(t, "own", to(rs, channel.Telegram, group)).Text, "sendiri")

	e.say(wati, group, "/keluar A-0002")
	proposed := e.proposal()
	data := button(t, proposed.Reply, "Konfirmasi keluar").Data
	for _, who := range []string{wati, dewi} { // the maker; the member
		before := e.counts()
		notice, _ := e.press(who, data, proposed.id)
		if e.member("A-0002").Left() || e.counts().postings != before.postings || e.counts().refused != before.refused+1 {
			t.Fatalf("%s confirmed A-0002 leaving: %q", who, notice)
		}
	}
	_ = dewiMember

	// Joko's savings change after the settlement was shown: the manajer's
	// confirmation is refused, and a new /keluar shows the new figure.
	e.say(budi, group, "/daftar 081277778888 Joko Susilo")
	e.say(budi, group, "/setor KMM-00001 pokok 100rb")
	e.say(budi, group, "/keluar KMM-00001")
	old := e.proposal()
	e.say(budi, group, "/setor KMM-00001 sukarela 50rb")
	notice, _ := e.press(wati, button(t, old.Reply, "Konfirmasi keluar").Data, old.id)
	contains(t, "changed", notice, "changed since the settlement")
	e.say(budi, group, "/keluar KMM-00001")
	fresh := e.proposal()
	contains(t, "fresh", fresh.Text, "Rp150.000")
	notice, rs = e.press(wati, button(t, fresh.Reply, "Konfirmasi keluar").Data, fresh.id)
	contains(t, "confirmed", notice, "Rp150,000")
	contains(t, "statement", one(t, "statement", to(rs, channel.WhatsApp, "6281277778888@s.whatsapp.net")).Text, "Rp150.000")
	e.check()
}

// TestMemberWithNothingLeaves: a member who never paid anything leaves on
// a manajer's press with no transaction at all.
func TestMemberWithNothingLeaves(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.say(budi, group, "/daftar 081277778888 Joko Susilo")
	e.say(budi, group, "/keluar KMM-00001")
	proposed := e.proposal()
	data := button(t, proposed.Reply, "Konfirmasi keluar").Data
	if notice, _ := e.press(budi, data, proposed.id); !strings.Contains(notice, "Hanya manajer") || e.member("KMM-00001").Left() {
		t.Fatalf("a petugas closed the member: %q", notice)
	}
	before := e.counts()
	_, rs := e.press(wati, data, proposed.id)
	contains(t, "statement", one(t, "statement", to(rs, channel.WhatsApp, "6281277778888@s.whatsapp.net")).Text,
		"Tidak ada simpanan")
	if !e.member("KMM-00001").Left() || e.counts().postings != before.postings {
		t.Fatal("not closed, or money moved")
	}
	notice, _ := e.press(wati, data, proposed.id)
	contains(t, "again", notice, "already left")
}

// TestMembershipOverTelegram registers a member and has one leave through
// the real Telegram client against a fake Bot API: the commands typed in
// the group, the confirmation pressed by the manajer on the message
// Telegram shows, and the ledger still checks.
func TestMembershipOverTelegram(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	srv, deliver := e.runBot()
	groupID, _ := strconv.ParseInt(group, 10, 64)
	budiID, _ := strconv.ParseInt(budi, 10, 64)
	watiID, _ := strconv.ParseInt(wati, 10, 64)

	srv.WaitConfirmed(srv.PushText(groupID, budiID, "/daftar 0812-9876-5432 Rina Wati"), 5*time.Second)
	deliver()
	if s := srv.WaitSent(1, 5*time.Second)[0]; s.ChatID != groupID || !strings.Contains(s.Text, "KMM-00001") {
		t.Fatalf("/daftar answered %+v", s)
	}
	srv.WaitConfirmed(srv.PushText(groupID, budiID, "/keluar A-0001"), 5*time.Second)
	deliver()
	var proposal telegramtest.SentMessage
	for _, s := range srv.WaitSent(3, 5*time.Second)[1:] {
		if s.ReplyMarkup != nil && len(s.ReplyMarkup.InlineKeyboard) == 1 {
			proposal = s
		}
	}
	if proposal.MessageID == 0 || !strings.Contains(proposal.Text, "Rp5.000.000") {
		t.Fatalf("no proposal with a button among %+v", srv.Sent())
	}
	srv.PushCallback(groupID, watiID, proposal.MessageID, proposal.ReplyMarkup.InlineKeyboard[0][0].CallbackData)
	if a := srv.WaitAnswered(1, 5*time.Second)[0]; !strings.Contains(a.Text, "left") {
		t.Fatalf("the press answered %+v", a)
	}
	if !e.member("A-0001").Left() {
		t.Fatal("Siti has not left")
	}
	contains(t, "statement", one(t, "statement", toSiti(e.drain())).Text, "Pernyataan akhir", "Rp5.000.000")
	e.check()
}

// TestMemberLeavesByTransfer: /keluar … transfer pays the savings to the
// account on file, out of the withdrawals' bank account and not the cash
// box, once; without an account on file it is refused, and an account
// changed after the proposal is not paid to.
func TestMemberLeavesByTransfer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.say(budi, group, "/setor A-0001 sukarela 250rb")
	contains(t, "bad word", joinReplies(e.say(budi, group, "/keluar A-0001 kredit")), "[tunai|transfer]")
	contains(t, "no account", joinReplies(e.say(budi, group, "/keluar A-0001 transfer")), "belum punya rekening terdaftar")
	e.say(budi, group, "/anggota A-0001 rekening BCA 1234567890 a.n. Siti Aminah")
	e.say(budi, group, "/keluar A-0001 transfer")
	proposed := e.proposal()
	contains(t, "proposal", proposed.Text, "Rp5.250.000", "dibayarkan dengan transfer ke rekening terdaftar BCA 1234567890 a.n. Siti Aminah")
	e.say(budi, group, "/anggota A-0001 rekening BNI 5555555555 a.n. Siti Aminah")
	notice, rs := e.press(wati, button(t, proposed.Reply, "Konfirmasi keluar").Data, proposed.id)
	contains(t, "changed", notice, "account on file of A-0001 changed")
	if len(toSiti(rs)) != 0 || e.member("A-0001").Left() {
		t.Fatal("paid to an account the manajer was not shown")
	}
	e.say(budi, group, "/keluar A-0001 transfer")
	proposed = e.proposal()
	data := button(t, proposed.Reply, "Konfirmasi keluar").Data
	_, rs = e.press(wati, data, proposed.id)
	contains(t, "statement", one(t, "statement", toSiti(rs)).Text, "Pernyataan akhir", "Rp5.250.000",
		"Dikirim dengan transfer ke rekening Anda BNI 5555555555 a.n. Siti Aminah")
	contains(t, "group", one(t, "left", texts(toGroup(rs))).Text, "Dibayarkan Rp5.250.000 dengan transfer ke rekening terdaftar BNI")
	var bank, cash int64
	if err := e.a.DB.R.QueryRow(`SELECT coalesce(sum(CASE WHEN a.code = ? THEN p.amount END), 0),
		coalesce(sum(CASE WHEN a.code = 'KAS' THEN p.amount END), 0)
		FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id JOIN ledger_transactions t ON t.id = p.tx_id
		WHERE t.idem_key = ?`, e.a.Desk.WithdrawRules().BankAccount, membership.LeaveKey(e.siti.ID)).Scan(&bank, &cash); err != nil {
		t.Fatal(err)
	}
	if bank != -5_250_000 || cash != 0 {
		t.Fatalf("payout: bank %d, cash %d; want Rp5.250.000 out of the bank only", bank, cash)
	}
	after := e.counts()
	if _, rs = e.press(wati, data, proposed.id); len(toSiti(rs)) != 0 || e.counts().postings != after.postings {
		t.Fatal("a second press paid again")
	}
	e.check()
}

// TestLeavingSetsTheLoanOff: a member whose savings do not cover their
// loan pays the difference first; then /keluar proposes the loan paid off
// from the savings, a payment in between makes the manajer's confirmation
// refused, and the confirmation closes the loan, empties the savings and
// tells the member how their savings paid it, all once.
func TestLeavingSetsTheLoanOff(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ref := e.withLoan() // Rp12.000.000; Siti holds Rp5.000.000
	e.say(budi, group, "/keluar A-0001")
	e.say(budi, group, "/bayar A-0001 7180000")
	rs := e.say(budi, group, "/keluar A-0001")
	notices := to(rs, channel.Telegram, group)
	contains(t, "proposal", notices[len(notices)-1].Text, "Pinjaman "+ref+" dilunasi dari simpanan (Rp5.000.000), tidak ada sisa")
	old := e.proposal()
	contains(t, "proposal", old.Text, "− Sisa pinjaman", "Rp5.000.000", "dilunasi dari simpanan")

	e.say(budi, group, "/bayar "+ref+" 10000")
	before := e.counts()
	notice, _ := e.press(wati, button(t, old.Reply, "Konfirmasi keluar").Data, old.id)
	contains(t, "changed", notice, "loan payoff", "changed since the settlement")
	if e.counts().postings != before.postings || e.member("A-0001").Left() {
		t.Fatal("a confirmation of an old pelunasan moved money or closed the member")
	}

	e.say(budi, group, "/keluar A-0001")
	fresh := e.proposal()
	contains(t, "fresh", fresh.Text, "Rp10.000", "dilunasi dari simpanan")
	data := button(t, fresh.Reply, "Konfirmasi keluar").Data
	notice, rs = e.press(wati, data, fresh.id)
	contains(t, "confirmed", notice, "left", ref+" paid off from the savings", "paid out Rp10,000")
	statement := one(t, "statement", toSiti(rs)).Text
	contains(t, "statement", statement, "Pernyataan akhir", "− Pelunasan pinjaman", "Rp4.990.000", "Rp10.000",
		"Pinjaman "+ref+" sudah lunas")
	st, err := loan.LoanStatusOf(context.Background(), e.a.DB.R, ref, e.clk.Now())
	if err != nil || !st.Closed {
		t.Fatalf("loan %s after leaving: %+v, %v", ref, st, err)
	}
	b, err := savings.Summary(context.Background(), e.a.DB.R, e.siti.ID)
	if err != nil || !b.Total.IsZero() || !e.member("A-0001").Left() {
		t.Fatalf("savings after leaving %+v (%v)", b, err)
	}
	e.check()
	after := e.counts()
	notice, rs = e.press(wati, data, fresh.id)
	contains(t, "second press", notice, "already confirmed")
	if len(toSiti(rs)) != 0 || e.counts().postings != after.postings {
		t.Fatal("a second press posted or wrote to the member again")
	}
	// The set-off is not undone by /batal: it would reopen a former
	// member's loan and savings.
	setOff, err := ledger.TxByKey(context.Background(), e.a.DB.R, "repay:"+membership.SetOffKey(e.siti.ID, ref))
	if err != nil {
		t.Fatal(err)
	}
	rs = e.say(wati, group, "/batal "+strconv.FormatInt(setOff.ID, 10)+" salah hitung")
	contains(t, "batal", one(t, "batal", to(rs, channel.Telegram, group)).Text, "A-0001 has left the cooperative")
	if len(toSiti(rs)) != 0 || e.counts().postings != after.postings {
		t.Fatal("/batal of the set-off posted or wrote to the former member")
	}
}
