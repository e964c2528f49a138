package officer_test

import (
	"context"
	"database/sql"
	"strconv"
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

// dewi is a manajer who is also member A-0002; the config spells her
// number with a look-alike hyphen in lower case, as a copy from a
// spreadsheet would.
const dewi = "3001"

func withDewi(o *app.Options) {
	o.Officers = append(o.Officers, officer.Officer{ID: dewi, Name: "Dewi", Role: loan.RoleManajer, Member: "a\u20100002"})
}

// addDewi makes member A-0002 with Rp5.000.000 of wajib.
func (e *env) addDewi() member.Member {
	e.t.Helper()
	ctx := context.Background()
	var m member.Member
	e.write(func(tx *sql.Tx) error {
		var err error
		m, err = member.Create(ctx, tx, member.Member{Number: "A-0002", Name: "Dewi", Phone: "6281299990000",
			JoinedOn: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return err
		}
		if _, err := savings.Deposit(ctx, tx, savings.Movement{Key: "seed-dewi", MemberID: m.ID, Kind: savings.Wajib,
			Amount: rp(5_000_000), ValueDate: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Actor: "seed"}); err != nil {
			return err
		}
		return member.Touch(ctx, tx, m.ID, channel.WhatsApp, "6281299990000@s.whatsapp.net", e.clk.Now())
	})
	return m
}

// auditRow is the newest audit row.
type auditRow struct {
	officer, action, subject string
	ok                       bool
	amount, txID             sql.NullInt64
}

func (e *env) lastAudit() auditRow {
	e.t.Helper()
	var r auditRow
	if err := e.a.DB.R.QueryRow(`SELECT officer_id, action, subject, ok, amount, tx_id FROM officer_audit
		ORDER BY id DESC LIMIT 1`).Scan(&r.officer, &r.action, &r.subject, &r.ok, &r.amount, &r.txID); err != nil {
		e.t.Fatal(err)
	}
	return r
}

// confirmButton finds the Konfirmasi button's data in what the group got.
func confirmButton(t *testing.T, rs []channel.Reply) string {
	t.Helper()
	for _, r := range toGroup(rs) {
		for _, row := range r.Buttons {
			for _, b := range row {
				if strings.HasPrefix(b.Data, "cf:") {
					return b.Data
				}
			}
		}
	}
	t.Fatalf("no confirmation button in %+v", rs)
	return ""
}

func TestLargeDepositNeedsASecondOfficer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	before := e.counts()
	rs := e.say(budi, budi, "/setor A-0001 sukarela 15 juta")
	contains(t, "proposal", reply(t, rs, budi), "belum dibukukan", "Rp10.000.000")
	contains(t, "group", one(t, "group", toGroup(rs)).Text, "Budi", "Rp15.000.000", "A-0001")
	if len(toSiti(rs)) != 0 || e.counts().postings != before.postings {
		t.Fatalf("a deposit above the limit was posted before confirmation: %+v", rs)
	}
	if r := e.lastAudit(); r.amount.Int64 != 15_000_000 || r.txID.Valid || !r.ok {
		t.Errorf("proposal audit %+v, want amount 15000000 and no transaction", r)
	}
	data := confirmButton(t, rs)

	// The maker cannot confirm, nor can a non-officer.
	for _, who := range []string{budi, nobody} {
		before := e.counts()
		notice, rs := e.press(who, data, "77")
		if e.counts().postings != before.postings || len(toSiti(rs)) != 0 {
			t.Fatalf("%s confirmed: %q", who, notice)
		}
		if r := e.lastAudit(); r.ok || r.officer != who {
			t.Errorf("%s's refused confirmation audited as %+v", who, r)
		}
	}
	contains(t, "maker confirms", one(t, "maker", to(e.sayPress(budi, data), channel.Telegram, group)).Text, "petugas lain")

	notice, rs := e.press(rina, data, "77")
	contains(t, "confirmed", notice+one(t, "group", toGroup(rs)).Text, "Rp15.000.000", "dikonfirmasi", "Rina")
	contains(t, "receipt", one(t, "receipt", toSiti(rs)).Text, "Rp15.000.000")
	r := e.lastAudit()
	if r.officer != rina || !r.ok || r.amount.Int64 != 15_000_000 || strconv.FormatInt(r.txID.Int64, 10) != e.lastTx() {
		t.Errorf("confirmation audited as %+v, want Rina, 15000000, tx %s", r, e.lastTx())
	}
	b, err := savings.Summary(context.Background(), e.a.DB.R, e.siti.ID)
	if err != nil || !b.Sukarela.Equal(rp(15_000_000)) {
		t.Fatalf("sukarela %s (%v), want 15000000", b.Sukarela, err)
	}
	// A second press, or /konfirmasi of the same proposal, posts nothing more.
	id := strings.TrimPrefix(data, "cf:")
	before = e.counts()
	contains(t, "again", reply(t, e.say(wati, wati, "/konfirmasi "+id), wati), "already confirmed")
	if e.counts().postings != before.postings {
		t.Fatal("a proposal was posted twice")
	}

	// At the terminal, /konfirmasi does what the button does.
	rs = e.say(rina, rina, "/setor A-0001 wajib 12 juta")
	id = strings.TrimPrefix(confirmButton(t, rs), "cf:")
	contains(t, "/konfirmasi", reply(t, e.say(wati, wati, "/konfirmasi "+id), wati), "Rp12,000,000")
	e.check()
}

// sayPress presses data as who and returns what was queued, the notice to
// the presser dressed as a reply in the group.
func (e *env) sayPress(who, data string) []channel.Reply {
	e.t.Helper()
	notice, rs := e.press(who, data, "77")
	return append(rs, channel.Reply{Channel: channel.Telegram, Chat: group, Text: notice})
}

func TestDepositLimits(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.addDewi()
	for _, c := range []struct {
		name, text, want string
	}{
		{"absurd amount", "/setor A-0001 sukarela 1.000.000.000.000.000", "tidak diterima sama sekali"},
		{"above the ceiling", "/setor A-0001 sukarela 2.000.000.000", "Rp1.000.000.000"},
		{"second pokok", "/setor A-0001 pokok 100rb", "sudah lunas"},
		{"pokok of another amount", "/setor A-0002 pokok 50rb", "Rp100.000"},
		{"pokok above the amount", "/setor A-0002 pokok 150rb", "tidak lebih dan tidak kurang"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := e.counts()
			rs := e.say(budi, budi, c.text)
			contains(t, c.text, reply(t, rs, budi), c.want)
			after := e.counts()
			if after.postings != before.postings || len(toGroup(rs)) != 0 || after.refused != before.refused+1 {
				t.Errorf("%s: before %+v after %+v, group %+v", c.text, before, after, toGroup(rs))
			}
			if r := e.lastAudit(); r.officer != budi || r.ok || !r.amount.Valid || r.txID.Valid {
				t.Errorf("refused attempt audited as %+v", r)
			}
		})
	}
	contains(t, "first pokok", reply(t, e.say(budi, budi, "/setor A-0002 pokok 100rb"), budi), "Rp100.000")
	contains(t, "second pokok", reply(t, e.say(budi, budi, "/setor A-0002 pokok 100rb"), budi), "sudah lunas")
	e.check()
}

func TestTheApproverDoesNotDisburse(t *testing.T) {
	t.Parallel()
	for _, solo := range []bool{false, true} {
		t.Run("solo="+strconv.FormatBool(solo), func(t *testing.T) {
			t.Parallel()
			e := newEnvWith(t, func(o *app.Options) {
				o.Duties = duty.DefaultRules()
				o.Duties.SoloDisbursement = solo
			})
			a := e.apply(5_000_000, 10)
			e.say(budi, budi, "/setujui "+a.Ref)
			before := e.counts()
			got := reply(t, e.say(budi, budi, "/cair "+a.Ref), budi)
			if solo {
				contains(t, "solo /cair", got, "dicairkan")
				if e.status(a.Ref) != loan.StatusDisbursed {
					t.Fatalf("solo disbursement left %s", e.status(a.Ref))
				}
				return
			}
			contains(t, "approver's /cair", got, "petugas lain")
			if after := e.counts(); after.loans != before.loans || after.postings != before.postings {
				t.Fatalf("the approver disbursed: before %+v after %+v", before, after)
			}
			contains(t, "other's /cair", reply(t, e.say(rina, rina, "/cair "+a.Ref), rina), "dicairkan")
			r := e.lastAudit()
			if r.officer != rina || r.amount.Int64 != 5_000_000 || strconv.FormatInt(r.txID.Int64, 10) != e.lastTx() {
				t.Errorf("disbursement audited as %+v", r)
			}
			e.check()
		})
	}
}

// TestNoOfficerActsOnTheirOwnAccount has Dewi, manajer and member A-0002,
// try every money action on her own account.
func TestNoOfficerActsOnTheirOwnAccount(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, func(o *app.Options) {
		withDewi(o)
		o.Officers = append(o.Officers, officer.Officer{ID: "3002", Name: "Bu Pengawas", Role: loan.RolePengawas})
		// Dewi is a related party: her loan of half the cooperative's
		// equity passes only under a cap this high.
		o.Duties = duty.DefaultRules()
		o.Duties.RelatedCap = decimal.New(50, -2)
	})
	dw := e.addDewi()
	own := e.applyFor(dw, 5_000_000, 10)
	refused := func(name string, do func() string) {
		t.Helper()
		before := e.counts()
		got := do()
		contains(t, name, got, "rekening anggota Anda sendiri")
		after := e.counts()
		if after.postings != before.postings || after.decisions != before.decisions || after.payments != before.payments ||
			after.loans != before.loans || after.pending != before.pending || after.refused != before.refused+1 {
			t.Errorf("%s: before %+v after %+v", name, before, after)
		}
		if r := e.lastAudit(); r.officer != dewi || r.ok {
			t.Errorf("%s audited as %+v", name, r)
		}
	}
	say := func(text string) func() string {
		return func() string { return reply(t, e.say(dewi, dewi, text), dewi) }
	}
	press := func(data string) func() string { return func() string { n, _ := e.press(dewi, data, "9"); return n } }
	refused("approve by command", say("/setujui "+own.Ref))
	refused("approve by button", press("ap:"+own.Ref))
	refused("reject by button", press("rj:"+own.Ref))
	refused("reject by command", say("/tolak "+own.Ref+" tidak"))
	refused("ask by command", say("/info "+own.Ref+" apa"))
	e.say(wati, wati, "/setujui "+own.Ref)
	e.say("3002", "3002", "/setujui "+own.Ref) // a related party's loan needs a pengawas too
	refused("disburse", say("/cair "+own.Ref))
	e.say(rina, rina, "/cair "+own.Ref)
	e.say(budi, budi, "/setor A-0002 sukarela 300rb")
	deposit := e.lastTx()
	refused("deposit", say("/setor A-0002 sukarela 100rb"))
	refused("deposit by phone", say("/setor 081299990000 wajib 50rb"))
	refused("pay", say("/bayar "+own.Ref+" 100rb"))
	refused("pay by member", say("/bayar A-0002 100rb"))
	refused("reverse", say("/batal "+deposit+" salah"))

	// She approves and disburses other members' loans as usual.
	other := e.apply(5_000_000, 10)
	contains(t, "other member", reply(t, e.say(dewi, dewi, "/setujui "+other.Ref), dewi), other.Ref)
	if e.status(other.Ref) != loan.StatusApproved {
		t.Fatalf("Dewi's approval of Siti's loan left %s", e.status(other.Ref))
	}
	// A large deposit proposed for her cannot be confirmed by her.
	rs := e.say(budi, budi, "/setor A-0002 sukarela 11 juta")
	before := e.counts()
	notice, _ := e.press(dewi, confirmButton(t, rs), "9")
	contains(t, "confirm own", notice, "rekening anggota Anda sendiri")
	if e.counts().postings != before.postings {
		t.Fatal("Dewi confirmed a deposit to her own account")
	}
	e.check()
}

// spentDeposit records Rp200.000 of sukarela for Siti and withdraws
// Rp150.000 of it: reversing the deposit would leave her at -Rp150.000.
func (e *env) spentDeposit() string {
	e.say(rina, rina, "/setor A-0001 sukarela 200rb")
	deposit := e.lastTx()
	e.write(func(tx *sql.Tx) error {
		_, err := savings.Withdraw(context.Background(), tx, savings.Movement{Key: "w1", MemberID: e.siti.ID, Kind: savings.Sukarela,
			Amount: rp(150_000), ValueDate: e.clk.Now(), Actor: rina})
		return err
	})
	return deposit
}

// A manajer may still reverse what would leave savings below zero, but
// only by saying so (--paksa) with a reason; a petugas may not; the audit
// row carries the override, and the negative balance is reported.
func TestManagerForcesANegativeReversal(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	deposit := e.spentDeposit()
	before := e.counts()
	for _, tt := range []struct {
		who, text, want string
	}{
		{wati, "/batal " + deposit + " salah", "--paksa"}, // the refusal names the way out
		{rina, "/batal " + deposit + " salah --paksa", "hanya dapat dilakukan oleh manajer"},
		{wati, "/batal " + deposit + " --paksa", "needs a reason"},
	} {
		contains(t, tt.text, reply(t, e.say(tt.who, tt.who, tt.text), tt.who), tt.want)
		if after := e.counts(); after.postings != before.postings {
			t.Fatalf("%s by %s posted", tt.text, tt.who)
		}
	}
	if after := e.counts(); after.refused != before.refused+3 {
		t.Fatalf("refusals audited: %d, want 3", after.refused-before.refused)
	}
	got := reply(t, e.say(wati, wati, "/batal "+deposit+" setoran ganda, dana dikembalikan --PAKSA"), wati)
	contains(t, "forced /batal", got, "reversed", "below zero", "audit")
	var detail string
	var ok bool
	if err := e.a.DB.R.QueryRow(`SELECT detail, ok FROM officer_audit ORDER BY id DESC LIMIT 1`).Scan(&detail, &ok); err != nil {
		t.Fatal(err)
	}
	if r := e.lastAudit(); !ok || r.officer != wati || r.amount.Int64 != 200_000 || strconv.FormatInt(r.txID.Int64, 10) != e.lastTx() ||
		!strings.Contains(detail, "--paksa") || !strings.Contains(detail, "-150000") {
		t.Errorf("forced reversal audited as %+v %q", r, detail)
	}
	neg, err := savings.Negative(ctx, e.a.DB.R)
	if err != nil || len(neg) != 1 {
		t.Fatalf("negative savings %v %v; want the forced one reported", neg, err)
	}
	e.check()
}

func TestReversalNeverLeavesSavingsNegative(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	deposit := e.spentDeposit()
	before := e.counts()
	got := reply(t, e.say(wati, wati, "/batal "+deposit+" salah"), wati)
	contains(t, "/batal", got, "below zero")
	if after := e.counts(); after.postings != before.postings || after.refused != before.refused+1 {
		t.Fatalf("reversal posted: before %+v after %+v", before, after)
	}
	if r := e.lastAudit(); r.officer != wati || r.ok {
		t.Errorf("refused reversal audited as %+v", r)
	}
	neg, err := savings.Negative(ctx, e.a.DB.R)
	if err != nil || len(neg) != 0 {
		t.Fatalf("negative savings %v %v", neg, err)
	}
	// Covered, it goes through, and the audit row names both transactions.
	e.say(rina, rina, "/setor A-0001 sukarela 150rb")
	contains(t, "/batal", reply(t, e.say(wati, wati, "/batal "+deposit+" salah"), wati), "reversed")
	if r := e.lastAudit(); !r.ok || r.amount.Int64 != 200_000 || strconv.FormatInt(r.txID.Int64, 10) != e.lastTx() ||
		r.subject != deposit {
		t.Errorf("reversal audited as %+v", r)
	}
	e.check()
}
