package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestReportWritesWorkbooksThatTieToTheLedger(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "k.db")
	kopbot(t, "", "import", "members", write(t, dir, "m.csv", membersCSV), "--db", db)
	kopbot(t, "", "import", "savings", write(t, dir, "s.csv", savingsCSV), "--db", db)
	for kind, want := range map[string]string{
		"neraca":    "aset 1300000, kewajiban 1000000, ekuitas 300000, SHU belum ditutup 0, selisih 0",
		"labarugi":  "pendapatan 0, beban 0, SHU 0",
		"saldo":     "selisih 0",
		"kesehatan": "skor ",
	} {
		out := filepath.Join(dir, kind+".xlsx")
		code, stdout, stderr := kopbot(t, "", "report", kind, "--period", "2023", "--out", out, "--db", db)
		if code != 0 {
			t.Fatalf("report %s: exit %d: %s", kind, code, stderr)
		}
		if !strings.Contains(stdout, want) || !strings.Contains(stdout, "ledger check:") || !strings.Contains(stdout, ": OK") {
			t.Errorf("report %s said %q, want %q and the ledger check", kind, stdout, want)
		}
		f, err := excelize.OpenFile(out)
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		f.Close()
	}
	if code, _, _ := kopbot(t, "", "report", "neraca", "--db", db); code == 0 {
		t.Error("report without --out succeeded")
	}
	if code, _, _ := kopbot(t, "", "report", "neraca", "--period", "kemarin", "--out", filepath.Join(dir, "x.xlsx"), "--db", db); code == 0 {
		t.Error("report with a bad period succeeded")
	}
}

const journalCSV = `tanggal;bukti;akun;debit;kredit;keterangan
2023-01-01;NA-1;1101;2.000.000;;Neraca awal: kas
2023-01-01;NA-1;1201;5.000.000;;Neraca awal: inventaris
2023-01-01;NA-1;2103;;3.000.000;Utang bank
2023-01-01;NA-1;3103;;4.000.000;Cadangan umum
2023-02-10;BK-7;5202;125.000;;ATK
2023-02-10;BK-7;1101;;125.000;ATK
`

func TestImportJournalIsBalancedAndAllOrNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "k.db")
	bad := strings.Replace(journalCSV, "4.000.000", "3.900.000", 1) + "2023-02-11;X;SIMP-POKOK-KMM-001;1;;\n"
	code, _, stderr := kopbot(t, "", "import", "journal", write(t, dir, "bad.csv", bad), "--db", db)
	if code == 0 || !strings.Contains(stderr, "bukti NA-1 tidak seimbang") || !strings.Contains(stderr, "SIMP-POKOK-KMM-001 tidak ada") {
		t.Fatalf("bad journal: exit %d, %s", code, stderr)
	}
	code, out, stderr := kopbot(t, "", "import", "journal", write(t, dir, "j.csv", journalCSV), "--db", db)
	if code != 0 || !strings.Contains(out, "2 bukti, 2 dibukukan") {
		t.Fatalf("journal: exit %d, %s %s", code, out, stderr)
	}
	if _, out, _ = kopbot(t, "", "import", "journal", write(t, dir, "j.csv", journalCSV), "--db", db); !strings.Contains(out, "0 dibukukan, 2 sudah tercatat") {
		t.Errorf("second import: %s", out)
	}
	_, out, _ = kopbot(t, "", "report", "neraca", "--period", "2023", "--out", filepath.Join(dir, "n.xlsx"), "--db", db)
	if !strings.Contains(out, "aset 6875000, kewajiban 3000000, ekuitas 4000000, SHU belum ditutup -125000, selisih 0") {
		t.Errorf("neraca after the opening balance: %s", out)
	}
}
