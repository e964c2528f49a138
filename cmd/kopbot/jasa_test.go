package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestJasaPaysAMonthOnceAndTheMemberSeesIt: kopbot jasa shows a month's
// jasa simpanan, pays it once, and the member reads it in mutasi and saldo;
// with the default rate nothing is paid, and a month not over is refused.
func TestJasaPaysAMonthOnceAndTheMemberSeesIt(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "k.db")
	kopbot(t, "", "import", "members", write(t, dir, "m.csv", membersCSV), "--db", db)
	kopbot(t, "", "import", "savings", write(t, dir, "s.csv", savingsCSV), "--db", db)
	if _, out, _ := kopbot(t, "", "jasa", "post", "--period", "2023-05", "--db", db); !strings.Contains(out, "tidak dibayar") {
		t.Fatalf("rate 0%%: %q, want nothing paid", out)
	}
	cfg := write(t, dir, "kopbot.toml", "[savings]\nsukarela_rate = \"6%\"\n")
	// KMM-001 holds 1.000.000 of sukarela all May: 1.000.000 × 6% / 12.
	code, out, stderr := kopbot(t, "", "jasa", "preview", "--period", "2023-05", "--config", cfg, "--db", db)
	if code != 0 || !strings.Contains(out, "KMM-001  saldo terendah Rp1.000.000  jasa Rp5.000") || !strings.Contains(out, "1 anggota, Rp5.000. Belum dibukukan") {
		t.Fatalf("preview: exit %d: %s %s", code, out, stderr)
	}
	for i, want := range []string{"1 anggota, Rp5.000, tanggal 31/05/2023; 1 baru", "1 anggota, Rp5.000, tanggal 31/05/2023; 0 baru"} {
		code, out, stderr := kopbot(t, "", "jasa", "post", "--period", "2023-05", "--config", cfg, "--db", db)
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("post %d: exit %d: %q %s, want %q", i+1, code, out, stderr, want)
		}
	}
	if code, out, _ := kopbot(t, "", "ledger", "check", "--db", db); code != 0 {
		t.Fatalf("ledger check: %s", out)
	}
	_, out, _ = kopbot(t, "mutasi mei 2023\nsaldo\n", "chat", "--as", "6281234567890", "--db", db)
	for _, want := range []string{"31/05/2023 Jasa simpanan Mei 2023 +5.000", "Jasa simpanan Mei 2023: Rp5.000, masuk ke simpanan sukarela."} {
		if !strings.Contains(out, want) {
			t.Errorf("the member does not read %q in:\n%s", want, out)
		}
	}
	if code, _, stderr := kopbot(t, "", "jasa", "post", "--period", "2999-01", "--config", cfg, "--db", db); code == 0 || !strings.Contains(stderr, "belum berakhir") {
		t.Errorf("a month not over: exit %d, %s", code, stderr)
	}
	if code, _, stderr := kopbot(t, "", "jasa", "bayar", "--config", cfg, "--db", db); code == 0 || !strings.Contains(stderr, "kopbot jasa preview|post") {
		t.Errorf("unknown verb: exit %d, %s", code, stderr)
	}
}
