package officer_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/kolek"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/officer"
)

// TestKolekAnswersAsBefore: /kolek and /kesehatan read the loan book before
// the writer is taken; their answers on a small book are word for word
// what they were when the book was judged inside the write (the texts were
// taken from that code), the allowance posted and released the same.
func TestKolekAnswersAsBefore(t *testing.T) {
	t.Parallel()
	e, a := runningLoan(t)
	for _, s := range []struct {
		on       time.Time
		who, say string
		want     string
	}{
		{time.Date(2026, 7, 1, 10, 0, 0, 0, wib), budi, "/kolek",
			"*Kolektibilitas per 01/07/2026* (KSP (pinjaman bulanan))\n```\nKol  Jml       Baki debet   Penyisihan\nL       1    Rp3.000.000     Rp15.000\nKL      0            Rp0          Rp0\nD       0            Rp0          Rp0\nM       0            Rp0          Rp0\n```\nBaki debet: Rp3.000.000\nNPL (KL+D+M): Rp0 = 0%\nRPM: Rp0 = 0%\nPenyisihan wajib: Rp15.000; sudah dibukukan: Rp0\nTidak ada pinjaman yang pindah golongan 7 hari terakhir."},
		{time.Date(2026, 9, 30, 10, 0, 0, 0, wib), budi, "/kolek",
			"*Kolektibilitas per 30/09/2026* (KSP (pinjaman bulanan))\n```\nKol  Jml       Baki debet   Penyisihan\nL       0            Rp0          Rp0\nKL      1    Rp3.000.000    Rp300.000\nD       0            Rp0          Rp0\nM       0            Rp0          Rp0\n```\nBaki debet: Rp3.000.000\nNPL (KL+D+M): Rp3.000.000 = 100%\nRPM: Rp1.500.000 = 50%\nPenyisihan wajib: Rp300.000; sudah dibukukan: Rp0\n*Pindah golongan 7 hari terakhir*\n• PJ-2606-0001: L → KL pada 30/09/2026 (91 hari tunggakan)"},
		{time.Date(2026, 9, 30, 10, 5, 0, 0, wib), wati, "/kolek cadangan",
			"📒 Allowance 2026-09: required Rp300,000, booked before Rp0, posted Rp300,000 (transaction 4)."},
		{time.Date(2026, 9, 30, 10, 10, 0, 0, wib), budi, "/kesehatan",
			"*Kesehatan koperasi per 30/09/2026*\nPermenkop 9/2020 + Juknis Deputi Perkoperasian 15/2021\n```\nTata Kelola                - × 30% *\nProfil Risiko          25,00 × 15% *\nKinerja Keuangan       30,00 × 40%\nPermodalan             62,50 × 15%\n```\nSkor: *35,89* — parsial (aspek keuangan saja), tanpa predikat. Isi kuesioner dengan /kesehatan isi (aspek bertanda *).\n*Indikator yang paling mengurangi skor*\n• Risiko kredit: NPL (KL + D + M) / pinjaman: 100,00% → nilai 4 (−11,25 poin); ≤ 15 naik ke nilai 3\n• BOPO: beban operasional / pendapatan operasional: 999,00% → nilai 4 (−6,00 poin); < 100 naik ke nilai 3\n• NPM: SHU / pendapatan: 0,00% → nilai 4 (−6,00 poin); ≥ 5 naik ke nilai 3\nPredikat: ≥ 80 Sehat; 66 – < 80 Cukup Sehat; 51 – < 66 Dalam Pengawasan; < 51 Dalam Pengawasan Khusus (batas bawah termasuk)."},
		{time.Date(2026, 10, 5, 10, 0, 0, 0, wib), rina, "/bayar " + a.Ref + " 2 juta",
			"✅ *Angsuran PJ-2606-0001 dicatat* untuk Siti ∗Aminah∗ (A-0001), 05/10/2026\n```\nDibayar     Rp2.000.000\nDenda         Rp101.915\nBunga         Rp180.000\nPokok       Rp1.718.085\nSisa pokok  Rp1.281.915\n```\nBerikutnya: angsuran ke-4, Rp281.915 pada 01/10/2026.\nNo. transaksi: 5 (untuk koreksi: /batal 5). Kuitansi sudah dikirim ke anggota."},
		{time.Date(2026, 10, 5, 10, 5, 0, 0, wib), wati, "/kolek",
			"*Collectibility at 05/10/2026* (KSP (pinjaman bulanan))\n```\nCls  No.      Outstanding    Allowance\nL       1    Rp1,281,915      Rp6,410\nKL      0            Rp0          Rp0\nD       0            Rp0          Rp0\nM       0            Rp0          Rp0\n```\nOutstanding: Rp1,281,915\nNPL (KL+D+M): Rp0 = 0%\nRPM: Rp0 = 0%\nAllowance required: Rp6,410; booked: Rp300,000\n*Moved class in the last 7 days*\n• PJ-2606-0001: L → KL on 30/09/2026 (91 days past due)\n• PJ-2606-0001: KL → L on 05/10/2026 (4 days past due)"},
		{time.Date(2027, 2, 1, 10, 0, 0, 0, wib), budi, "/kolek",
			"*Kolektibilitas per 01/02/2027* (KSP (pinjaman bulanan))\n```\nKol  Jml       Baki debet   Penyisihan\nL       0            Rp0          Rp0\nKL      1    Rp1.281.915    Rp128.192\nD       0            Rp0          Rp0\nM       0            Rp0          Rp0\n```\nBaki debet: Rp1.281.915\nNPL (KL+D+M): Rp1.281.915 = 100%\nRPM: Rp640.958 = 50%\nPenyisihan wajib: Rp128.192; sudah dibukukan: Rp300.000\n*Pindah golongan 7 hari terakhir*\n• PJ-2606-0001: L → KL pada 01/02/2027 (123 hari tunggakan)"},
		{time.Date(2027, 2, 1, 10, 5, 0, 0, wib), wati, "/kolek cadangan",
			"📒 Allowance 2027-02: required Rp128,192, booked before Rp300,000, posted -Rp171,808 (transaction 6)."},
	} {
		e.clk.Set(s.on)
		got := one(t, s.say, to(e.say(s.who, s.who, s.say), channel.Telegram, s.who)).Text
		if got != s.want {
			t.Errorf("%s %s:\n%s\nwant\n%s", s.on.Format("02/01/2006"), s.say, got, s.want)
		}
	}
	e.check()
}

// TestKolekDoesNotHoldTheWriterWhileItJudges: while /kolek's read is in
// progress a write completes (members' answers do not wait for it), and
// the payment that write posted, which brings the loan back to Lancar, is
// in the class history /kolek records and in its answer.
func TestKolekDoesNotHoldTheWriterWhileItJudges(t *testing.T) {
	t.Parallel()
	e, a := runningLoan(t)
	ctx := context.Background()
	e.clk.Set(time.Date(2026, 9, 30, 10, 0, 0, 0, wib))
	contains(t, "kurang lancar", one(t, "kolek", e.say(budi, budi, "/kolek")).Text, "KL      1    Rp3.000.000")

	var wrote, calls int
	officer.AfterRead(e.a.Desk, func() {
		calls++
		// Bounded: a writer held by /kolek would fail this, not hang.
		wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if err := e.a.DB.Write(wctx, func(tx *sql.Tx) error {
			_, err := loan.Repay(wctx, tx, loan.Payment{Key: "meanwhile", LoanRef: a.Ref, Amount: rp(2_000_000),
				On: time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC), OfficerID: rina})
			return err
		}); err != nil {
			t.Errorf("a write while /kolek reads: %v", err)
			return
		}
		wrote++
	})
	text := one(t, "kolek", e.say(budi, budi, "/kolek")).Text
	if calls != 1 || wrote != 1 {
		t.Fatalf("/kolek read %d times, %d writes done meanwhile; want 1 and 1", calls, wrote)
	}
	contains(t, "paid meanwhile", text, "L       1    Rp1.273.195", "KL      0", a.Ref+": KL → L pada 30/09/2026")
	l, err := loan.LoanByRef(ctx, e.a.DB.R, a.Ref)
	if err != nil {
		t.Fatal(err)
	}
	h, err := kolek.History(ctx, e.a.DB.R, l.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 2 || h[1].To != "L" {
		t.Errorf("history %+v, want KL, then L", h)
	}
	// /kesehatan judges the book today too: in its read.
	contains(t, "kesehatan", one(t, "kesehatan", e.say(budi, budi, "/kesehatan")).Text, "Kesehatan koperasi per 30/09/2026")
	if calls != 2 {
		t.Errorf("/kesehatan: %d reads in all, want 2", calls)
	}
	e.check()
}
