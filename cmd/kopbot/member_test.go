package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A member's data is exported for them to see, and a member who has left
// is erased: identity pseudonymised, texts gone, the books unchanged. Both
// are a manajer's, and every attempt is audited.
func TestMemberExportAndErase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "kopbot.db")
	cfg := write(t, dir, "kopbot.toml", "[[officers]]\ntelegram_id = 1001\nname = \"Bu Rina\"\nrole = \"manajer\"\n"+
		"[[officers]]\ntelegram_id = 1002\nname = \"Pak Budi\"\nrole = \"petugas\"\n")
	kopbot(t, "", "import", "members", write(t, dir, "m.csv", membersCSV), "--db", db)
	kopbot(t, "", "import", "savings", write(t, dir, "s.csv", "no_anggota;jenis;jumlah;tanggal\nKMM-001;pokok;100.000;2023-01-15\n"), "--db", db)
	kopbot(t, "saldo rahasia budi\n", "chat", "--as", "+62 813 1111 2222", "--db", db)
	run := func(args ...string) (int, string) {
		code, out, errOut := kopbot(t, "", append(args, "--db", db, "--config", cfg)...)
		return code, out + errOut
	}
	out := filepath.Join(dir, "siti.json")
	if code, msg := run("member", "export", "KMM-001", "--officer", "1002", "--out", out); code == 0 || !strings.Contains(msg, "manajer") {
		t.Fatalf("a petugas exported: %d %s", code, msg)
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("the refused export wrote a file")
	}
	if code, msg := run("member", "export", "KMM-001", "--officer", "1001", "--out", out); code != 0 {
		t.Fatalf("export: %d %s", code, msg)
	}
	info, err := os.Stat(out)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("export file: %v %v", info, err)
	}
	body, _ := os.ReadFile(out)
	for _, want := range []string{`"Name": "Siti Aminah"`, "6281234567890", `"savings"`, "100000", `"inbox"`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("export lacks %s:\n%s", want, body)
		}
	}
	if code, msg := run("member", "erase", "KMM-001", "--officer", "1001"); code == 0 || !strings.Contains(msg, "still has savings") {
		t.Fatalf("erased a member with savings: %d %s", code, msg)
	}
	if code, msg := run("member", "erase", "KMM-002", "--officer", "1001"); code != 0 || !strings.Contains(msg, "Anggota dihapus") {
		t.Fatalf("erase: %d %s", code, msg)
	}
	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var name, phone string
	var nik sql.NullString
	if err := conn.QueryRow(`SELECT name, phone, nik FROM members WHERE number = 'KMM-002'`).Scan(&name, &phone, &nik); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(name, "Budi") || strings.Contains(phone, "6281311112222") || nik.Valid {
		t.Errorf("identity kept: %q %q %v", name, phone, nik)
	}
	var texts, audits, refused int
	if err := conn.QueryRow(`SELECT (SELECT count(*) FROM inbox WHERE text LIKE '%rahasia%'),
		(SELECT count(*) FROM officer_audit WHERE action LIKE 'member:%'),
		(SELECT count(*) FROM officer_audit WHERE action LIKE 'member:%' AND ok = 0)`).Scan(&texts, &audits, &refused); err != nil {
		t.Fatal(err)
	}
	if texts != 0 || audits != 4 || refused != 2 {
		t.Errorf("after erase: %d texts kept, %d audit rows (%d refused), want 0, 4, 2", texts, audits, refused)
	}
	if code, out, _ := kopbot(t, "", "ledger", "check", "--db", db); code != 0 {
		t.Fatalf("ledger check after erase: %s", out)
	}
}
