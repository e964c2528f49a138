package officer_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/duty"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/officer"
	"github.com/kopmem/kopbot/internal/savings"
)

// TestRelatedPartyLoansNeedTheBoardAndACap: Siti is also pengawas (an
// officer's own member record), so her small loan needs two approvals, the
// second a manajer's, and a loan that takes the related parties' loans
// above the cap of modal sendiri (Rp5.000.000 of savings × 50% here) is
// refused with the figures.
func TestRelatedPartyLoansNeedTheBoardAndACap(t *testing.T) {
	t.Parallel()
	e := buildEnv(t, nil, time.Date(2026, 11, 2, 9, 0, 0, 0, wib), func(o *app.Options) {
		o.Officers = append(o.Officers, officer.Officer{ID: "3001", Name: "Pak Pengawas", Role: loan.RolePetugas,
			Member: "A-0001"}, officer.Officer{ID: "3002", Name: "Bu Pengurus", Role: loan.RolePetugas, Member: "A-0002"})
		o.Duties = duty.DefaultRules()
		o.Duties.RelatedCap = decimal.New(50, -2)
	})
	a := e.apply(2_000_000, 6)
	rs := e.say(budi, budi, "/setujui "+a.Ref)
	contains(t, "first approval", one(t, "first", to(rs, "telegram", budi)).Text, "Menunggu persetujuan manajer")
	rs = e.say(wati, wati, "/setujui "+a.Ref)
	contains(t, "board approved", one(t, "manajer", to(rs, "telegram", wati)).Text, a.Ref)
	e.say(rina, rina, "/cair "+a.Ref)

	var pengurus member.Member
	e.write(func(tx *sql.Tx) error {
		var err error
		ctx := context.Background()
		if pengurus, err = member.Create(ctx, tx, member.Member{Number: "A-0002", Name: "Bu Pengurus", Phone: "6281300000002",
			JoinedOn: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)}); err != nil {
			return err
		}
		_, err = savings.Deposit(ctx, tx, savings.Movement{Key: "seed-pengurus", MemberID: pengurus.ID, Kind: savings.Sukarela,
			Amount: rp(1_000_000), ValueDate: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Actor: "seed"})
		return err
	})
	// Sukarela is a liability: modal sendiri stays Rp5.000.000.
	b := e.applyFor(pengurus, 600_000, 6)
	rs = e.say(budi, budi, "/setujui "+b.Ref)
	contains(t, "above the cap", one(t, "cap", rs).Text, "pengurus/pengawas", "Rp2.000.000", "Rp600.000", "50%",
		"Rp5.000.000", "Rp2.500.000")
	e.say(rina, rina, "/tolak "+b.Ref+" di atas batas pihak terkait")
	c := e.applyFor(pengurus, 500_000, 6)
	rs = e.say(budi, budi, "/setujui "+c.Ref)
	contains(t, "at the cap", one(t, "at cap", to(rs, "telegram", budi)).Text, "Menunggu persetujuan manajer")
	e.check()
}
