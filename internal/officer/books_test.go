package officer_test

import (
	"strings"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/loan"
	"testing"
	"time"
)

func TestJournalNeracaAndLabaRugi(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rs := e.say(budi, budi, "/jurnal 5202 150.000 kas listrik November")
	contains(t, "small entry", one(t, "small", rs).Text, "5202 Beban operasional kantor", "Rp150.000", "30/11/2026")

	rs = e.say(budi, budi, "/jurnal 5201 6 juta bank 25/11/2026 gaji November")
	contains(t, "large entry", one(t, "maker", to(rs, channel.Telegram, budi)).Text, "usulan #1", "/jurnal setujui 1", "Belum ada yang dibukukan")
	contains(t, "asked the group", one(t, "group", toGroup(rs)).Text, "Jurnal untuk dikonfirmasi* #1", "5201 Beban gaji", "Rp6.000.000")
	before := e.counts()
	for _, c := range []struct{ who, text, want string }{
		{budi, "/jurnal setujui 1", "Anda catat sendiri"},
		{budi, "/konfirmasi 1", "Anda catat sendiri"},
		{rina, "/jurnal setujui 2", "Tidak ada jurnal no. 2"},
		{rina, "/jurnal setujui dua", "Tidak ada jurnal no. dua"},
	} {
		rs = e.say(c.who, c.who, c.text)
		contains(t, c.text, one(t, c.text, rs).Text, c.want)
	}
	if c := e.counts(); c.postings != before.postings {
		t.Fatal("the maker's own approval posted")
	}
	rs = e.say(rina, rina, "/jurnal setujui 1")
	contains(t, "approved", one(t, "checker", to(rs, channel.Telegram, rina)).Text, "Rp6.000.000", "25/11/2026")
	contains(t, "group told", one(t, "group", toGroup(rs)).Text, "Jurnal #1", "dicatat Budi, *dikonfirmasi* Rina")
	rs = e.say(wati, wati, "/konfirmasi 1")
	contains(t, "confirmed twice", one(t, "twice", rs).Text, "already confirmed")

	rs = e.say(budi, budi, "/jurnal 3101 1000 kas")
	contains(t, "member account", one(t, "member account", rs).Text, "/setor")
	rs = e.say(budi, budi, "/jurnal 5202 1000 kas 01/12/2026")
	contains(t, "future", one(t, "future", rs).Text, "belum tiba")

	rs = e.say(budi, budi, "/neraca")
	text := one(t, "neraca", rs).Text
	contains(t, "neraca", text, "Neraca per 30/11/2026", "seimbang ✅", "3101 Simpanan pokok", "3102 Simpanan wajib",
		"Rp4.900.000", "-Rp6.150.000")
	rs = e.say(budi, budi, "/labarugi 2026-11")
	contains(t, "labarugi", one(t, "labarugi", rs).Text, "Perhitungan hasil usaha 2026-11", "5201 Beban gaji",
		"Rp6.000.000", "SHU sebelum pajak: -Rp6.150.000")
	rs = e.say(budi, budi, "/labarugi 2026-10")
	contains(t, "october", one(t, "october", rs).Text, "SHU sebelum pajak: Rp0")
	rs = e.say(budi, budi, "/neraca kemarin")
	contains(t, "bad date", one(t, "bad date", rs).Text, "tidak terbaca")

	// A journal entry is reversed like any other transaction.
	rs = e.say(wati, wati, "/batal "+e.lastTx()+" salah akun")
	contains(t, "reversed", one(t, "reversed", rs).Text, "*reversed* by transaction", "gaji November")
	rs = e.say(budi, budi, "/labarugi 2026-11")
	contains(t, "after reversal", one(t, "after reversal", rs).Text, "SHU sebelum pajak: -Rp150.000")
	e.check()
}

func TestBackdatedPaymentIntoAClosedMonthIsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.clk.Set(time.Date(2026, 10, 1, 9, 0, 0, 0, wib))
	a := e.apply(3_000_000, 6)
	e.press(budi, "ap:"+a.Ref, "501")
	e.press(wati, "ap:"+a.Ref, "501")
	e.say(rina, rina, "/cair "+a.Ref) // not an approver: duty keeps the approver from paying out

	e.clk.Set(time.Date(2026, 11, 30, 10, 0, 0, 0, wib))
	rs := e.say(budi, budi, "/tutupbuku 2026-10")
	contains(t, "petugas closes", one(t, "petugas", rs).Text, "manajer")
	rs = e.say(wati, wati, "/tutupbuku 2026-11")
	contains(t, "month not ended", one(t, "not ended", rs).Text, "cannot be closed yet")
	rs = e.say(wati, wati, "/tutupbuku 2026-10")
	contains(t, "closed", one(t, "closed", rs).Text, "2026-10 are closed")

	before := e.counts()
	rs = e.say(budi, budi, "/bayar "+a.Ref+" 500.000 31/10/2026")
	reply := one(t, "backdated", rs).Text
	contains(t, "backdated into a closed month", reply, "sudah ditutup", "bulan yang masih buka")
	if c := e.counts(); c.postings != before.postings || c.payments != before.payments {
		t.Fatalf("a refused payment wrote money: %+v → %+v", before, c)
	}
	rs = e.say(budi, budi, "/bayar "+a.Ref+" 500.000 02/11/2026")
	if got := toSiti(rs); len(got) != 1 || !strings.Contains(got[0].Text, "02/11/2026") {
		t.Fatalf("payment dated in the open month: %+v", rs)
	}
	e.check()
}

// runningLoan is Siti's Rp3.000.000 loan over 6 months, disbursed on
// 01/06/2026.
func runningLoan(t *testing.T) (*env, loan.Application) {
	t.Helper()
	e := newEnv(t)
	e.clk.Set(time.Date(2026, 6, 1, 9, 0, 0, 0, wib))
	a := e.apply(3_000_000, 6)
	e.press(budi, "ap:"+a.Ref, "501")
	e.press(wati, "ap:"+a.Ref, "501")
	e.say(rina, rina, "/cair "+a.Ref)
	return e, a
}

func TestKolekShowsTheBookAndPostsTheAllowanceOnce(t *testing.T) {
	t.Parallel()
	e, a := runningLoan(t)

	e.clk.Set(time.Date(2026, 7, 1, 10, 0, 0, 0, wib))
	contains(t, "lancar", one(t, "kolek", e.say(budi, budi, "/kolek")).Text, "L       1    Rp3.000.000     Rp15.000", "NPL (KL+D+M): Rp0 = 0%")
	// Nothing paid: on 30/09 the first installment (01/07) is 91 days past due.
	e.clk.Set(time.Date(2026, 9, 30, 10, 0, 0, 0, wib))
	text := one(t, "kolek", e.say(budi, budi, "/kolek")).Text
	contains(t, "kurang lancar", text, "KL      1    Rp3.000.000    Rp300.000", "NPL (KL+D+M): Rp3.000.000 = 100%",
		"RPM: Rp1.500.000 = 50%", "Penyisihan wajib: Rp300.000; sudah dibukukan: Rp0", a.Ref+": L → KL pada 30/09/2026 (91 hari")

	contains(t, "petugas", one(t, "petugas", e.say(budi, budi, "/kolek cadangan")).Text, "manajer")
	contains(t, "posted", one(t, "posted", e.say(wati, wati, "/kolek cadangan")).Text, "posted Rp300,000")
	contains(t, "again", one(t, "again", e.say(wati, wati, "/kolek cadangan")).Text, "already booked")
	contains(t, "booked", one(t, "booked", e.say(budi, budi, "/kolek")).Text, "sudah dibukukan: Rp300.000")
	contains(t, "agunan", one(t, "agunan", e.say(budi, budi, "/agunan "+a.Ref+" 2,5 juta BPKB motor")).Text,
		"Rp2.500.000 BPKB motor")
	e.check()
}

func TestManualKolekClassNeedsASecondOfficer(t *testing.T) {
	t.Parallel()
	e, a := runningLoan(t)
	e.clk.Set(time.Date(2026, 7, 20, 10, 0, 0, 0, wib))
	for _, c := range []struct{ text, want string }{
		{"/kolek turun " + a.Ref + " M", "/kolek turun <ref>"},
		{"/kolek turun " + a.Ref + " L sudah lunas", "lebih buruk dari kelasnya sekarang (L, KL, D, M)"},
		{"/kolek turun " + a.Ref + " X pengadilan", "lebih buruk"},
		{"/kolek turun PJ-0000-9999 M pengadilan", "Tidak ada pinjaman berjalan PJ-0000-9999"},
	} {
		contains(t, c.text, one(t, c.text, e.say(budi, budi, c.text)).Text, c.want)
	}
	rs := e.say(budi, budi, "/kolek turun "+a.Ref+" m gugatan wanprestasi di PN Bandung")
	contains(t, "proposed", one(t, "maker", to(rs, channel.Telegram, budi)).Text, "dari L ke *M*", "Belum berlaku")
	contains(t, "group card", one(t, "group", toGroup(rs)).Text, "Kelas pinjaman untuk dikonfirmasi", "Rp3.000.000",
		"gugatan wanprestasi")
	data := confirmButton(t, rs)
	contains(t, "still L", one(t, "kolek", e.say(budi, budi, "/kolek")).Text, "L       1    Rp3.000.000")
	contains(t, "maker confirms", one(t, "maker", e.say(budi, budi, "/konfirmasi "+strings.TrimPrefix(data, "cf:"))).Text,
		"Anda catat sendiri")
	_, rs = e.press(rina, data, "900")
	contains(t, "confirmed", one(t, "confirmed", toGroup(texts(rs))).Text, "L → *M*", "dikonfirmasi* Rina")
	text := one(t, "kolek", e.say(budi, budi, "/kolek")).Text
	contains(t, "macet", text, "M       1    Rp3.000.000  Rp3.000.000", a.Ref+": L → M pada 20/07/2026")
	contains(t, "twice", one(t, "twice", e.say(wati, wati, "/konfirmasi "+strings.TrimPrefix(data, "cf:"))).Text,
		"already confirmed")
	e.check()
}

func TestSHUComputedApprovedDistributedAndExplained(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.clk.Set(time.Date(2027, 1, 5, 10, 0, 0, 0, wib))
	rs := e.say(budi, budi, "/shu hitung 2026")
	contains(t, "no SHU in the books", one(t, "none", rs).Text, "Tidak ada SHU positif")
	rs = e.say(budi, budi, "/shu hitung 2026 10 juta")
	contains(t, "computed", one(t, "computed", rs).Text, "Perhitungan SHU 2026", "Rp10.000.000 (diketik)",
		"Cadangan             Rp6.000.000", "Jasa usaha anggota   Rp0", "1 anggota", "A-0001")
	contains(t, "petugas approves", one(t, "petugas", e.say(budi, budi, "/shu setujui 2026")).Text, "manajer")
	contains(t, "approved", one(t, "approved", e.say(wati, wati, "/shu setujui 2026")).Text, "approved")
	contains(t, "year open", one(t, "open", e.say(wati, wati, "/shu bagikan 2026")).Text, "not closed")
	e.say(wati, wati, "/tutupbuku 2026-12")
	rs = e.say(wati, wati, "/shu bagikan 2026")
	contains(t, "distributed", one(t, "distributed", rs).Text, "booked for 1 members")
	contains(t, "twice", one(t, "twice", e.say(wati, wati, "/shu bagikan 2026")).Text, "not booked twice")
	e.check()
}

func TestKesehatanPartialThenBanded(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.say(budi, budi, "/jurnal 4103 2 juta kas biaya administrasi")
	e.say(budi, budi, "/jurnal 5202 500.000 kas listrik")
	text := one(t, "partial", e.say(budi, budi, "/kesehatan")).Text
	contains(t, "partial", text, "Kesehatan koperasi per 30/11/2026", "parsial (aspek keuangan saja)", "Tata Kelola",
		"≥ 80 Sehat")
	if strings.Contains(text, "— *Sehat*") || strings.Contains(text, "— *Cukup") {
		t.Errorf("a partial report gave a band: %q", text)
	}
	contains(t, "petugas", one(t, "petugas", e.say(budi, budi, "/kesehatan isi TK1 8/10")).Text, "manajer")
	contains(t, "bad", one(t, "bad", e.say(wati, wati, "/kesehatan isi TK1 11/10")).Text, "cannot be used")
	contains(t, "typed whole", one(t, "whole", e.say(wati, wati, "/kesehatan isi TK2 9/10")).Text, "recorded")
	contains(t, "not in the group", one(t, "group", e.say(wati, group, "/kesehatan isi")).Text, "private chat")
	// The dialog: one indicator at a time, in the manajer's private chat.
	for _, s := range []struct{ text, want string }{
		{"/kesehatan isi", "*TK1*"},
		{"delapan", "not readable: write a number from 0 to 10"},
		{"11", "not readable"},
		{"8 RAT tepat waktu", "Answer TK1 recorded: 8/10 points (80,00%)"},
		{"lewati", "*PR1*"},
		{"7/10", "Answer PR1 recorded: 7/10"},
	} {
		contains(t, s.text, one(t, s.text, e.say(wati, wati, s.text)).Text, s.want)
	}
	// The last answer ended the dialog: a number now is no answer.
	contains(t, "after the end", one(t, "after", e.say(wati, wati, "7")).Text, "/bantuan")
	e.say(wati, wati, "/kesehatan isi")
	contains(t, "stopped", one(t, "stop", e.say(wati, wati, "selesai")).Text, "stopped")
	contains(t, "after stop", one(t, "after stop", e.say(wati, wati, "8")).Text, "/bantuan")
	e.clk.Set(e.clk.Now().Add(2 * time.Hour))
	e.say(wati, wati, "/kesehatan isi")
	e.clk.Set(e.clk.Now().Add(2 * time.Hour))
	contains(t, "lapsed", one(t, "lapsed", e.say(wati, wati, "8")).Text, "/bantuan")
	text = one(t, "banded", e.say(budi, budi, "/kesehatan")).Text
	if strings.Contains(text, "parsial") || !strings.Contains(text, "— *") {
		t.Errorf("a complete report: %q", text)
	}
	contains(t, "2016", one(t, "2016", e.say(budi, budi, "/kesehatan 2016")).Text, "Per.Dep 06", "Jatidiri")
	e.check()
}
