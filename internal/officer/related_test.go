package officer_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/duty"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/officer"
	"github.com/kopmem/kopbot/internal/savings"
)

// The supervisory board in these tests: Pak Pengawas is pengawas and
// member A-0001 (Siti, the borrower), Bu Pengawas is pengawas and no
// member.
const (
	pakPengawas = "3001"
	buPengawas  = "3002"
)

// relatedEnv is an env whose officers include extra, under a related-party
// cap of half the equity (modal sendiri: Rp5.000.000 of savings).
func relatedEnv(t *testing.T, extra ...officer.Officer) *env {
	return buildEnv(t, nil, time.Date(2026, 11, 2, 9, 0, 0, 0, wib), func(o *app.Options) {
		o.Officers = append(o.Officers, extra...)
		o.Duties = duty.DefaultRules()
		o.Duties.RelatedCap = decimal.New(50, -2)
	})
}

// TestRelatedPartyLoansNeedTheBoard: Siti (A-0001) is an officer's own
// member record, so her small loan is approved only by one manajer
// (pengurus) and one pengawas, neither of them Siti; a cooperative with no
// pengawas is told it cannot approve it at all.
func TestRelatedPartyLoansNeedTheBoard(t *testing.T) {
	t.Parallel()
	sitiPengawas := officer.Officer{ID: pakPengawas, Name: "Pak Pengawas", Role: loan.RolePengawas, Member: "A-0001"}
	sitiPetugas := officer.Officer{ID: pakPengawas, Name: "Pak Pengawas", Role: loan.RolePetugas, Member: "A-0001"}
	other := officer.Officer{ID: buPengawas, Name: "Bu Pengawas", Role: loan.RolePengawas}
	type approval struct {
		by   string
		want []string // in the approver's reply, "" none checked
	}
	for _, c := range []struct {
		name      string
		officers  []officer.Officer
		approvals []approval
		want      loan.Status
	}{
		{"petugas and manajer: no pengawas approved", []officer.Officer{sitiPengawas, other}, []approval{
			{budi, []string{"satu persetujuan pengurus (manajer) dan satu persetujuan pengawas", "Permenkop 8/2023"}},
			{wati, []string{"Related-party loan", "pengawas"}},
		}, loan.StatusAwaitingSecond},
		{"manajer then pengawas", []officer.Officer{sitiPengawas, other}, []approval{
			{wati, []string{"Related-party loan"}},
			{buPengawas, nil},
		}, loan.StatusApproved},
		{"pengawas then manajer", []officer.Officer{sitiPengawas, other}, []approval{
			{buPengawas, []string{"Pinjaman pihak terkait"}},
			{wati, nil},
		}, loan.StatusApproved},
		{"two pengawas", []officer.Officer{other, {ID: "3003", Name: "Pak Ketua Pengawas", Role: loan.RolePengawas},
			sitiPetugas}, []approval{
			{buPengawas, nil},
			{"3003", []string{"satu persetujuan pengurus (manajer) dan satu persetujuan pengawas"}},
		}, loan.StatusAwaitingSecond},
		{"the borrower's own approval", []officer.Officer{sitiPengawas, other}, []approval{
			{wati, nil},
			{pakPengawas, []string{"rekening anggota Anda sendiri"}},
		}, loan.StatusAwaitingSecond},
		{"no pengawas configured", []officer.Officer{sitiPetugas}, []approval{
			{wati, []string{"cannot be approved", "no pengawas", `role = "pengawas"`}},
			{budi, []string{"tidak dapat disetujui", "belum ada pengawas"}},
		}, loan.StatusPending},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := relatedEnv(t, c.officers...)
			a := e.apply(2_000_000, 6)
			for _, ap := range c.approvals {
				rs := to(e.say(ap.by, ap.by, "/setujui "+a.Ref), channel.Telegram, ap.by)
				if len(ap.want) > 0 {
					contains(t, ap.by+" approves", one(t, ap.by, rs).Text, ap.want...)
				}
			}
			if got := e.status(a.Ref); got != c.want {
				t.Errorf("%s after %v, want %s", got, c.approvals, c.want)
			}
			e.check()
		})
	}
}

// TestAPengawasOnlyDecidesRelatedLoans: a pengawas moves no money and
// decides no other member's loan; each refusal says what a pengawas does.
func TestAPengawasOnlyDecidesRelatedLoans(t *testing.T) {
	t.Parallel()
	e := relatedEnv(t, officer.Officer{ID: buPengawas, Name: "Bu Pengawas", Role: loan.RolePengawas})
	a := e.apply(2_000_000, 6) // Siti is no officer's member here
	for _, text := range []string{"/setujui " + a.Ref, "/tolak " + a.Ref + " tidak"} {
		contains(t, text, one(t, text, to(e.say(buPengawas, buPengawas, text), channel.Telegram, buPengawas)).Text,
			"Pengawas hanya memutus pinjaman pihak terkait")
	}
	before := e.counts()
	for _, text := range []string{"/setor A-0001 sukarela 100rb", "/cair " + a.Ref, "/bayar " + a.Ref + " 100rb",
		"/batal 1 salah", "/info " + a.Ref + " apa"} {
		contains(t, text, one(t, text, to(e.say(buPengawas, buPengawas, text), channel.Telegram, buPengawas)).Text,
			"pengawas hanya dapat melihat /antrian", "dilakukan oleh petugas atau manajer")
	}
	for _, data := range []string{"if:" + a.Ref, "cf:1"} {
		n, _ := e.press(buPengawas, data, "9")
		contains(t, "press "+data, n, "pengawas hanya dapat melihat /antrian")
	}
	if after := e.counts(); after.postings != before.postings || after.decisions != before.decisions {
		t.Errorf("a pengawas moved something: before %+v after %+v", before, after)
	}
	if got := e.status(a.Ref); got != loan.StatusPending {
		t.Errorf("a pengawas decided a member's loan: %s", got)
	}
	// /bantuan lists a pengawas what they may use, and a petugas everything.
	help := one(t, "help", e.say(buPengawas, buPengawas, "/bantuan")).Text
	contains(t, "pengawas help", help, "/antrian", "/setujui", "/tolak", "Sebagai pengawas")
	for _, other := range []string{"/setor", "/cair", "/bayar", "/batal", "/info", "/keluar", "Minta info"} {
		if strings.Contains(help, other) {
			t.Errorf("a pengawas's /bantuan lists %s:\n%s", other, help)
		}
	}
	contains(t, "petugas help", one(t, "help", e.say(rina, rina, "/bantuan")).Text, "/setor", "/cair", "Minta info")
}

// TestRelatedPartyLoansAreCapped: a loan that takes the related parties'
// loans above the cap of modal sendiri (Rp5.000.000 of savings × 50% here)
// is refused with the figures, one at the cap passes.
func TestRelatedPartyLoansAreCapped(t *testing.T) {
	t.Parallel()
	e := relatedEnv(t, officer.Officer{ID: pakPengawas, Name: "Pak Pengawas", Role: loan.RolePengawas, Member: "A-0001"},
		officer.Officer{ID: buPengawas, Name: "Bu Pengawas", Role: loan.RolePengawas},
		officer.Officer{ID: "3003", Name: "Bu Pengurus", Role: loan.RolePetugas, Member: "A-0002"})
	a := e.apply(2_000_000, 6)
	e.say(wati, wati, "/setujui "+a.Ref)
	e.say(pakPengawas, pakPengawas, "/setujui "+a.Ref) // refused: his own member record
	if got := e.status(a.Ref); got != loan.StatusAwaitingSecond {
		t.Fatalf("the borrower's own approval left %s", got)
	}
	e.say(buPengawas, buPengawas, "/setujui "+a.Ref)
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
	rs := e.say(budi, budi, "/setujui "+b.Ref)
	contains(t, "above the cap", one(t, "cap", rs).Text, "pengurus/pengawas", "Rp2.000.000", "Rp600.000", "50%",
		"Rp5.000.000", "Rp2.500.000")
	e.say(rina, rina, "/tolak "+b.Ref+" di atas batas pihak terkait")
	c := e.applyFor(pengurus, 500_000, 6)
	rs = e.say(wati, wati, "/setujui "+c.Ref)
	contains(t, "at the cap", one(t, "at cap", to(rs, "telegram", wati)).Text, "Related-party loan")
	e.check()
}
