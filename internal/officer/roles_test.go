package officer_test

import (
	"context"
	"testing"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/officer"
)

func TestNonOfficersAreRefusedAndNothingHappens(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.apply(5_000_000, 10)
	e.say(budi, group, "/setujui "+a.Ref)
	e.say(rina, group, "/cair "+a.Ref)
	refusal := e.msg("id", "officer.error.not_officer", nil)
	for _, text := range []string{"/antrian", "/anggota A-0001", "/setujui " + a.Ref, "/tolak " + a.Ref + " tidak",
		"/info " + a.Ref + " apa", "/cair " + a.Ref, "/bayar A-0001 500rb", "/setor A-0001 wajib 100rb",
		"/batal 1", "/laporan", "/bantuan", "/BAYAR@kopbot_test_bot A-0001 1,5 juta"} {
		for _, chat := range []string{nobody, group} {
			before := e.counts()
			replies := e.say(nobody, chat, text)
			after := e.counts()
			if got := one(t, text, replies); got.Chat != chat || got.Text != refusal {
				t.Errorf("%s in %s: reply %+v, want the refusal", text, chat, got)
			}
			if after.postings != before.postings || after.decisions != before.decisions || after.loans != before.loans ||
				after.payments != before.payments {
				t.Errorf("%s in %s wrote: before %+v after %+v", text, chat, before, after)
			}
			if after.audit != before.audit+1 || after.refused != before.refused+1 {
				t.Errorf("%s in %s: audit %d→%d, refused %d→%d, want one refused row", text, chat,
					before.audit, after.audit, before.refused, after.refused)
			}
		}
	}
}

func TestNonOfficerPressIsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.apply(5_000_000, 10)
	before := e.counts()
	notice, replies := e.press(nobody, "ap:"+a.Ref, "77")
	if want := e.msg("id", "officer.error.not_officer", nil); notice != want || len(replies) != 0 {
		t.Fatalf("notice %q, replies %+v; want %q and nothing queued", notice, replies, want)
	}
	if after := e.counts(); after.decisions != before.decisions || after.refused != before.refused+1 {
		t.Fatalf("before %+v after %+v", before, after)
	}
	if s := e.status(a.Ref); s != loan.StatusPending {
		t.Fatalf("status %s", s)
	}
}

func TestBatalNeedsManajer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.say(budi, budi, "/setor A-0001 sukarela 50rb")
	txID := e.lastTx()
	before := e.counts()
	got := one(t, "/batal by petugas", e.say(budi, budi, "/batal "+txID))
	if want := e.msg("id", "officer.error.manager_only", map[string]any{"Command": "/batal"}); got.Text != want {
		t.Fatalf("reply %q, want %q", got.Text, want)
	}
	if after := e.counts(); after.postings != before.postings || after.refused != before.refused+1 {
		t.Fatalf("before %+v after %+v", before, after)
	}
	e.say(wati, wati, "/batal "+txID)
	if after := e.counts(); after.postings != before.postings+2 {
		t.Fatalf("manajer's /batal posted %d legs, want 2", after.postings-before.postings)
	}
}

func TestServes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, c := range []struct {
		name string
		m    channel.Message
		want bool
	}{
		{"officer in private", channel.Message{Channel: channel.Telegram, Chat: budi, From: budi, Text: "halo"}, true},
		{"officer on another channel", channel.Message{Channel: channel.Console, Chat: "x", From: wati, Text: "saldo"}, true},
		{"stranger in the group", channel.Message{Channel: channel.Telegram, Chat: group, From: nobody, Text: "halo"}, true},
		{"member command", channel.Message{Channel: channel.WhatsApp, Chat: "62@s", From: "62@s", Text: "/antrian"}, true},
		{"member command any case", channel.Message{Channel: channel.WhatsApp, Chat: "62@s", From: "62@s", Text: "/Cair PJ-1"}, true},
		{"member word", channel.Message{Channel: channel.WhatsApp, Chat: "62@s", From: "62@s", Text: "saldo"}, false},
		{"member slash word", channel.Message{Channel: channel.WhatsApp, Chat: "62@s", From: "62@s", Text: "/start"}, false},
		{"officer in another group", channel.Message{Channel: channel.Telegram, Chat: "-100999", From: budi, Text: "/antrian"}, false},
		{"command in another group", channel.Message{Channel: channel.Telegram, Chat: "-100999", From: nobody, Text: "/cair PJ-1"}, false},
		{"same chat id on another channel", channel.Message{Channel: channel.WhatsApp, Chat: group, From: "62@s", Text: "menu"}, false},
	} {
		if got := e.a.Desk.Serves(c.m); got != c.want {
			t.Errorf("%s: Serves = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestNewChecksTheRoster(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	base := officer.Config{Group: member.Address{Channel: channel.Telegram, Chat: group}, Policy: loan.DefaultPolicy(),
		Msgs: e.a.Msgs, Location: wib}
	for _, c := range []struct {
		name     string
		officers []officer.Officer
		ok       bool
	}{
		{"good", []officer.Officer{{ID: "1", Name: "A", Role: loan.RolePetugas}, {ID: "2", Name: "B", Role: loan.RoleManajer}}, true},
		{"twice", []officer.Officer{{ID: "1", Name: "A", Role: loan.RolePetugas}, {ID: "1", Name: "B", Role: loan.RoleManajer}}, false},
		{"bad role", []officer.Officer{{ID: "1", Name: "A", Role: "ketua"}}, false},
		{"no id", []officer.Officer{{Name: "A", Role: loan.RolePetugas}}, false},
		{"no name", []officer.Officer{{ID: "1", Role: loan.RolePetugas}}, false},
	} {
		cfg := base
		cfg.Officers = c.officers
		if _, err := officer.New(cfg); (err == nil) != c.ok {
			t.Errorf("%s: New error %v, want ok=%v", c.name, err, c.ok)
		}
	}
	noGroup := base
	noGroup.Group = member.Address{}
	if _, err := officer.New(noGroup); err == nil {
		t.Error("New without a group succeeded")
	}
	// Without the cooperative's zone the desk would date payments in some
	// other calendar than the members'.
	noZone := base
	noZone.Location = nil
	if _, err := officer.New(noZone); err == nil {
		t.Error("New without a time zone succeeded")
	}
}

// TestAuditIsAppendOnly: the log cannot be edited after the fact.
func TestAuditIsAppendOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.say(budi, budi, "/antrian")
	for _, q := range []string{`UPDATE officer_audit SET ok = 0`, `DELETE FROM officer_audit`} {
		if _, err := e.a.DB.W.ExecContext(context.Background(), q); err == nil {
			t.Errorf("%s succeeded", q)
		}
	}
}
