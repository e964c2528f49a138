package app_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/channel/console"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/demo"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/officer"
	"github.com/kopmem/kopbot/internal/store"
)

// When the database file is moved away under a running kopbot, an officer
// who writes is told exactly that, in their language, straight through the
// channel (the outbox lives in the lost file): nothing was recorded, call
// the admin. A member gets the usual apology. Each chat is told once per
// ten minutes while the platform redelivers, and a button press says the
// same in its notice.
func TestMovedDatabaseIsSaidPlainly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "k.db")
	clk := clock.NewManual(time.Date(2026, 11, 30, 10, 0, 0, 0, clock.Jakarta()))
	a, err := app.Open(ctx, path, app.Options{Clock: clk, Officers: []officer.Officer{
		{ID: manajer, Name: "Bu Rina", Role: loan.RoleManajer, Lang: "en"}, {ID: petugas, Name: "Pak Budi", Role: loan.RolePetugas}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if _, err := demo.Seed(ctx, a.DB, demo.Small, clk.Now()); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	a.Router.SendDirectly(channel.Console, console.New(strings.NewReader(""), &out, console.Options{Chat: app.OfficerSeat}))
	if err := os.Rename(path, path+".moved"); err != nil {
		t.Fatal(err)
	}
	gone := map[string]string{
		"id": a.Msgs.T("id", "officer.error.db_gone", nil),
		"en": a.Msgs.T("en", "officer.error.db_gone", nil),
	}
	apology := a.Msgs.T("id", apologyID, nil)
	seq := 0
	send := func(from, chat, text string) string {
		t.Helper()
		seq++
		out.Reset()
		m := channel.Message{Channel: channel.Console, ID: "m" + string(rune('a'+seq)), From: from, Chat: chat, Text: text}
		if from == siti {
			m.Phone = siti
		}
		if err := a.Router.Handle(ctx, m); !errors.Is(err, store.ErrMoved) {
			t.Fatalf("%s: err %v; want the database reported moved", text, err)
		}
		return out.String()
	}
	for _, tt := range []struct {
		name, from, chat, text string
		advance                time.Duration
		want                   string
	}{
		{"a petugas deposits", petugas, app.OfficerSeat, "/setor KMM-00001 sukarela 50rb", 0, gone["id"]},
		{"the same chat again at once: told already", petugas, app.OfficerSeat, "/setor KMM-00001 sukarela 50rb", time.Minute, ""},
		{"ten minutes on: told again", petugas, app.OfficerSeat, "/antrian", 10 * time.Minute, gone["id"]},
		{"the manajer, in English, from another seat", manajer, app.OfficerSeat + ":" + manajer + ":s", "/antrian", 0, gone["en"]},
		{"a member: the usual apology", siti, siti, "saldo", 0, apology},
	} {
		clk.Advance(tt.advance)
		got := send(tt.from, tt.chat, tt.text)
		if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, strings.TrimSpace(tt.want[:40])) {
			t.Errorf("%s: said %q; want %.60q", tt.name, got, tt.want)
		}
	}
	if !strings.Contains(gone["id"], "tidak dicatat") || !strings.Contains(gone["en"], "not recorded") {
		t.Fatalf("the message does not say nothing was recorded: %q / %q", gone["id"], gone["en"])
	}
	notice, err := a.Router.HandleCallback(ctx, channel.Callback{Channel: channel.Console, ID: "cb1", From: manajer, Chat: app.OfficerSeat, Data: "x"})
	if !errors.Is(err, store.ErrMoved) || notice != gone["en"] {
		t.Errorf("press: notice %q, err %v; want the English message and the error", notice, err)
	}
}
