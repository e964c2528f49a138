package officer_test

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/officer"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/withdraw"
)

// sukarela gives Siti amount of simpanan sukarela.
func (e *env) sukarela(amount int64) {
	e.t.Helper()
	e.write(func(tx *sql.Tx) error {
		_, err := savings.Deposit(context.Background(), tx, savings.Movement{Key: "seed-sukarela-" + e.clk.Now().String(),
			MemberID: e.siti.ID, Kind: savings.Sukarela, Amount: rp(amount), ValueDate: e.clk.Now(), Actor: "seed"})
		return err
	})
}

func (e *env) sitiSukarela() int64 {
	e.t.Helper()
	b, err := savings.Summary(context.Background(), e.a.DB.R, e.siti.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return b.Sukarela.IntPart()
}

func (e *env) withdrawals() []withdraw.Withdrawal {
	e.t.Helper()
	ws, err := withdraw.OpenOf(context.Background(), e.a.DB.R, e.siti.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return ws
}

// lastText is the text of the last reply to Siti.
func lastText(t *testing.T, rs []channel.Reply) string {
	t.Helper()
	s := toSiti(rs)
	if len(s) == 0 {
		t.Fatalf("no reply to Siti in %+v", rs)
	}
	return s[len(s)-1].Text
}

// TestWithdrawMemberTexts: what a member types and what kopbot answers,
// the refusals before anything is asked of the officers included.
func TestWithdrawMemberTexts(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name     string
		sukarela int64
		arrears  bool
		says     []string
		wants    []string
		// asked is whether a request reached the officers.
		asked bool
	}{
		{name: "wajib is not withdrawable", sukarela: 1_000_000, says: []string{"tarik wajib"},
			wants: []string{"simpanan wajib tidak bisa ditarik selama masih menjadi anggota", "dikembalikan", "keluar", "Rp4.900.000"}},
		{name: "pokok in a sentence", sukarela: 1_000_000, says: []string{"mau ambil uang simpanan pokok saya"},
			wants: []string{"simpanan pokok tidak bisa ditarik", "dikembalikan"}},
		{name: "pokok after a keyword", sukarela: 1_000_000, says: []string{"ambil simpanan pokok 100rb"},
			wants: []string{"simpanan pokok tidak bisa ditarik"}},
		{name: "below the minimum", sukarela: 1_000_000, says: []string{"tarik 995rb"},
			wants: []string{"Rp995.000 melebihi yang bisa ditarik (Rp990.000)", "saldo minimal Rp10.000", "Berapa yang mau ditarik"}},
		{name: "nothing above the minimum", sukarela: 10_000, says: []string{"tarik"},
			wants: []string{"belum ada simpanan sukarela yang bisa ditarik", "saldo minimal Rp10.000"}},
		{name: "arrears", sukarela: 1_000_000, arrears: true, says: []string{"ambil tabungan 500rb"},
			wants: []string{"angsuran atau denda terlambat sebesar Rp1.18"}},
		{name: "bad amount", sukarela: 1_000_000, says: []string{"tarik", "banyak"},
			wants: []string{"Berapa yang mau ditarik"}},
		{name: "bad account", sukarela: 1_000_000, says: []string{"tarik 100rb", "2", "rekening saya"},
			wants: []string{"rekeningnya belum terbaca"}},
		{name: "changed her mind", sukarela: 1_000_000, says: []string{"tarik 100rb", "1", "ga jadi"},
			wants: []string{"tidak jadi dikirim"}},
		{name: "informal, cash", sukarela: 2_000_000, says: []string{"mau ambil uang tabungan", "1,5 juta", "tunai", "ya"},
			wants: []string{"W-1", "Rp1.500.000", "tunai, diambil di kantor", "batal tarik"}, asked: true},
		{name: "amount and kind in one go, transfer", sukarela: 2_000_000,
			says:  []string{"tarik sukarela 1,5 juta", "2", "BRI 0123 0100 0123 501 a.n. Siti", "ya"},
			wants: []string{"W-1", "Rp1.500.000", "transfer ke BRI 0123 0100 0123 501 a.n. Siti"}, asked: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			if c.arrears {
				e.withLoan()
				e.clk.Set(time.Date(2027, 1, 4, 10, 0, 0, 0, wib)) // the first installment, due 30/12, is late
			}
			e.sukarela(c.sukarela)
			var rs []channel.Reply
			for _, s := range c.says {
				rs = e.sitiSays(s)
			}
			contains(t, c.name, lastText(t, rs), c.wants...)
			ws := e.withdrawals()
			if c.asked != (len(ws) == 1) {
				t.Fatalf("requests %+v, want one: %v", ws, c.asked)
			}
			if c.asked {
				ann := one(t, "announcement", texts(toGroup(rs)))
				contains(t, "announcement", ann.Text, "W-1", "Siti", "Rp1.500.000")
				if b := button(t, ann, "Setujui"); b.Data != withdraw.Data(withdraw.VerbApprove, ws[0].ID) {
					t.Fatalf("Setujui %+v", b)
				}
				button(t, ann, "Tolak")
			} else if g := toGroup(rs); len(g) != 0 {
				t.Fatalf("the group heard of a refused request: %+v", g)
			}
			if got := e.sitiSukarela(); got != c.sukarela {
				t.Fatalf("sukarela %d, want %d: nothing moves before an officer", got, c.sukarela)
			}
		})
	}
}

// ask has Siti request amount by transfer (or cash) and returns the request.
func (e *env) ask(amount string, transfer bool) withdraw.Withdrawal {
	e.t.Helper()
	e.sitiSays("tarik " + amount)
	if transfer {
		e.sitiSays("2")
		e.sitiSays("BRI 1234567890 Siti")
	} else {
		e.sitiSays("1")
	}
	e.sitiSays("ya")
	ws := e.withdrawals()
	if len(ws) == 0 {
		e.t.Fatal("no request recorded")
	}
	return ws[len(ws)-1]
}

// TestWithdrawTransferPostedOnce: Setujui on a transfer posts it at once,
// the member gets the receipt, and a second press, by anyone, posts
// nothing more.
func TestWithdrawTransferPostedOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.sukarela(2_000_000)
	w := e.ask("500rb", true)
	ann := e.idOf("Permintaan penarikan " + w.Ref())
	notice, rs := e.press(budi, withdraw.Data(withdraw.VerbApprove, w.ID), ann)
	contains(t, "notice", notice, w.Ref(), "dibukukan")
	contains(t, "receipt", one(t, "receipt", toSiti(rs)).Text, "sudah dibayarkan", "Rp500.000", "Saldo sukarela: Rp1.500.000")
	contains(t, "group", one(t, "group", texts(toGroup(rs))).Text, w.Ref(), "dibukukan oleh Budi")
	if len(toGroup(rs)) < 2 {
		t.Fatalf("the announcement keeps its buttons: %+v", rs)
	}
	before := e.counts()
	for _, who := range []string{budi, rina} {
		notice, rs = e.press(who, withdraw.Data(withdraw.VerbApprove, w.ID), ann)
		contains(t, "second press", notice, w.Ref(), "sudah dibayarkan", "Budi")
		if len(toSiti(rs)) != 0 {
			t.Fatalf("a second receipt: %+v", rs)
		}
	}
	if got := e.sitiSukarela(); got != 1_500_000 {
		t.Fatalf("sukarela %d after two presses", got)
	}
	if after := e.counts(); after.postings != before.postings {
		t.Fatalf("postings %d → %d", before.postings, after.postings)
	}
	e.check()
}

// TestWithdrawCashPaidOut: cash is approved, then posted only when an
// officer records it paid out, by button or by /bayarkan, once.
func TestWithdrawCashPaidOut(t *testing.T) {
	t.Parallel()
	for _, typed := range []bool{false, true} {
		t.Run(map[bool]string{false: "button", true: "typed"}[typed], func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.sukarela(2_000_000)
			w := e.ask("300rb", false)
			_, rs := e.press(budi, withdraw.Data(withdraw.VerbApprove, w.ID), e.idOf("Permintaan penarikan "+w.Ref()))
			contains(t, "member told", one(t, "to Siti", toSiti(rs)).Text, "disetujui", "ambil tunai di kantor", w.Ref())
			paid := one(t, "approved", texts(toGroup(rs)))
			if b := button(t, paid, "Sudah dibayar"); b.Data != withdraw.Data(withdraw.VerbPaid, w.ID) {
				t.Fatalf("button %+v", b)
			}
			if got := e.sitiSukarela(); got != 2_000_000 {
				t.Fatalf("sukarela %d before the payout", got)
			}
			if st := e.sitiSays("saldo"); true {
				contains(t, "saldo", lastText(t, st), "Sedang diproses", w.Ref(), "disetujui, silakan ambil di kantor")
			}
			for i := range 2 {
				if typed {
					rs = e.say(rina, rina, "/bayarkan "+w.Ref())
				} else {
					_, rs = e.press(rina, withdraw.Data(withdraw.VerbPaid, w.ID), e.idOf("Sudah dibayar", w.Ref()))
				}
				if n := len(toSiti(rs)); (i == 0) != (n == 1) {
					t.Fatalf("payout %d: %d receipts", i, n)
				}
			}
			if got := e.sitiSukarela(); got != 1_700_000 {
				t.Fatalf("sukarela %d after the payout", got)
			}
			e.check()
		})
	}
}

// TestWithdrawDuties: no officer decides on their own account, and above
// the limit a petugas's Setujui waits for a manajer, whom another petugas
// cannot stand in for.
func TestWithdrawDuties(t *testing.T) {
	t.Parallel()
	t.Run("own account", func(t *testing.T) {
		t.Parallel()
		e := newEnvWith(t, func(o *app.Options) { o.Officers[0].Member = "A-0001" })
		e.sukarela(2_000_000)
		w := e.ask("500rb", true)
		notice, rs := e.press(budi, withdraw.Data(withdraw.VerbApprove, w.ID), e.idOf("Permintaan penarikan "+w.Ref()))
		if len(toSiti(rs)) != 0 || e.sitiSukarela() != 2_000_000 || !strings.Contains(notice, "rekening anggota Anda sendiri") {
			t.Fatalf("own account: %q %+v", notice, rs)
		}
		e.say(budi, budi, "/tarik "+w.Ref()+" tolak saya sendiri")
		if ws := e.withdrawals(); len(ws) != 1 || ws[0].Status != withdraw.Pending {
			t.Fatalf("after own reject: %+v", ws)
		}
		e.press(rina, withdraw.Data(withdraw.VerbApprove, w.ID), e.idOf("Permintaan penarikan "+w.Ref()))
		if got := e.sitiSukarela(); got != 1_500_000 {
			t.Fatalf("another officer's approval: sukarela %d", got)
		}
	})
	// Cash approved by the manajer posts nothing yet: the confirmed
	// proposal keeps no transaction until the payout.
	for _, transfer := range []bool{true, false} {
		t.Run(map[bool]string{true: "manajer above the limit, transfer", false: "manajer above the limit, cash"}[transfer], func(t *testing.T) {
			t.Parallel()
			e := newEnvWith(t, func(o *app.Options) {
				o.Withdraw = withdraw.Rules{Minimum: rp(10_000), BlockArrears: true, ManagerLimit: rp(1_000_000), BankAccount: "BANK-BRI"}
			})
			e.sukarela(5_000_000)
			w := e.ask("2 juta", transfer)
			ann := e.idOf("Permintaan penarikan " + w.Ref())
			for _, m := range e.sent {
				if m.id == ann {
					contains(t, "announcement", m.Text, "perlu persetujuan manajer")
				}
			}
			notice, rs := e.press(budi, withdraw.Data(withdraw.VerbApprove, w.ID), ann)
			contains(t, "petugas", notice, "diteruskan ke manajer")
			prop := one(t, "proposal", texts(toGroup(rs)))
			confirm := button(t, prop, "Konfirmasi")
			if e.sitiSukarela() != 5_000_000 || len(toSiti(rs)) != 0 {
				t.Fatal("a petugas's press above the limit approved it")
			}
			notice, _ = e.press(rina, confirm.Data, e.idOf(w.Ref(), "manajer"))
			contains(t, "another petugas", notice, "hanya bisa dikonfirmasi oleh manajer")
			_, rs = e.press(wati, confirm.Data, e.idOf(w.Ref(), "manajer"))
			if transfer {
				contains(t, "receipt", one(t, "receipt", toSiti(rs)).Text, "Rp2.000.000", "sudah dibayarkan")
			} else {
				contains(t, "approved", one(t, "to Siti", toSiti(rs)).Text, "ambil tunai di kantor")
				e.press(rina, withdraw.Data(withdraw.VerbPaid, w.ID), e.idOf("Sudah dibayar", w.Ref()))
			}
			if got := e.sitiSukarela(); got != 3_000_000 {
				t.Fatalf("sukarela %d after the manajer", got)
			}
			_, rs = e.press(wati, confirm.Data, e.idOf(w.Ref(), "manajer"))
			if len(toSiti(rs)) != 0 || e.sitiSukarela() != 3_000_000 {
				t.Fatal("confirmed twice")
			}
			e.check()
		})
	}
}

// TestWithdrawRejectAndCancel: Tolak tells the member; a member cancels an
// open request, the officers are told and its buttons go, and a press
// after that moves nothing.
func TestWithdrawRejectAndCancel(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.sukarela(2_000_000)
	w := e.ask("100rb", false)
	rs := e.say(budi, group, "/tarik "+w.Ref()+" tolak data rekening belum lengkap")
	contains(t, "member", one(t, "to Siti", toSiti(rs)).Text, "tidak disetujui", "Alasan: data rekening belum lengkap")

	w = e.ask("200rb", false)
	contains(t, "status", lastText(t, e.sitiSays("tarik status")), w.Ref(), "menunggu petugas")
	contains(t, "confirm", lastText(t, e.sitiSays("batal tarik")), "Batalkan penarikan *"+w.Ref()+"*")
	rs = e.sitiSays("ya")
	contains(t, "cancelled", lastText(t, rs), "sudah dibatalkan")
	contains(t, "group", one(t, "group", texts(toGroup(rs))).Text, "dibatalkan oleh anggota")
	if len(toGroup(rs)) < 2 {
		t.Fatalf("the announcement keeps its buttons: %+v", rs)
	}
	notice, rs := e.press(budi, withdraw.Data(withdraw.VerbApprove, w.ID), e.idOf("Permintaan penarikan "+w.Ref()))
	contains(t, "press after cancel", notice, "dibatalkan")
	if len(toSiti(rs)) != 0 || e.sitiSukarela() != 2_000_000 {
		t.Fatalf("moved after a cancel: %+v", rs)
	}
	contains(t, "nothing open", lastText(t, e.sitiSays("batal tarik")), "Tidak ada penarikan")
	e.check()
}

// TestWithdrawTelegram drives a withdrawal through the real Telegram
// adapter against the fake Bot API: the announcement goes out with its
// buttons, Setujui is answered and posts, the buttons go.
func TestWithdrawTelegram(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.sukarela(2_000_000)
	srv, deliver := e.runBot()
	ctx := context.Background()
	groupID, _ := strconv.ParseInt(group, 10, 64)
	officerID, _ := strconv.ParseInt(rina, 10, 64)

	// Siti's request, announced again through the bot for a real message.
	w := e.ask("750rb", true)
	e.write(func(tx *sql.Tx) error { return e.a.Desk.AnnounceWithdrawal(ctx, tx, w, e.siti, e.clk.Now()) })
	deliver()
	ann := srv.WaitSent(1, 5*time.Second)[0]
	if ann.ChatID != groupID || ann.ReplyMarkup == nil || len(ann.ReplyMarkup.InlineKeyboard) != 2 {
		t.Fatalf("announcement %+v", ann)
	}
	query := srv.PushCallback(groupID, officerID, ann.MessageID, withdraw.Data(withdraw.VerbApprove, w.ID))
	answered := srv.WaitAnswered(1, 5*time.Second)
	if answered[0].QueryID != query || !strings.Contains(answered[0].Text, "dibukukan") {
		t.Fatalf("answer %+v", answered[0])
	}
	if got := e.sitiSukarela(); got != 1_250_000 {
		t.Fatalf("sukarela %d", got)
	}
	deliver()
	removed := false
	for _, ed := range srv.WaitEdits(1, 5*time.Second) {
		removed = removed || ed.MessageID == ann.MessageID && (ed.ReplyMarkup == nil || len(ed.ReplyMarkup.InlineKeyboard) == 0)
	}
	if !removed {
		t.Fatalf("edits %+v, want the announcement's buttons removed", srv.Edits())
	}
	receipt := toSiti(e.drain())
	contains(t, "receipt", one(t, "receipt", receipt).Text, "Rp750.000", "sudah dibayarkan")
	e.check()
}

// TestWithdrawFromMenu: the main menu lists the withdrawal, in both
// languages, and its number leads into the withdrawal dialog to a request
// the officers receive.
func TestWithdrawFromMenu(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		lang, item, ask, amount string
	}{
		{"id", "*9* Tarik simpanan sukarela", "Berapa yang mau ditarik", "Rp100.000"},
		{"en", "*9* Withdraw voluntary savings", "How much", "Rp100,000"},
	} {
		t.Run(c.lang, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.write(func(tx *sql.Tx) error { return member.SetLanguage(context.Background(), tx, e.siti.ID, c.lang) })
			e.sukarela(1_000_000)
			contains(t, "menu", lastText(t, e.sitiSays("menu")), c.item)
			contains(t, "9", lastText(t, e.sitiSays("9")), c.ask)
			for _, s := range []string{"100rb", "1"} {
				e.sitiSays(s)
			}
			rs := e.sitiSays("ya")
			contains(t, "submitted", lastText(t, rs), "W-1", c.amount)
			if ws := e.withdrawals(); len(ws) != 1 || ws[0].Method != withdraw.Cash || ws[0].Amount.IntPart() != 100_000 {
				t.Fatalf("requests %+v", ws)
			}
			one(t, "announcement", texts(toGroup(rs)))
		})
	}
}

// TestWithdrawRejectByButtonAsksReason: Tolak under a request decides
// nothing until the officer who pressed it replies to the prompt; that
// reply is the reason the member reads. Another officer's reply, chatter
// in the group, or a reason after the wait lapsed rejects nothing.
func TestWithdrawRejectByButtonAsksReason(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		// late is how long after the press the reason comes.
		late time.Duration
		want withdraw.Status
	}{
		{"reason in time", time.Minute, withdraw.Rejected},
		{"reason too late", officer.DefaultReasonWait + time.Minute, withdraw.Pending},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.sukarela(2_000_000)
			w := e.ask("100rb", false)
			ann := e.idOf("Permintaan penarikan " + w.Ref())
			contains(t, "early reply", joinReplies(e.replyTo(rina, ann, "kurang jelas")), "tekan *Tolak*", "/tarik "+w.Ref()+" tolak")
			notice, rs := e.press(budi, withdraw.Data(withdraw.VerbReject, w.ID), ann)
			contains(t, "notice", notice, "alasan penolakan "+w.Ref())
			contains(t, "prompt", one(t, "prompt", toGroup(rs)).Text, "Budi", "alasan penolakan penarikan "+w.Ref())
			prompt := e.idOf("alasan penolakan penarikan", w.Ref())
			for _, rs := range [][]channel.Reply{e.say(budi, group, "sebentar ya"), e.replyTo(rina, prompt, "saya saja yang tolak")} {
				if len(toSiti(rs)) != 0 {
					t.Fatalf("taken as the reason: %+v", rs)
				}
			}
			if ws := e.withdrawals(); len(ws) != 1 || ws[0].Status != withdraw.Pending {
				t.Fatalf("before the reason: %+v", ws)
			}
			e.clk.Advance(c.late)
			rs = e.replyTo(budi, prompt, "saldo sedang diperiksa")
			got, err := withdraw.ByID(context.Background(), e.a.DB.R, w.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != c.want {
				t.Fatalf("status %s, want %s", got.Status, c.want)
			}
			if c.want == withdraw.Pending {
				contains(t, "late", joinReplies(rs), "sudah lewat", "/tarik "+w.Ref()+" tolak")
				if len(toSiti(rs)) != 0 {
					t.Fatalf("a late reason reached the member: %+v", rs)
				}
				return
			}
			contains(t, "member", one(t, "to Siti", toSiti(rs)).Text, "tidak disetujui", "Alasan: saldo sedang diperiksa")
			if got.DecidedBy != budi || got.Reason != "saldo sedang diperiksa" {
				t.Fatalf("recorded %+v", got)
			}
			removed := false
			for _, r := range toGroup(rs) {
				removed = removed || r.EditOf == ann
			}
			if !removed {
				t.Fatalf("the request keeps its buttons: %+v", rs)
			}
			notice, rs = e.press(rina, withdraw.Data(withdraw.VerbApprove, w.ID), ann)
			contains(t, "late press", notice, "ditolak", "Budi")
			if len(toSiti(rs)) != 0 || e.sitiSukarela() != 2_000_000 {
				t.Fatalf("moved after the rejection: %+v", rs)
			}
			e.check()
		})
	}
}

// TestWithdrawToAccountOnFile: a transfer goes to the account on file,
// shown to the member and marked on the officers' card; with none on file,
// or when the member wants another, the account typed stays with the
// request, is flagged to the officers, and never reaches the register.
func TestWithdrawToAccountOnFile(t *testing.T) {
	t.Parallel()
	onFile := member.BankAccount{Bank: "BCA", Number: "1234567890", Holder: "Siti Aminah"}
	for _, c := range []struct {
		name    string
		file    member.BankAccount
		says    []string
		offered string // what the member is offered, "" for the question
		account string
		typed   bool
	}{
		{"on file", onFile, []string{"ya"}, "rekening Anda yang terdaftar di koperasi, *BCA 1234567890 a.n. Siti Aminah*",
			"BCA 1234567890 a.n. Siti Aminah", false},
		{"none on file", member.BankAccount{}, []string{"BRI 0123 0100 0123 501 a.n. Siti"}, "",
			"BRI 0123 0100 0123 501 a.n. Siti", true},
		{"another than on file", onFile, []string{"tidak", "BRI 0123 0100 0123 501 a.n. Siti"}, "terdaftar di koperasi",
			"BRI 0123 0100 0123 501 a.n. Siti", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.sukarela(2_000_000)
			e.write(func(tx *sql.Tx) error { return member.SetBankAccount(context.Background(), tx, e.siti.ID, c.file) })
			e.sitiSays("tarik 500rb")
			asked := lastText(t, e.sitiSays("2"))
			if c.offered == "" {
				contains(t, "asked", asked, "Ke rekening mana", "hanya untuk penarikan ini")
			} else {
				contains(t, "offered", asked, c.offered)
			}
			var review string
			for _, s := range c.says {
				review = lastText(t, e.sitiSays(s))
			}
			contains(t, "review", review, c.account)
			rs := e.sitiSays("ya")
			ws := e.withdrawals()
			if len(ws) != 1 || ws[0].Account != c.account || ws[0].OnFile == c.typed {
				t.Fatalf("requests %+v, want one to %q (typed %v)", ws, c.account, c.typed)
			}
			ann := one(t, "announcement", texts(toGroup(rs))).Text
			contains(t, "card", ann, c.account)
			if warned := strings.Contains(ann, "bukan rekening terdaftar"); warned != c.typed {
				t.Fatalf("card warns of a typed account: %v, want %v:\n%s", warned, c.typed, ann)
			}
			m, err := member.ByID(context.Background(), e.a.DB.R, e.siti.ID)
			if err != nil || m.Bank != c.file {
				t.Fatalf("register %+v %v after the request, want %+v unchanged", m.Bank, err, c.file)
			}
		})
	}
	t.Run("changed since it was shown", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		e.sukarela(2_000_000)
		e.write(func(tx *sql.Tx) error { return member.SetBankAccount(context.Background(), tx, e.siti.ID, onFile) })
		for _, s := range []string{"tarik 500rb", "2", "ya"} {
			e.sitiSays(s)
		}
		e.say(budi, group, "/anggota A-0001 rekening BNI 5555555555 a.n. Siti Aminah")
		contains(t, "refused", lastText(t, e.sitiSays("ya")), "baru saja diubah petugas")
		if ws := e.withdrawals(); len(ws) != 0 {
			t.Fatalf("a request to the account shown before the change: %+v", ws)
		}
	})
}

// TestBankAccountByOfficer: /anggota … rekening puts an account on file,
// tells the member, shows on the card; hapus takes it off; an officer's own
// record and an account without a number are refused.
func TestBankAccountByOfficer(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, func(o *app.Options) { o.Officers[1].Member = "A-0001" })
	bank := func() member.BankAccount {
		m, err := member.ByID(context.Background(), e.a.DB.R, e.siti.ID)
		if err != nil {
			t.Fatal(err)
		}
		return m.Bank
	}
	for _, c := range []struct {
		who, text, reply, toSiti string
		want                     member.BankAccount
	}{
		{rina, "/anggota A-0001 rekening BCA 1234567890 a.n. Siti Aminah", "rekening anggota Anda sendiri", "", member.BankAccount{}},
		{budi, "/anggota A-0001 rekening BCA a.n. Siti", "/anggota <no. anggota> rekening", "", member.BankAccount{}},
		{budi, "/anggota A-0001 rekening BCA 1234-567-890 a.n. Siti Aminah", "BCA 1234567890 a.n. Siti Aminah",
			"sekarang *BCA 1234567890 a.n. Siti Aminah*", member.BankAccount{Bank: "BCA", Number: "1234567890", Holder: "Siti Aminah"}},
		{budi, "/anggota A-0001", "Rekening terdaftar: BCA 1234567890 a.n. Siti Aminah", "",
			member.BankAccount{Bank: "BCA", Number: "1234567890", Holder: "Siti Aminah"}},
		{budi, "/anggota A-0001 rekening hapus", "dihapus", "sudah dihapus", member.BankAccount{}},
	} {
		rs := e.say(c.who, c.who, c.text)
		contains(t, c.text, joinReplies(to(rs, channel.Telegram, c.who)), c.reply)
		if s := toSiti(rs); (c.toSiti == "") != (len(s) == 0) {
			t.Fatalf("%s: to Siti %+v", c.text, s)
		} else if c.toSiti != "" {
			contains(t, c.text, s[0].Text, c.toSiti)
		}
		if got := bank(); got != c.want {
			t.Fatalf("%s: on file %+v, want %+v", c.text, got, c.want)
		}
	}
}
