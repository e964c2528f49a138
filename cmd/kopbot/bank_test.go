package main

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kopmem/kopbot/internal/clock"
)

const bankConfig = `db = "k.db"

[[officers]]
telegram_id = 1001
name = "Bu Rina"
role = "petugas"

[[payment.banks]]
bank = "Mandiri"
number = "123-00-4567890-1"
holder = "Kopmem Sejahtera"
statement = "mandiri"
`

// TestImportBank drives the commands a cooperative uses: Budi asks how to
// pay and is given an amount with his code; the treasurer imports the
// Mandiri statement; the officer books the matched line at the terminal;
// the ledger checks; the same statement again proposes nothing.
func TestImportBank(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "k.db")
	cfg := write(t, dir, "kopbot.toml", bankConfig)
	if code, out, errOut := kopbot(t, "", "import", "members", write(t, dir, "members.csv", membersCSV), "--db", db); code != 0 {
		t.Fatalf("import members: %d %s %s", code, out, errOut)
	}
	// Before any statement layout is known the import says what to set.
	if code, _, errOut := kopbot(t, "", "import", "bank", "x.csv", "--db", db); code == 0 || !strings.Contains(errOut, "payment.banks") {
		t.Fatalf("without banks: %d %s", code, errOut)
	}
	_, out, _ := kopbot(t, "bayar\n", "chat", "--config", cfg, "--db", db, "--as", "081311112222")
	m := regexp.MustCompile(`transfer tepat Rp([0-9.]+)`).FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, "Mandiri 123-00-4567890-1 a.n. Kopmem Sejahtera") {
		t.Fatalf("bayar:\n%s", out)
	}
	today := clock.Default().Now().In(clock.Jakarta()).Format("02/01/2006")
	statement := write(t, dir, "mutasi.csv", "Nomor Rekening;1230045678901\nPeriode;"+today+"\n\n"+
		"Tanggal;Keterangan;Debit;Kredit;Saldo\n"+
		today+";TRANSFER DARI BUDI SANTOSO;0,00;"+m[1]+",00;9.999.999,00\n"+
		today+";TRANSFER TANPA KODE;0,00;75.000,00;9.999.999,00\n"+
		today+";BIAYA ADM;12.500,00;0,00;9.999.999,00\n")
	code, out, errOut := kopbot(t, "", "import", "bank", statement, "--config", cfg, "--db", db)
	if code != 0 || !strings.Contains(out, "2 transfer masuk dibaca") || !strings.Contains(out, "• 1 cocok dengan kode unik") ||
		!strings.Contains(out, "baris 6, "+today+", Rp75.000: TRANSFER TANPA KODE") {
		t.Fatalf("import bank: %d\n%s%s", code, out, errOut)
	}
	_, out, _ = kopbot(t, "/mutasi MB-1\n/mutasi MB-1\n", "chat", "--config", cfg, "--db", db, "--officer", "1001")
	if !strings.Contains(out, "MB-1 dicatat untuk Budi Santoso") || !strings.Contains(out, "sudah dicatat oleh Bu Rina") {
		t.Fatalf("officer books the line:\n%s", out)
	}
	if code, out, errOut := kopbot(t, "", "ledger", "check", "--db", db); code != 0 {
		t.Fatalf("ledger check: %d\n%s%s", code, out, errOut)
	}
	_, out, _ = kopbot(t, "saldo\n", "chat", "--config", cfg, "--db", db, "--as", "081311112222")
	code3, _ := strconv.Atoi(m[1][len(m[1])-3:])
	if !regexp.MustCompile(`Sukarela\s+` + strconv.Itoa(code3) + `\n`).MatchString(out) {
		t.Fatalf("the code's Rupiah are not in Budi's sukarela:\n%s", out)
	}
	code, out, errOut = kopbot(t, "", "import", "bank", statement, "--config", cfg, "--db", db)
	if code != 0 || !strings.Contains(out, "• 0 cocok") || !strings.Contains(out, "• 1 sudah dibaca") {
		t.Fatalf("import bank again: %d\n%s%s", code, out, errOut)
	}
}
