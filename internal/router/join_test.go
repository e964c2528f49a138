package router_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/membership"
)

// TestStrangerAsksToJoin: a number that is no member is told once a day
// that it is not registered, but asking to join is answered however it is
// asked, with the requirements; the name it leaves goes to the officers
// once; a flood of asks is answered membership.AnswersPerDay times.
func TestStrangerAsksToJoin(t *testing.T) {
	t.Parallel()
	a := open(t)
	const stranger = "6289911112222"
	n := 0
	say := func(text string) []string {
		t.Helper()
		n++
		if err := a.Router.Handle(context.Background(), msg(fmt.Sprintf("j%d", n), stranger, text)); err != nil {
			t.Fatal(err)
		}
		return deliver(t, a, channel.WhatsApp)
	}
	for _, c := range []struct {
		text  string
		wants []string // one reply with all of them; nil: no reply
		group bool     // the officers' group is told
	}{
		{"halo", []string{"belum terdaftar"}, false},
		{"halo lagi", nil, false}, // once a day
		{"daftar", []string{"Syarat menjadi anggota", "KTP", "daftar Siti Aminah"}, false},
		{"gimana caranya gabung", []string{"Syarat menjadi anggota"}, false},
		{"daftar dong", []string{"Syarat menjadi anggota"}, false}, // politeness is no name
		{"daftar Rina Wati", []string{"Terima kasih, Rina Wati", "30 hari"}, true},
		{"halo?", nil, false},
		// Past membership.AnswersPerDay the asks are only recorded.
		{"daftar", nil, false},
	} {
		got := say(c.text)
		switch {
		case c.wants == nil && len(got) != 0:
			t.Errorf("%q answered %q, want nothing", c.text, got)
		case c.wants != nil && len(got) != 1:
			t.Errorf("%q answered %q, want one reply", c.text, got)
		case c.wants != nil:
			for _, w := range c.wants {
				if !strings.Contains(got[0], w) {
					t.Errorf("%q answered %q, want %q", c.text, got[0], w)
				}
			}
		}
		group := deliver(t, a, channel.Console)
		if c.group != (len(group) == 1) || c.group && !strings.Contains(group[0], "/daftar +"+stranger+" Rina Wati") {
			t.Errorf("%q: the group got %q", c.text, group)
		}
	}
	var name, phone string
	if err := a.DB.R.QueryRow(`SELECT name, phone FROM membership_prospects`).Scan(&name, &phone); err != nil ||
		name != "Rina Wati" || phone != stranger {
		t.Fatalf("prospect kept %q %q (%v)", name, phone, err)
	}
	if membership.AnswersPerDay != 4 {
		t.Fatalf("the table above spends %d answers, AnswersPerDay is %d", 4, membership.AnswersPerDay)
	}
}

// TestStrangerAsksInEnglish: asked in English, the requirements come in
// English.
func TestStrangerAsksInEnglish(t *testing.T) {
	t.Parallel()
	a := open(t)
	if err := a.Router.Handle(context.Background(), msg("e1", "6289933334444", "how do i join")); err != nil {
		t.Fatal(err)
	}
	got := deliver(t, a, channel.WhatsApp)
	if len(got) != 1 || !strings.Contains(got[0], "What you need to join") {
		t.Fatalf("answered %q", got)
	}
}

// TestMemberAsksToJoinOrLeave: a member asking to join is told they are
// one; a member asking to leave is asked first, then handed to the
// officers with a note pointing to /keluar.
func TestMemberAsksToJoinOrLeave(t *testing.T) {
	t.Parallel()
	a := open(t)
	n := 0
	say := func(text string) string {
		t.Helper()
		n++
		if err := a.Router.Handle(context.Background(), msg(fmt.Sprintf("m%d", n), sitiPhone, text)); err != nil {
			t.Fatal(err)
		}
		got := deliver(t, a, channel.WhatsApp)
		if len(got) != 1 {
			t.Fatalf("%q answered %q, want one reply", text, got)
		}
		return got[0]
	}
	if got := say("daftar"); !strings.Contains(got, "sudah terdaftar") || !strings.Contains(got, "A-1") {
		t.Errorf("daftar: %q", got)
	}
	if got := say("mau berhenti jadi anggota"); !strings.Contains(got, "berhenti menjadi anggota") {
		t.Errorf("leave: %q", got)
	}
	if got := say("tidak"); !strings.Contains(got, "keanggotaan Anda tetap") {
		t.Errorf("no: %q", got)
	}
	if group := deliver(t, a, channel.Console); len(group) != 0 {
		t.Fatalf("the group got %q after no", group)
	}
	say("keluar")
	if got := say("ya"); !strings.Contains(got, "#H") {
		t.Errorf("yes: %q", got)
	}
	group := deliver(t, a, channel.Console)
	if len(group) != 1 || !strings.Contains(group[0], "/keluar A-1") {
		t.Fatalf("the group got %q", group)
	}
}

// TestTelegramAccountAsksToJoin: a Telegram account bound to no member that
// asks to join gets the requirements and the button that shares its
// number; its name is kept until the number comes, and only then do the
// officers hear of it, with a number to call. A number shared without
// asking, or someone else's, is answered as before.
func TestTelegramAccountAsksToJoin(t *testing.T) {
	t.Parallel()
	const user, other = "777001", "777002"
	const number = "6289933334444"
	shares := [][]channel.Button{{{Text: "📱 Bagikan nomor HP", Data: channel.ContactRequest}}}
	for _, c := range []struct {
		name string
		msgs []channel.Message
		// the last reply has all of want and these buttons.
		want    []string
		buttons [][]channel.Button
		// group is what the officers' group reads, "" for nothing.
		group string
	}{
		{name: "asks", msgs: []channel.Message{tg("1", user, "mau jadi anggota")},
			want: []string{"Syarat menjadi anggota", "Bagikan nomor HP"}, buttons: shares},
		{name: "names first, shares after",
			msgs: []channel.Message{tg("1", user, "daftar Rina Wati"), contact("2", user, "+62 899-3333-4444", user)},
			want: []string{"Terima kasih, Rina Wati"}, buttons: [][]channel.Button{{{Data: channel.KeyboardRemove}}},
			group: "/daftar +" + number + " Rina Wati"},
		{name: "asks, shares, names",
			msgs: []channel.Message{tg("1", user, "daftar"), contact("2", user, "0899-3333-4444", user), tg("3", user, "daftar Rina Wati")},
			want: []string{"Terima kasih, Rina Wati"}, group: "/daftar +" + number + " Rina Wati"},
		{name: "asks in English", msgs: []channel.Message{tg("1", user, "how do I join")},
			want: []string{"Share phone number"}, buttons: [][]channel.Button{{{Text: "📱 Share phone number", Data: channel.ContactRequest}}}},
		{name: "someone else's number after asking",
			msgs: []channel.Message{tg("1", user, "daftar Rina Wati"), contact("2", user, "0899-3333-4444", other)},
			want: []string{"bukan kontak Anda sendiri"}, buttons: shares},
		{name: "shares without asking", msgs: []channel.Message{contact("1", user, "0899-3333-4444", user)},
			want: []string{"belum terdaftar"}},
		{name: "a member's number after asking binds", msgs: []channel.Message{tg("1", user, "daftar"), contact("2", user, sitiPhone, user)},
			want: []string{"Siti"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			a := open(t)
			var got []channel.Reply
			for _, m := range c.msgs {
				if err := a.Router.Handle(context.Background(), m); err != nil {
					t.Fatal(err)
				}
				got = sent(t, a, channel.Telegram)
			}
			if len(got) != 1 {
				t.Fatalf("last message answered %d times: %q", len(got), texts(got))
			}
			for _, w := range c.want {
				if !strings.Contains(got[0].Text, w) {
					t.Errorf("answered %q, want %q", got[0].Text, w)
				}
			}
			if c.buttons != nil && !reflect.DeepEqual(got[0].Buttons, c.buttons) {
				t.Errorf("buttons %+v, want %+v", got[0].Buttons, c.buttons)
			}
			group := deliver(t, a, channel.Console)
			if (c.group == "") != (len(group) == 0) || c.group != "" && (len(group) != 1 || !strings.Contains(group[0], c.group)) {
				t.Errorf("the group read %q, want %q", group, c.group)
			}
		})
	}
}
