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
