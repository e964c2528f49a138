package main

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
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
	if code, msg := run("member", "erase", "KMM-001", "--officer", "1001", "--lang", "en"); code == 0 || !strings.Contains(msg, "still have savings, a loan or a request open") {
		t.Fatalf("erased a member with savings: %d %s", code, msg)
	}
	if code, msg := run("member", "erase", "KMM-002", "--officer", "1001"); code != 0 || !strings.Contains(msg, "Data pribadi KMM-002 sudah dihapus") ||
		!strings.Contains(msg, "Anggota dihapus") {
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

// Erasing a member who has left leaves none of their words or identity
// anywhere in the database: every text column of every table is searched
// for their name, phone and what they wrote (a loan purpose, an answer to
// an officer's question, the officers' copies of both), while the books
// still balance.
func TestEraseLeavesNoPersonalText(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "kopbot.db")
	cfg := write(t, dir, "kopbot.toml", "[[officers]]\ntelegram_id = 1001\nname = \"Bu Rina\"\nrole = \"manajer\"\n"+
		"[[officers]]\ntelegram_id = 1003\nname = \"Pak Dodi\"\nrole = \"manajer\"\n")
	step := func(stdin string, args ...string) string {
		t.Helper()
		code, out, errOut := kopbot(t, stdin, append(args, "--db", db, "--config", cfg)...)
		if code != 0 {
			t.Fatalf("kopbot %v: %d %s %s", args, code, out, errOut)
		}
		return out
	}
	// Budi's bank account is on file, and a withdrawal is transferred to it.
	step("", "import", "members", write(t, dir, "m.csv", strings.Replace(strings.Replace(membersCSV, ",nik\n", ",nik,bank,no_rekening,atas_nama\n", 1),
		"15/02/2023,\n", "15/02/2023,,BNI,0987654321,Budi Santoso\n", 1)))
	step("", "import", "savings", write(t, dir, "s.csv", "no_anggota;jenis;jumlah;tanggal\nKMM-002;sukarela;1.500.000;2023-03-01\n"))
	if out := step("tarik 500rb\n2\nya\nya\n", "chat", "--as", "+62 813 1111 2222"); !strings.Contains(out, "rekening terdaftar BNI 0987654321") {
		t.Fatalf("no withdrawal to the account on file:\n%s", out)
	}
	step("/tarik W-1 setujui\n", "chat", "--officer", "1001")
	out := step("halo\npinjam\n1\n2 juta\n6\nsate kambing rahasia\nya\n", "chat", "--as", "+62 813 1111 2222")
	ref := regexp.MustCompile(`PJ-\d{4}-\d{4}`).FindString(out)
	if ref == "" {
		t.Fatalf("no loan request made:\n%s", out)
	}
	step("/info "+ref+" usahanya apa\n", "chat", "--officer", "1001")
	step("jualan sate kambing di pasar rahasia\n", "chat", "--as", "+62 813 1111 2222")
	step("/anggota KMM-002\n/tolak "+ref+" dokumen kurang\n", "chat", "--officer", "1001")
	// Budi leaves, his savings transferred to the account on file.
	out = step("/keluar KMM-002 transfer\n", "chat", "--officer", "1001")
	proposal := regexp.MustCompile(`/konfirmasi (\d+)`).FindStringSubmatch(out)
	if proposal == nil || !strings.Contains(out, "BNI 0987654321") {
		t.Fatalf("no leaving by transfer proposed:\n%s", out)
	}
	if out := step("/konfirmasi "+proposal[1]+"\n", "chat", "--officer", "1003"); !strings.Contains(out, "transfer") {
		t.Fatalf("leaving not confirmed:\n%s", out)
	}
	exported := filepath.Join(dir, "budi.json")
	step("", "member", "export", "KMM-002", "--officer", "1001", "--out", exported)
	body, _ := os.ReadFile(exported)
	for _, want := range []string{`"Number": "0987654321"`, `"withdrawals"`, `"account": "BNI 0987654321 a.n. Budi Santoso"`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("export lacks %s:\n%s", want, body)
		}
	}
	step("", "member", "erase", "KMM-002", "--officer", "1001")

	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	personal := []string{"Budi", "Santoso", "6281311112222", "81311112222", "2222", "sate kambing", "rahasia", "0987654321"}
	tables, err := conn.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for tables.Next() {
		var n string
		if err := tables.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	tables.Close()
	found := 0
	for _, table := range names {
		rows, err := conn.Query(`SELECT * FROM "` + table + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				s := fmt.Sprint(v)
				if b, ok := v.([]byte); ok {
					s = string(b)
				}
				// A timestamp's fraction may hold the last four digits by chance.
				if _, err := time.Parse(time.RFC3339Nano, s); err == nil {
					continue
				}
				if _, ok := v.(time.Time); ok {
					continue
				}
				for _, p := range personal {
					if strings.Contains(s, p) {
						found++
						t.Errorf("%s.%s still holds %q: %.120q", table, cols[i], p, s)
					}
				}
			}
		}
		rows.Close()
	}
	if found == 0 && len(names) < 20 {
		t.Fatalf("only %d tables searched: %v", len(names), names)
	}
	if code, out, _ := kopbot(t, "", "ledger", "check", "--db", db); code != 0 {
		t.Fatalf("ledger check after erase: %s", out)
	}
}
