package officer_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/savings"
)

// TestOneCalendar runs a day's work at half past midnight and half past
// eleven at night, local time, in each of Indonesia's three zones, with
// every clock reading UTC instants (as a server in UTC does): arrears days,
// denda, the saldo date, a request's number, a payment's value date and the
// report's day are all the cooperative's calendar date, 1 July 2027. Read
// as UTC dates, the midnight rows would be 30 June: a day less of arrears,
// a day less of denda, a June request number, a payment dated in June.
func TestOneCalendar(t *testing.T) {
	t.Parallel()
	zones := map[string]string{"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
	for name, zone := range zones {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		for _, hm := range [][2]int{{0, 30}, {23, 30}} {
			t.Run(fmt.Sprintf("%s-%02d%02d", name, hm[0], hm[1]), func(t *testing.T) {
				t.Parallel()
				local := time.Date(2027, 7, 1, hm[0], hm[1], 0, 0, loc)
				calendarDay(t, loc, local.UTC())
			})
		}
	}
}

func calendarDay(t *testing.T, loc *time.Location, at time.Time) {
	// Disbursed 21 May, installment 1 (Rp1.090.000: flat 1,5% on 6 juta
	// over 6 months) falls due on 21 June; by 1 July it is 10 days late and
	// its penalty days are 25 June–1 July: 7 × 0,1% × 1.090.000 = 7.630.
	e := newEnvIn(t, loc, time.Date(2027, 5, 21, 10, 0, 0, 0, loc).UTC())
	a := e.apply(6_000_000, 6)
	e.press(budi, "ap:"+a.Ref, e.announcement(a.Ref))
	contains(t, "disbursed", one(t, "disbursed", toSiti(e.say(rina, rina, "/cair "+a.Ref))).Text, "21/06/2027")
	andi := e.andi()

	e.clk.Set(at)
	contains(t, "tagihan", one(t, "tagihan", toSiti(e.sitiSays("tagihan"))).Text, "sejak 10 hari", "Rp7.630")
	contains(t, "saldo", one(t, "saldo", toSiti(e.sitiSays("saldo"))).Text, "Per 01/07/2027")

	var last string
	for _, line := range []string{"pinjam", "1", "2 juta", "6", "modal warung", "ya"} {
		rs := to(e.handle(channel.Message{Channel: channel.WhatsApp, ID: fmt.Sprintf("WA%d", e.seq.Add(1)),
			Chat: andi, From: andi, Phone: "6281298765432", Text: line, Kind: channel.Text}), channel.WhatsApp, andi)
		if len(rs) > 0 {
			last = rs[len(rs)-1].Text
		}
	}
	contains(t, "request", last, "PJ-2707-0001")

	rs := e.say(budi, budi, "/bayar A-0001 1.097.630")
	contains(t, "receipt", one(t, "receipt", toSiti(rs)).Text, "Rp7.630", "01/07/2027")
	var paidOn string
	if err := e.a.DB.R.QueryRow(`SELECT paid_on FROM loan_payments`).Scan(&paidOn); err != nil {
		t.Fatal(err)
	}
	if paidOn != "2027-07-01" {
		t.Errorf("payment value date %s, want 2027-07-01", paidOn)
	}
	report := one(t, "laporan", to(e.say(budi, budi, "/laporan"), channel.Telegram, budi)).Text
	contains(t, "laporan", report, "01/07/2027", "Angsuran    1  Rp1.097.630")
	e.check()
}

// andi is a second member on WhatsApp with Rp1.000.000 of savings; it
// returns his chat.
func (e *env) andi() string {
	e.t.Helper()
	ctx := context.Background()
	const chat = "6281298765432@s.whatsapp.net"
	e.write(func(tx *sql.Tx) error {
		m, err := member.Create(ctx, tx, member.Member{Number: "A-0002", Name: "Andi", Phone: "6281298765432",
			JoinedOn: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return err
		}
		if _, err := savings.Deposit(ctx, tx, savings.Movement{Key: "seed-andi", MemberID: m.ID, Kind: savings.Wajib,
			Amount: rp(1_000_000), ValueDate: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Actor: "seed"}); err != nil {
			return err
		}
		return member.Touch(ctx, tx, m.ID, channel.WhatsApp, chat, e.clk.Now())
	})
	return chat
}
