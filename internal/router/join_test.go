package router_test

import (
	"context"
	"fmt"
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
