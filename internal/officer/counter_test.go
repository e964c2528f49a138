package officer_test

import (
	"context"
	"testing"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/savings"
)

// reply is the one answer to the officer in their private chat.
func reply(t *testing.T, rs []channel.Reply, officer string) string {
	t.Helper()
	return one(t, "reply to "+officer, to(rs, channel.Telegram, officer)).Text
}

func TestCounterWork(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.apply(5_000_000, 10)
	e.say(budi, budi, "/setujui "+a.Ref)

	rs := e.say(rina, rina, "/cair "+a.Ref) // Budi approved: another officer pays out
	contains(t, "/cair", reply(t, rs, rina), "dicairkan", "Rp5.000.000", "30/12/2026", "Rp575.000")
	contains(t, "disbursed notice", one(t, "notice", toSiti(rs)).Text, "dicairkan", "Rp575.000", "30/12/2026")
	disbursement := e.lastTx()

	rs = e.say(budi, budi, "/bayar a-0001 575rb")
	contains(t, "/bayar", reply(t, rs, budi), "Rp575.000", "Rp75.000", "Rp500.000", "Rp4.500.000", "/batal")
	contains(t, "receipt", one(t, "receipt", toSiti(rs)).Text, "Kuitansi", "Rp575.000", "Rp75.000", "Rp500.000",
		"Rp4.500.000", "ke-2", "30/01/2027")
	payment := e.lastTx()

	rs = e.say(wati, wati, "/batal "+payment+" salah anggota")
	contains(t, "/batal", reply(t, rs, wati), "reversed", payment)
	contains(t, "corrected", one(t, "corrected", toSiti(rs)).Text, "dikoreksi", "angsuran pinjaman "+a.Ref, "Rp575.000")
	st, err := loan.LoanStatusOf(ctx, e.a.DB.R, a.Ref, e.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !st.OutstandingPrincipal.Equal(rp(5_000_000)) {
		t.Fatalf("after /batal the loan owes %s principal, want 5000000", st.OutstandingPrincipal)
	}
	reversal := e.lastTx()

	rs = e.say(rina, rina, "/setor A-0001 sukarela 250rb")
	contains(t, "/setor", reply(t, rs, rina), "Rp250.000", "Sukarela")
	contains(t, "deposit receipt", one(t, "deposit", toSiti(rs)).Text, "Rp250.000", "Rp5.250.000")
	deposit := e.lastTx()
	e.say(wati, wati, "/batal "+deposit)
	if b, err := savings.Summary(ctx, e.a.DB.R, e.siti.ID); err != nil || !b.Sukarela.IsZero() {
		t.Fatalf("sukarela after /batal: %v %v", b.Sukarela, err)
	}
	e.check()

	for _, c := range []struct {
		from, text, want string
	}{
		{budi, "/cair " + a.Ref, "statusnya sudah cair"},
		{budi, "/cair PJ-0000-0000", "tidak ditemukan"},
		{budi, "/bayar A-0001 1.500 juta", "bisa dibaca dua cara"},
		{budi, "/bayar A-0001 abc", "angka"},
		{budi, "/bayar A-9999 100rb", "Anggota A-9999 tidak ditemukan"},
		{budi, "/bayar PJ-0000-0000 100rb", "PJ-0000-0000 tidak ditemukan"},
		{budi, "/bayar A-0001 100 juta", "melebihi seluruh kewajiban"},
		{budi, "/bayar A-0001", "belum lengkap"},
		{budi, "/setor A-0001 emas 100rb", "emas tidak dikenal"},
		{budi, "/setor A-0001 wajib -5rb", "minus"},
		{budi, "/anggota 0899", "tidak ditemukan"},
		{wati, "/batal 99999", "not found"},
		{wati, "/batal abc", "not found"},
		{wati, "/batal " + disbursement, "disbursement"},
		{wati, "/batal " + reversal, "itself a reversal"},
		{wati, "/batal " + payment, "already been reversed"},
	} {
		before := e.counts()
		got := reply(t, e.say(c.from, c.from, c.text), c.from)
		contains(t, c.text, got, c.want)
		after := e.counts()
		if after.postings != before.postings || after.payments != before.payments || after.loans != before.loans ||
			after.decisions != before.decisions || after.refused != before.refused+1 {
			t.Errorf("%s: before %+v after %+v", c.text, before, after)
		}
	}
	e.check()
}

func TestLookups(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.apply(12_000_000, 12)
	e.clk.Advance(50 * 3600 * 1e9)
	contains(t, "/antrian", reply(t, e.say(budi, budi, "/antrian"), budi), a.Ref, "Siti ∗Aminah∗", "Rp12.000.000",
		"menunggu", "2 hari")
	for _, who := range []string{"A-0001", "0812-3456-7890", "+6281234567890"} {
		contains(t, "/anggota "+who, reply(t, e.say(budi, budi, "/anggota "+who), budi), "Siti ∗Aminah∗",
			"6281234567890", "Rp4.900.000", "Rp15.000.000", a.Ref)
	}
	contains(t, "/bantuan", reply(t, e.say(wati, wati, "/bantuan"), wati), "/bayar", "/batal", "managers only")
	contains(t, "private chatter", reply(t, e.say(budi, budi, "halo"), budi), "/bantuan")
	e.say(budi, group, "/setujui "+a.Ref)
	e.say(wati, group, "/setujui "+a.Ref)
	e.say(rina, rina, "/cair "+a.Ref)
	e.say(budi, budi, "/setor A-0001 wajib 100rb")
	contains(t, "/laporan", reply(t, e.say(budi, budi, "/laporan"), budi), "02/12/2026", "Rp12.000.000",
		"Wajib: setor 1× Rp100.000")
}
