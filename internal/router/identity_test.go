package router_test

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/shopspring/decimal"
)

// Telegram accounts in these tests. Private chats have the user's id as
// their chat id, as Telegram gives them.
const (
	sitiTG  = "777"
	jokoTG  = "888"
	jokoHP  = "6285611112222"
	groupTG = "-100123"
)

// withJoko adds a second member with savings of his own, to show that no
// binding ever shows one member another's data.
func withJoko(t *testing.T, a *app.App) {
	t.Helper()
	ctx := context.Background()
	err := a.DB.Write(ctx, func(tx *sql.Tx) error {
		m, err := member.Create(ctx, tx, member.Member{Number: "A-2", Name: "Joko", Phone: jokoHP, Lang: "en",
			JoinedOn: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return err
		}
		_, err = savings.Deposit(ctx, tx, savings.Movement{Key: "j1", MemberID: m.ID, Kind: savings.Sukarela,
			Amount: decimal.NewFromInt(777_000), ValueDate: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Actor: "test"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// tg is a text from a Telegram user in their private chat with the bot.
func tg(id, user, text string) channel.Message {
	return channel.Message{Channel: channel.Telegram, ID: user + ":" + id, Chat: user, From: user, Text: text, Kind: channel.Text}
}

// contact is a contact card sent by user, of the account owner (""
// when the number has no Telegram account).
func contact(id, user, phone, owner string) channel.Message {
	return channel.Message{Channel: channel.Telegram, ID: user + ":" + id, Chat: user, From: user, Kind: channel.Contact,
		Contact: &channel.SharedContact{Phone: phone, UserID: owner}}
}

func TestTelegramBinding(t *testing.T) {
	t.Parallel()
	asksContact := [][]channel.Button{{{Text: "📱 Bagikan nomor HP", Data: channel.ContactRequest}}}
	dropsKeyboard := [][]channel.Button{{{Data: channel.KeyboardRemove}}}
	tests := []struct {
		name string
		in   []channel.Message
		// want and not are about the reply to the last message.
		want    []string
		not     []string
		buttons [][]channel.Button
		// bound is the member number sitiTG ends bound to, "" for none.
		bound string
		// silent: the last message gets no reply at all.
		silent bool
	}{
		{name: "an unbound user is asked for their contact", in: []channel.Message{tg("1", sitiTG, "saldo")},
			want: []string{"bagikan nomor HP Anda"}, not: []string{"150.000"}, buttons: asksContact},
		{name: "/start is asked for the contact too", in: []channel.Message{tg("1", sitiTG, "/start")},
			want: []string{"bagikan nomor HP Anda"}, buttons: asksContact},
		{name: "a photo is asked for the contact too", in: []channel.Message{{Channel: channel.Telegram, ID: "777:1",
			Chat: sitiTG, From: sitiTG, Kind: channel.Media}}, want: []string{"bagikan nomor HP Anda"}, buttons: asksContact},
		{name: "someone else's contact is refused", in: []channel.Message{contact("1", sitiTG, sitiPhone, jokoTG)},
			want: []string{"bukan kontak Anda sendiri"}, not: []string{"150.000", "Siti"}, buttons: asksContact},
		{name: "a contact card of no account is refused", in: []channel.Message{contact("1", sitiTG, sitiPhone, "")},
			want: []string{"bukan kontak Anda sendiri"}, buttons: asksContact},
		{name: "an own number that is no member's", in: []channel.Message{contact("1", sitiTG, "+62 899 1234 5678", sitiTG)},
			want: []string{"belum terdaftar"}},
		{name: "an own number that is no number", in: []channel.Message{contact("1", sitiTG, "12", sitiTG)},
			want: []string{"belum terdaftar"}},
		{name: "the own registered contact binds, welcome and menu",
			in:   []channel.Message{contact("1", sitiTG, "+62 812-3456-7890", sitiTG)},
			want: []string{"terhubung dengan keanggotaan Anda (no. anggota A-1)", "Halo, Siti", "*1* Cek saldo"}, bound: "A-1",
			buttons: dropsKeyboard},
		{name: "the welcome is in the member's language",
			in:   []channel.Message{contact("1", sitiTG, jokoHP, sitiTG)},
			want: []string{"now linked to your membership (member no. A-2)", "Hello, Joko"}, bound: "A-2", buttons: dropsKeyboard},
		{name: "once bound, the same flows work",
			in:   []channel.Message{contact("1", sitiTG, sitiPhone, sitiTG), tg("2", sitiTG, "saldo")},
			want: []string{"150.000"}, not: []string{"777.000"}, bound: "A-1"},
		{name: "once bound, another contact changes nothing",
			in:   []channel.Message{contact("1", sitiTG, sitiPhone, sitiTG), contact("2", sitiTG, jokoHP, sitiTG), tg("3", sitiTG, "saldo")},
			want: []string{"150.000"}, not: []string{"777.000"}, bound: "A-1"},
		{name: "in a group kopbot says nothing, to members or strangers",
			in: []channel.Message{contact("1", sitiTG, sitiPhone, sitiTG),
				{Channel: channel.Telegram, ID: groupTG + ":2", Chat: groupTG, From: sitiTG, Text: "saldo", Kind: channel.Text},
				{Channel: channel.Telegram, ID: groupTG + ":3", Chat: groupTG, From: jokoTG, Text: "/start", Kind: channel.Text}},
			silent: true, bound: "A-1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := open(t)
			withJoko(t, a)
			var last []channel.Reply
			for _, m := range tc.in {
				if err := a.Router.Handle(context.Background(), m); err != nil {
					t.Fatal(err)
				}
				last = sent(t, a, channel.Telegram)
			}
			if tc.silent {
				if len(last) != 0 {
					t.Fatalf("replies = %+v, want silence", last)
				}
				return
			}
			if len(last) != 1 {
				t.Fatalf("replies = %+v, want one", last)
			}
			for _, w := range tc.want {
				if !strings.Contains(last[0].Text, w) {
					t.Errorf("reply %q lacks %q", last[0].Text, w)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(last[0].Text, n) {
					t.Errorf("reply %q leaks %q", last[0].Text, n)
				}
			}
			if !slices.EqualFunc(last[0].Buttons, tc.buttons, slices.Equal) {
				t.Errorf("buttons = %+v, want %+v", last[0].Buttons, tc.buttons)
			}
			if got := boundTo(t, a, sitiTG); got != tc.bound {
				t.Errorf("%s is bound to %q, want %q", sitiTG, got, tc.bound)
			}
		})
	}
}

func boundTo(t *testing.T, a *app.App, user string) string {
	t.Helper()
	m, err := member.ByIdentity(context.Background(), a.DB.R, channel.Telegram, user)
	if errors.Is(err, member.ErrNotFound) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return m.Number
}

// A binding follows the member's current number: once the office replaces
// the number (a lost or recycled SIM), the account sees nothing of the
// member until it shares the new number, which binds it again.
func TestBindingFollowsTheCurrentNumber(t *testing.T) {
	t.Parallel()
	a := open(t)
	ctx := context.Background()
	for _, m := range []channel.Message{contact("1", sitiTG, sitiPhone, sitiTG), tg("2", sitiTG, "menu")} {
		if err := a.Router.Handle(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	sent(t, a, channel.Telegram)
	if _, err := a.DB.W.ExecContext(ctx, `UPDATE members SET phone = '6281300000000' WHERE number = 'A-1'`); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		in        channel.Message
		want, not string
	}{
		{tg("3", sitiTG, "saldo"), "bagikan nomor HP", "150.000"},
		{contact("4", sitiTG, sitiPhone, sitiTG), "belum terdaftar", "150.000"},
		{contact("5", sitiTG, "+62 813-0000-0000", sitiTG), "terhubung", ""},
		{tg("6", sitiTG, "saldo"), "150.000", ""},
	}
	for _, s := range steps {
		if err := a.Router.Handle(ctx, s.in); err != nil {
			t.Fatal(err)
		}
		got := deliver(t, a, channel.Telegram)
		if len(got) != 1 || !strings.Contains(got[0], s.want) || (s.not != "" && strings.Contains(got[0], s.not)) {
			t.Fatalf("after %s: replies = %q, want %q without %q", s.in.ID, got, s.want, s.not)
		}
	}
}

// A second Telegram account binding the same member is allowed (a new
// phone), and the member hears of it on the account they had.
func TestASecondAccountIsAnnounced(t *testing.T) {
	t.Parallel()
	a := open(t)
	ctx := context.Background()
	const second = "999"
	if err := a.Router.Handle(ctx, contact("1", sitiTG, sitiPhone, sitiTG)); err != nil {
		t.Fatal(err)
	}
	if got := sent(t, a, channel.Telegram); len(got) != 1 {
		t.Fatalf("first binding: %+v, want the welcome alone", got)
	}
	if err := a.Router.Handle(ctx, contact("2", second, sitiPhone, second)); err != nil {
		t.Fatal(err)
	}
	got := sent(t, a, channel.Telegram)
	var toOld, toNew []string
	for _, r := range got {
		switch r.Chat {
		case sitiTG:
			toOld = append(toOld, r.Text)
		case second:
			toNew = append(toNew, r.Text)
		}
	}
	if len(toOld) != 1 || !strings.Contains(toOld[0], "akun Telegram baru (id 999)") || len(toNew) != 1 {
		t.Fatalf("to the old account %q, to the new %q", toOld, toNew)
	}
	if boundTo(t, a, sitiTG) != "A-1" || boundTo(t, a, second) != "A-1" {
		t.Fatal("both accounts should stay bound")
	}
	// Binding again from a bound account warns nobody.
	if err := a.Router.Handle(ctx, contact("3", second, sitiPhone, second)); err != nil {
		t.Fatal(err)
	}
	for _, r := range sent(t, a, channel.Telegram) {
		if r.Chat == sitiTG {
			t.Errorf("warned again: %+v", r)
		}
	}
}
