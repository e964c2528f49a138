package officer_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/loan"
)

// anuitas12 is the loan at the counter: Rp12.000.000 ANUITAS over
// 12 months at 1,25% (1.083.100 a month), disbursed 30 November 2026,
// installments 1 and 2 paid on their days (30/12, 30/01), 10.122.136 of
// principal left; the clock then stands on 17 February 2027, 18 days after
// the last due date. It returns the loan's ref.
func (e *env) anuitas12() string {
	e.t.Helper()
	a := e.applyProduct(e.siti, "ANUITAS", 12_000_000, 12)
	e.press(budi, "ap:"+a.Ref, "501")
	e.press(wati, "ap:"+a.Ref, "501")
	e.say(rina, rina, "/cair "+a.Ref) // not an approver: the maker-checker rule
	for _, due := range []time.Time{time.Date(2026, 12, 30, 10, 0, 0, 0, wib), time.Date(2027, 1, 30, 10, 0, 0, 0, wib)} {
		e.clk.Set(due)
		e.say(budi, budi, "/bayar "+a.Ref+" 1.083.100")
	}
	e.clk.Set(time.Date(2027, 2, 17, 10, 0, 0, 0, wib))
	return a.Ref
}

// TestPelunasan: the member asks what settling costs, today and on a date
// they name, and the officer's /bayar of that amount closes the loan with a
// receipt that says LUNAS. An amount above the principal but short of the
// settlement is refused with the exact figure.
func TestPelunasan(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ref := e.anuitas12()

	// 10.122.136 + 10.122.136 × 1,25% × 18/30 (75.916) = 10.198.052.
	today := one(t, "pelunasan", toSiti(e.sitiSays("pelunasan"))).Text
	contains(t, "pelunasan", today, "17/02/2027", "Rp10.122.136", "Rp75.916", "Rp10.198.052", "18 hari")
	// On 28 February installment 3 falls due (126.527 + 956.573) and no
	// day of the next period has run: 1.083.100 + 9.165.563 = 10.248.663.
	later := one(t, "pelunasan 28/02/2027", toSiti(e.sitiSays("pelunasan 28/02/2027"))).Text
	contains(t, "pelunasan on a date", later, "28/02/2027", "Rp10.248.663")
	contains(t, "a past date", one(t, "past", toSiti(e.sitiSays("pelunasan 01/01/2027"))).Text, "tidak bisa kami pakai")

	// The officer at the counter sees the same figures.
	contains(t, "/pelunasan", one(t, "/pelunasan", to(e.say(rina, rina, "/pelunasan A-0001"), channel.Telegram, rina)).Text,
		"A-0001", "Rp10.198.052", "/bayar")
	contains(t, "/pelunasan on a date", one(t, "/pelunasan date", to(e.say(rina, rina, "/pelunasan "+ref+" 28/02/2027"),
		channel.Telegram, rina)).Text, "28/02/2027", "Rp10.248.663")
	contains(t, "/pelunasan a bad date", one(t, "/pelunasan bad", to(e.say(rina, rina, "/pelunasan A-0001 kemarin dulu"),
		channel.Telegram, rina)).Text, "kemarin dulu")

	short := one(t, "short", to(e.say(budi, budi, "/bayar "+ref+" 10.150.000"), channel.Telegram, budi)).Text
	contains(t, "short of the settlement", short, "Rp10.198.052", "Rp10.122.136")

	rs := e.say(budi, budi, "/bayar "+ref+" 10.198.052")
	contains(t, "receipt", one(t, "receipt", toSiti(rs)).Text, "LUNAS", "Rp75.916", "Rp10.122.136")
	contains(t, "officer", one(t, "officer", to(rs, channel.Telegram, budi)).Text, "LUNAS")
	l, err := loan.LoanByRef(t.Context(), e.a.DB.R, ref)
	if err != nil {
		t.Fatal(err)
	}
	if !l.Closed {
		t.Errorf("loan %s still open", ref)
	}
	contains(t, "nothing left", one(t, "after", toSiti(e.sitiSays("pelunasan"))).Text, "tidak memiliki pinjaman")
	e.check()
}

// TestPrepaymentReceiptShowsTheNewSchedule: Rp5.000.000 paid on 17
// February re-amortises the loan (installment shrinks: 552.047 from
// installment 3, the last 552.052), and the member is sent the new
// schedule with the receipt.
func TestPrepaymentReceiptShowsTheNewSchedule(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ref := e.anuitas12()
	rs := toSiti(e.say(budi, budi, "/bayar "+ref+" 5.000.000"))
	if len(rs) != 2 {
		t.Fatalf("%d messages to Siti, want the receipt and the schedule: %+v", len(rs), rs)
	}
	contains(t, "receipt", rs[0].Text, "Bunga               Rp0", "Rp5.122.136", "(ke-3): Rp552.047 pada 28/02/2027")
	contains(t, "schedule", rs[1].Text, "Jadwal baru "+ref, "ke-3  28/02/2027  Rp552.047", "ke-12  30/11/2027  Rp552.052")
	if n := strings.Count(rs[1].Text, "\nke-"); n != 10 {
		t.Errorf("%d installments in the new schedule, want 10:\n%s", n, rs[1].Text)
	}
	e.check()
}
