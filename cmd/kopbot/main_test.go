package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/clock/clocktest"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	_ "modernc.org/sqlite"
)

// kopbot runs the command in-process and returns its exit code and output.
func kopbot(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	code := 0
	var ee exitError
	switch {
	case errors.As(err, &ee):
		code = ee.code
	case err != nil:
		code = 1
		errOut.WriteString(err.Error())
	}
	return code, out.String(), errOut.String()
}

func write(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const membersCSV = `no_anggota,nama,no_hp,tanggal_masuk,nik
KMM-001,Siti Aminah,0812-3456-7890,2023-01-15,3171234567890001
KMM-002,Budi Santoso,+62 813 1111 2222,15/02/2023,
`

const savingsCSV = `no_anggota;jenis;jumlah;tanggal;keterangan
KMM-001;pokok;100.000;2023-01-15;Simpanan pokok
KMM-001;wajib;50.000;2023-02-05;Wajib Februari
KMM-001;wajib;50.000;2023-03-05;Wajib Maret
KMM-001;sukarela;1.250.000;2023-03-20;Setoran
KMM-001;sukarela;-250.000;2023-04-01;Penarikan
KMM-002;pokok;100.000;2023-02-15;Simpanan pokok
`

func TestImportThenChat(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "k.db")
	members := write(t, dir, "members.csv", membersCSV)
	savings := write(t, dir, "savings.csv", savingsCSV)

	for range 2 { // re-running the same files changes nothing
		if code, out, errOut := kopbot(t, "", "import", "members", members, "--db", db); code != 0 {
			t.Fatalf("import members: %d %s %s", code, out, errOut)
		}
		if code, out, errOut := kopbot(t, "", "import", "savings", savings, "--db", db); code != 0 {
			t.Fatalf("import savings: %d %s %s", code, out, errOut)
		}
	}
	code, out, _ := kopbot(t, "saldo\nmutasi\nbahasa\n2\n1\n", "chat", "--db", db, "--as", "0812 3456 7890")
	if code != 0 {
		t.Fatalf("chat exit %d: %s", code, out)
	}
	for _, want := range []string{
		"Pokok       100.000", "Wajib       100.000", "Sukarela  1.000.000", "Total     1.200.000",
		"20/03/2023 Sukarela +1.250.000 1.450.000", "01/04/2023 Sukarela   -250.000 1.200.000",
		"Total      1,200,000", // English after "bahasa", "2", then "1" from the menu
	} {
		if !strings.Contains(out, want) {
			t.Errorf("chat output lacks %q:\n%s", want, out)
		}
	}
	if code, out, _ := kopbot(t, "", "ledger", "check", "--db", db); code != 0 || !strings.Contains(out, "OK") {
		t.Fatalf("ledger check: %d %s", code, out)
	}
}

func TestUnregisteredNumberGetsOnlyThePoliteAnswer(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "k.db")
	if code, _, errOut := kopbot(t, "", "import", "members", write(t, dir, "m.csv", membersCSV), "--db", db); code != 0 {
		t.Fatal(errOut)
	}
	_, out, _ := kopbot(t, "saldo\n1\nmutasi\n", "chat", "--db", db, "--as", "081399998888")
	// Told once a day; the other two lines are recorded, not answered.
	if strings.Count(out, "belum terdaftar") != 1 || strings.Contains(out, "Rp") || strings.Contains(out, "Siti") {
		t.Fatalf("an unregistered number saw:\n%s", out)
	}
}

func TestBadImportChangesNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "k.db")
	if code, _, errOut := kopbot(t, "", "import", "members", write(t, dir, "m.csv", membersCSV), "--db", db); code != 0 {
		t.Fatal(errOut)
	}
	bad := write(t, dir, "bad.csv", `no_anggota,jenis,jumlah,tanggal
KMM-001,wajib,50.000,2023-02-05
KMM-404,wajib,50.000,2023-02-05
KMM-001,arisan,50.000,2023-02-05
KMM-001,wajib,lima puluh,2023-02-05
KMM-001,wajib,50.000,31/02/2023
`)
	code, _, errOut := kopbot(t, "", "import", "savings", bad, "--db", db)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	for _, want := range []string{"baris 3:", "baris 4:", "baris 5:", "baris 6:", "4 "} {
		if !strings.Contains(errOut, want) {
			t.Errorf("report lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(errOut, "baris 2:") {
		t.Errorf("the good line was reported:\n%s", errOut)
	}
	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRow(`SELECT count(*) FROM ledger_postings`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("postings after a rejected import = %d, %v", n, err)
	}
}

func TestLedgerCheckFailsOnCorruption(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "k.db")
	kopbot(t, "", "import", "members", write(t, dir, "m.csv", membersCSV), "--db", db)
	kopbot(t, "", "import", "savings", write(t, dir, "s.csv", savingsCSV), "--db", db)
	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(`UPDATE ledger_accounts SET balance = balance + 1 WHERE code = 'KAS'`); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	if code, out, _ := kopbot(t, "", "ledger", "check", "--db", db); code != 1 {
		t.Fatalf("ledger check on a corrupted ledger: exit %d\n%s", code, out)
	}
}

func TestDemoScript(t *testing.T) {
	t.Parallel()
	code, out, errOut := kopbot(t, "menu\nsaldo\n1\nmutasi\nbantuan\nbahasa\n2\nsaldo\n", "demo")
	if code != 0 {
		t.Fatalf("demo exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Halo, Siti Rahayu", "Total     2.300.000", "Mutasi simpanan", "Bantuan", "Total      2,300,000"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
}

// TestDemoStory plays both seats of the demo through a whole loan: the
// member applies, the officer approves and disburses, the member pays two
// installments, and the ledger still balances.
func TestDemoStory(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "demo.db")
	today := clocktest.Now(t).In(clock.Jakarta())
	ref := "PJ-" + today.Format("0601") + "-0001"
	script := strings.Join([]string{
		"pinjam", "1", "5 juta", "12", "modal warung", "ya",
		"/antrian",
		"/setujui " + ref,
		":petugas 1001", // the approver does not disburse
		"/cair " + ref,
		"/bayar KMM-00001 491.667",
		"/bayar KMM-00001 491.667",
		"tagihan", "jadwal", "/laporan",
	}, "\n") + "\n"
	code, out, errOut := kopbot(t, script, "demo", "--db", db)
	if code != 0 {
		t.Fatalf("demo exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"Angsuran per bulan: Rp491.667", // the review
		"Pengajuan pinjaman baru PJ-",   // announced to the officers
		"disetujui oleh Pak Budi",       // the decision
		"sudah dicairkan",               // the member told of the disbursement
		"Sisa pokok  Rp4.583.333",       // the first receipt
		"Sisa pokok  Rp4.166.666",       // the second
		"sisa pokok Rp4.166.666",        // tagihan
		secondDue(today),                // jadwal
		"Angsuran    2    Rp983.334",    // laporan
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo story lacks %q", want)
		}
	}
	if n := strings.Count(out, "lunas"); n != 2 {
		t.Errorf("jadwal marks %d installments paid, want 2", n)
	}
	if t.Failed() {
		t.Log(out)
	}
	if code, out, _ := kopbot(t, "", "ledger", "check", "--db", db); code != 0 {
		t.Fatalf("ledger check after the story: %d %s", code, out)
	}
}

// secondDue is how the schedule shows the second installment of a loan
// disbursed on day: two months on, on the same day of the month, or the
// month's last day when it is shorter.
func secondDue(day time.Time) string {
	first := time.Date(day.Year(), day.Month()+2, 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return fmt.Sprintf(" 2 %02d/%02d", min(day.Day(), last), first.Month())
}

func TestBackupRestores(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "k.db")
	kopbot(t, "", "import", "members", write(t, dir, "m.csv", membersCSV), "--db", db)
	kopbot(t, "", "import", "savings", write(t, dir, "s.csv", savingsCSV), "--db", db)
	backup := filepath.Join(dir, "backup.db")
	if code, out, errOut := kopbot(t, "", "backup", backup, "--db", db); code != 0 {
		t.Fatalf("backup: %d %s %s", code, out, errOut)
	}
	// Restoring is using the copy as the database.
	_, out, _ := kopbot(t, "saldo\n", "chat", "--db", backup, "--as", "6281234567890")
	if !strings.Contains(out, "Total     1.200.000") {
		t.Fatalf("the backup answers:\n%s", out)
	}
	if code, _, _ := kopbot(t, "", "backup", backup, "--db", db); code == 0 {
		t.Fatal("backup overwrote an existing file")
	}
}

// TestStatementByValueDate: a history imported one sheet per kind, the older
// sheet last, reads by value date: mutasi shows the newest wajib deposits
// (with their year, not this one's) and the running total is right in that
// order; a named month shows that month.
func TestStatementByValueDate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "k.db")
	var wajib, sukarela strings.Builder
	wajib.WriteString("no_anggota;jenis;jumlah;tanggal;keterangan\n")
	sukarela.WriteString("no_anggota;jenis;jumlah;tanggal;keterangan\n")
	for m := 1; m <= 12; m++ {
		fmt.Fprintf(&wajib, "KMM-001;wajib;50.000;2025-%02d-05;Wajib\n", m)
		fmt.Fprintf(&sukarela, "KMM-001;sukarela;10.000;2024-%02d-20;Setoran\n", m)
	}
	for _, f := range []string{write(t, dir, "m.csv", membersCSV), write(t, dir, "w.csv", wajib.String()), write(t, dir, "s.csv", sukarela.String())} {
		kind := "savings"
		if strings.HasSuffix(f, "m.csv") {
			kind = "members"
		}
		if code, out, errOut := kopbot(t, "", "import", kind, f, "--db", db); code != 0 {
			t.Fatalf("import %s: %d %s %s", f, code, out, errOut)
		}
	}
	_, out, _ := kopbot(t, "mutasi\nmutasi mei 2024\nmutasi kemarin\n", "chat", "--db", db, "--as", "0812 3456 7890")
	last10, rest, _ := strings.Cut(out, "Mutasi simpanan Mei 2024")
	for _, want := range []string{"05/03/2025 Wajib +50.000 270.000", "05/12/2025 Wajib +50.000 720.000"} {
		if !strings.Contains(last10, want) {
			t.Errorf("mutasi lacks %q:\n%s", want, last10)
		}
	}
	if strings.Contains(last10, "Sukarela") || strings.Contains(last10, "05/02/2025") {
		t.Errorf("mutasi shows more than the last ten by date:\n%s", last10)
	}
	if !strings.Contains(rest, "20/05/2024 Sukarela +10.000 50.000") || strings.Count(rest, "Sukarela") != 1 {
		t.Errorf("mutasi mei 2024 is not May 2024's one line:\n%s", rest)
	}
	if !strings.Contains(rest, `bulan "kemarin" tidak kami kenali`) {
		t.Errorf("an unknown month is not explained:\n%s", rest)
	}
}

// A member's savings below zero balance the books but mean money paid out
// that the member never had: ledger check says so and fails.
func TestLedgerCheckReportsNegativeSavings(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "k.db")
	kopbot(t, "", "import", "members", write(t, dir, "m.csv", membersCSV), "--db", db)
	kopbot(t, "", "import", "savings", write(t, dir, "s.csv", savingsCSV), "--db", db)
	ctx := context.Background()
	a, err := app.Open(ctx, db, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = a.DB.Write(ctx, func(tx *sql.Tx) error {
		_, err := ledger.Post(ctx, tx, ledger.Entry{Key: "bad", Kind: "withdrawal", ValueDate: clocktest.Now(t), Actor: "x",
			Postings: []ledger.Posting{{Account: "SIMP-SUKARELA-KMM-001", Amount: decimal.NewFromInt(1_500_000)},
				{Account: "KAS", Amount: decimal.NewFromInt(-1_500_000)}}})
		return err
	})
	a.Close()
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ := kopbot(t, "", "ledger", "check", "--db", db)
	if code != 1 || !strings.Contains(out, "SIMP-SUKARELA-KMM-001: balance -500000, below zero") {
		t.Fatalf("ledger check with negative savings: exit %d\n%s", code, out)
	}
}

// TestApplyNamesPlafonAndProductMaximum: a member whose plafon (3× savings,
// Rp23.367.030) is above the product's maximum hears both figures, each by
// its name, and what they may ask for: the smaller.
func TestApplyNamesPlafonAndProductMaximum(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "k.db")
	savingsCSV := "no_anggota;jenis;jumlah;tanggal;keterangan\nKMM-001;pokok;100.000;2023-01-15;Pokok\nKMM-001;sukarela;7.689.010;2023-02-01;Setoran\n"
	for _, kind := range []string{"members", "savings"} {
		body := map[string]string{"members": membersCSV, "savings": savingsCSV}[kind]
		if code, out, errOut := kopbot(t, "", "import", kind, write(t, dir, kind+".csv", body), "--db", db); code != 0 {
			t.Fatalf("import %s: %d %s %s", kind, code, out, errOut)
		}
	}
	_, out, _ := kopbot(t, "pinjam\n1\n", "chat", "--db", db, "--as", "0812 3456 7890")
	if !strings.Contains(out, "Plafon Anda Rp23.367.030; produk ini minimal Rp500.000, maksimal Rp20.000.000. Anda dapat mengajukan paling banyak Rp20.000.000.") {
		t.Errorf("the amount question does not name plafon and product maximum apart:\n%s", out)
	}
}

// TestSaldoSaysWajibMonthsCovered: Rp150.000 of wajib paid on the 1st of
// this month at Rp50.000 a month covers it and the two after, and saldo
// says so; a member who paid nothing hears what this month lacks.
func TestSaldoSaysWajibMonthsCovered(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "k.db")
	// The command's clock: KOPBOT_NOW in the CI matrix, the test instant otherwise.
	now := clock.Default().Now().In(clock.Jakarta())
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	months := []string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}
	name := func(t time.Time) string { return fmt.Sprintf("%s %d", months[t.Month()-1], t.Year()) }
	savingsCSV := "no_anggota;jenis;jumlah;tanggal;keterangan\nKMM-001;wajib;150.000;" + first.Format(time.DateOnly) + ";Wajib 3 bulan\n"
	for _, kind := range []string{"members", "savings"} {
		body := map[string]string{"members": membersCSV, "savings": savingsCSV}[kind]
		if code, out, errOut := kopbot(t, "", "import", kind, write(t, dir, kind+".csv", body), "--db", db); code != 0 {
			t.Fatalf("import %s: %d %s %s", kind, code, out, errOut)
		}
	}
	for phone, want := range map[string]string{"0812 3456 7890": "Simpanan wajib lunas s.d. " + name(first.AddDate(0, 2, 0)) + ".",
		"081311112222": "Simpanan wajib " + name(first) + " masih kurang Rp50.000."} {
		_, out, _ := kopbot(t, "saldo\n", "chat", "--db", db, "--as", phone)
		if !strings.Contains(out, want) {
			t.Errorf("%s: saldo lacks %q:\n%s", phone, want, out)
		}
	}
}

// writeXLSX saves rows as the first sheet of a workbook, dates as Excel
// dates (dd/mm/yyyy), amounts and phone numbers as numbers.
func writeXLSX(t *testing.T, dir, name string, rows [][]any) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	fmtID := "dd/mm/yyyy"
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &fmtID})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
		for j, v := range r {
			if _, ok := v.(time.Time); ok {
				c, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if err := f.SetCellStyle(sheet, c, c, date); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	p := filepath.Join(dir, name)
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestImportXLSXAndDuplicates: members and savings come from Excel
// workbooks; two identical deposits without a ref refuse the file, saying
// how many lines look doubled and how to go on; with --allow-duplicates both
// are posted, and importing again posts nothing.
func TestImportXLSXAndDuplicates(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "k.db")
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	members := writeXLSX(t, dir, "anggota.xlsx", [][]any{
		{"no_anggota", "nama", "no_hp", "tanggal_masuk"},
		{"KMM-001", "Siti Aminah", 6281234567890, day(2023, 1, 15)},
	})
	savingsFile := writeXLSX(t, dir, "simpanan.xlsx", [][]any{
		{"no_anggota", "jenis", "jumlah", "tanggal", "keterangan"},
		{"KMM-001", "sukarela", 250000, day(2025, 5, 2), "Setor"},
		{"KMM-001", "sukarela", 250000, day(2025, 5, 2), "Setor"},
		{"KMM-001", "pokok", 100000, day(2023, 1, 15), "Pokok"},
	})
	if code, out, errOut := kopbot(t, "", "import", "members", members, "--db", db); code != 0 {
		t.Fatalf("import members: %d %s %s", code, out, errOut)
	}
	code, _, errOut := kopbot(t, "", "import", "savings", savingsFile, "--db", db)
	if code != 1 || !strings.Contains(errOut, "baris 3: sama persis dengan baris 2") ||
		!strings.Contains(errOut, "1 baris tampak dobel") || !strings.Contains(errOut, "--allow-duplicates") {
		t.Fatalf("doubled lines: exit %d\n%s", code, errOut)
	}
	for i := range 2 {
		code, out, errOut := kopbot(t, "", "import", "savings", savingsFile, "--db", db, "--allow-duplicates")
		if code != 0 {
			t.Fatalf("import %d with --allow-duplicates: %d %s %s", i, code, out, errOut)
		}
	}
	_, out, _ := kopbot(t, "saldo\n", "chat", "--db", db, "--as", "0812 3456 7890")
	if !strings.Contains(out, "Sukarela  500.000") || !strings.Contains(out, "Total     600.000") {
		t.Errorf("saldo after the workbook import:\n%s", out)
	}
	if code, out, _ := kopbot(t, "", "ledger", "check", "--db", db); code != 0 {
		t.Errorf("ledger check: %s", out)
	}
}
