package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock/clocktest"
	"github.com/kopmem/kopbot/internal/config"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/store"
)

// A typo in --db never makes an empty cooperative that reports OK, backs
// up as "checked" or serves members as "not registered".
func TestCommandsRefuseAMissingDatabase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "kopbto.db")
	for _, args := range [][]string{
		{"ledger", "check"},
		{"backup", filepath.Join(dir, "b.db")},
		{"chat", "--as", "081234567890"},
		{"chat", "--officer", "1001"},
		{"reminders", "preview"},
		{"serve"},
	} {
		code, out, errOut := kopbot(t, "", append(args, "--db", db)...)
		if code == 0 || !strings.Contains(errOut, "kopbto.db tidak ditemukan") {
			t.Errorf("%v on a missing database: exit %d\n%s%s", args, code, out, errOut)
		}
		if _, err := os.Stat(db); err == nil {
			t.Fatalf("%v created %s", args, db)
		}
	}
	if code, _, errOut := kopbot(t, "", "import", "members", write(t, dir, "m.csv", membersCSV), "--db", db); code != 0 {
		t.Fatalf("import creates the database: %s", errOut)
	}
	if code, out, _ := kopbot(t, "", "ledger", "check", "--db", db); code != 0 || !strings.Contains(out, "OK") {
		t.Fatalf("ledger check after import: %d %s", code, out)
	}
}

func TestDemoRefusesARealDatabase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	real := filepath.Join(dir, "kopbot.db")
	kopbot(t, "", "import", "members", write(t, dir, "m.csv", membersCSV), "--db", real)
	code, out, errOut := kopbot(t, "saldo\n", "demo", "--db", real)
	if code == 0 || !strings.Contains(errOut, "not a demo database") || strings.Contains(out, "Saldo simpanan") {
		t.Fatalf("demo on a real database: exit %d\n%s%s", code, out, errOut)
	}
	demo := filepath.Join(dir, "demo.db")
	for range 2 { // a demo database made by the demo is welcome again
		if code, out, errOut := kopbot(t, "saldo\n", "demo", "--db", demo); code != 0 || !strings.Contains(out, "Saldo simpanan") {
			t.Fatalf("demo on its own database: exit %d\n%s%s", code, out, errOut)
		}
	}
}

// While one kopbot serve holds the database, a second one, and an import,
// stop at once with a clear message, before any channel is connected.
func TestSecondServeAndImportRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "kopbot.db")
	kopbot(t, "", "import", "members", write(t, dir, "m.csv", membersCSV), "--db", db)
	held, err := store.LockFor(db, "kopbot serve", clocktest.Now(t))
	if err != nil {
		t.Fatal(err)
	}
	cfgFile := write(t, dir, "kopbot.toml", "db = "+`"`+db+`"`+"\n[http]\nlisten = \"\"\n[whatsapp]\nenabled = true\n")
	for _, args := range [][]string{
		{"serve", "--config", cfgFile},
		{"import", "members", write(t, dir, "m2.csv", membersCSV), "--db", db},
	} {
		code, _, errOut := kopbot(t, "", args...)
		if code == 0 || !strings.Contains(errOut, "in use by another kopbot (kopbot serve, pid") {
			t.Errorf("%v while serve holds the database: exit %d\n%s", args[0], code, errOut)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "whatsapp.db")); err == nil {
		t.Error("the refused serve opened the WhatsApp session")
	}
	held.Release()
}

// Two officers at two terminals on one database: each sees the answers to
// what they typed, never the other's, and nothing of the other's is marked
// sent by the wrong terminal.
func TestTwoOfficerTerminals(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "kopbot.db")
	kopbot(t, "", "import", "members", write(t, dir, "m.csv", membersCSV), "--db", db)
	cfg, err := config.Load("", func(k string) (string, bool) {
		v, ok := map[string]string{"KOPBOT_DB": db, "KOPBOT_OFFICERS": "1001:manajer:Bu Rina,1002:petugas:Pak Budi"}[k]
		return v, ok
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	other, err := open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	// The other terminal has handled Pak Budi's /anggota and not yet printed it.
	budi := seats{officer: "1002", session: "other"}
	if err := other.Router.Handle(ctx, budi.dress(channel.Message{Channel: channel.Console, ID: "b1", Chat: "x",
		From: "x", Text: "/anggota KMM-002", Kind: channel.Text, At: other.Clock.Now()})); err != nil {
		t.Fatal(err)
	}
	cfgFile := write(t, dir, "kopbot.toml", "[[officers]]\ntelegram_id = 1001\nname = \"Bu Rina\"\nrole = \"manajer\"\n")
	_, out, errOut := kopbot(t, "/antrian\n", "chat", "--officer", "1001", "--db", db, "--config", cfgFile)
	if !strings.Contains(out, other.Msgs.T("id", "officer.antrian.empty", nil)) {
		t.Fatalf("Bu Rina's terminal lacks her answer:\n%s%s", out, errOut)
	}
	if strings.Contains(out, "Budi Santoso") {
		t.Fatalf("Bu Rina's terminal printed Pak Budi's answer:\n%s", out)
	}
	rec := &printed{}
	if _, err := outbox.Deliver(ctx, other.DB, outbox.Filter{Channel: channel.Console, Chat: budi.officerChat(), Limit: 10},
		rec, other.Clock.Now); err != nil {
		t.Fatal(err)
	}
	if len(rec.texts) != 1 || !strings.Contains(rec.texts[0], "Budi Santoso") {
		t.Fatalf("Pak Budi's terminal got %q, want his /anggota answer", rec.texts)
	}
}

type printed struct{ texts []string }

func (p *printed) Send(_ context.Context, r channel.Reply) error {
	p.texts = append(p.texts, r.Text)
	return nil
}

// A staff look-up in the terminal does not move a member's notices there,
// and an import that changes a phone says so, by the last four digits.
func TestTerminalLookupKeepsReachAndImportShowsMoves(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "kopbot.db")
	kopbot(t, "", "import", "members", write(t, dir, "m.csv", membersCSV), "--db", db)
	ctx := context.Background()
	a, err := app.Open(ctx, db, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	siti, err := member.ByNumber(ctx, a.DB.R, "KMM-001")
	if err != nil {
		t.Fatal(err)
	}
	wa := member.Address{Channel: channel.WhatsApp, Chat: "6281234567890@s.whatsapp.net"}
	if err := a.DB.Write(ctx, func(tx *sql.Tx) error {
		return member.Touch(ctx, tx, siti.ID, wa.Channel, wa.Chat, a.Clock.Now())
	}); err != nil {
		t.Fatal(err)
	}
	a.Close()
	if code, out, errOut := kopbot(t, "saldo\n", "chat", "--as", "0812-3456-7890", "--db", db); code != 0 ||
		!strings.Contains(out, "Saldo simpanan") {
		t.Fatalf("chat --as: %d %s %s", code, out, errOut)
	}
	a, err = app.Open(ctx, db, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	at, err := member.Reach(ctx, a.DB.R, siti)
	a.Close()
	if err != nil || at != wa {
		t.Fatalf("after a terminal look-up Siti is reached at %+v (%v), want %+v", at, err, wa)
	}
	moved := strings.Replace(membersCSV, "0812-3456-7890", "0877-0000-1111", 1)
	code, out, errOut := kopbot(t, "", "import", "members", write(t, dir, "m2.csv", moved), "--db", db)
	if code != 0 || !strings.Contains(out, "KMM-001: nomor HP diganti …7890 → …1111") || strings.Contains(out, "6281234567890") {
		t.Fatalf("import summary: %d\n%s%s", code, out, errOut)
	}
}
