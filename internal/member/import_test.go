package member

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/csvin"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/xuri/excelize/v2"
)

func importString(t *testing.T, db *store.DB, csv string) (ImportResult, error) {
	t.Helper()
	return Import(context.Background(), db, strings.NewReader(csv))
}

func count(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.R.QueryRowContext(context.Background(), `SELECT count(*) FROM members`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func mustFind(t *testing.T, db *store.DB, number string) Member {
	t.Helper()
	m, err := ByNumber(context.Background(), db.R, number)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

const goodFile = `no_anggota,nama,no_hp,tanggal_masuk,nik,bahasa
A-001,Siti  Aminah,0812-3456-7890,2024-03-05,3201234567890123,
A-002,Budi Santoso,+62 813 1111 2222,05/03/2024,,en
A-003,Made Wirawan,(0857) 1234 5678,5-3-2024,,ID
`

func TestImportCreates(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	res, err := importString(t, db, goodFile)
	if err != nil {
		t.Fatal(err)
	}
	if want := (ImportResult{Rows: 3, Created: 3}); !reflect.DeepEqual(res, want) {
		t.Fatalf("result = %+v; want %+v", res, want)
	}
	got := mustFind(t, db, "A-001")
	want := Member{ID: got.ID, Number: "A-001", Name: "Siti Aminah", Phone: "6281234567890", NIK: "3201234567890123", JoinedOn: date("2024-03-05"), Lang: "id"}
	if got != want {
		t.Errorf("A-001 = %+v; want %+v", got, want)
	}
	for number, want := range map[string]Member{
		"A-002": {Phone: "6281311112222", Lang: "en"},
		"A-003": {Phone: "6285712345678", Lang: "id"},
	} {
		got := mustFind(t, db, number)
		if got.Phone != want.Phone || got.Lang != want.Lang || !got.JoinedOn.Equal(date("2024-03-05")) {
			t.Errorf("%s = %+v; want phone %s, lang %s, joined 2024-03-05", number, got, want.Phone, want.Lang)
		}
	}
}

func TestImportReportsEveryProblemAndWritesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	if _, err := Create(ctx, db.W, Member{Number: "X-900", Name: "Existing", Phone: "6281900000000", JoinedOn: date("2020-01-01")}); err != nil {
		t.Fatal(err)
	}
	// Line 4 holds a quoted line break, so record and line numbers part
	// ways; line 7 is blank and skipped.
	file := "no_anggota,nama,no_hp,tanggal_masuk,nik,bahasa\n" + // 1
		"B-001,Ani,0812-3456-7890,2024-01-01,,\n" + // 2: fine
		"B-002,Bayu,0812-34,2024-01-01,,\n" + // 3
		"B-003,\"Citra\nDewi\",021-5551234,2024-01-01,,\n" + // 4-5
		"B-004,Dodi,0813-1111-2222,31/02/2024,,\n" + // 6
		"\n" + // 7
		"B-005,Eka,0813-3333-4444,2024-01-01,32012345,\n" + // 8
		"B-006,Fajar,0813-5555-6666,2024-01-01,,jawa\n" + // 9
		"B-001,Gita,0813-7777-8888,2024-01-01,,\n" + // 10
		"B-008,Hadi,+62 812 3456 7890,2024-01-01,,\n" + // 11
		"B-009,Indah,0819-0000-0000,2024-01-01,,\n" + // 12: X-900's phone
		"B-010,-,0813-9999-0000,2024-01-01,,\n" + // 13
		"B-011,,0813-9999-1111,2024-01-01,,\n" + // 14
		"B-012,Joko,0813-9999-2222,12/31/2024,,\n" // 15
	_, err := importString(t, db, file)
	var errs csvin.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("err = %v; want csvin.Errors", err)
	}
	var got []string
	for _, e := range errs {
		got = append(got, fmt.Sprintf("%d %s %s", e.Line, e.Field, e.Code))
	}
	want := []string{
		"3 no_hp phone_invalid",
		"4 no_hp phone_not_mobile",
		"6 tanggal_masuk date_invalid",
		"8 nik nik_invalid",
		"9 bahasa lang_invalid",
		"10 no_anggota number_duplicate",
		"11 no_hp phone_duplicate",
		"12 no_hp phone_duplicate",
		"13 nama name_empty",
		"14 nama required",
		"15 tanggal_masuk date_invalid",
	}
	if !slices.Equal(got, want) {
		t.Errorf("errors:\n got %q\nwant %q", got, want)
	}
	if errs[0].Value != "0812-34" {
		t.Errorf("line 3 value = %q; want the phone as typed", errs[0].Value)
	}
	if n := count(t, db); n != 1 {
		t.Errorf("members after a refused import = %d; want the 1 that was there", n)
	}
}

func TestImportHeaderProblem(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	_, err := importString(t, db, "no_anggota,nama,tanggal_masuk\nA-1,Ani,2024-01-01\n")
	var errs csvin.Errors
	if !errors.As(err, &errs) || len(errs) != 1 || errs[0].Code != "missing_column" || errs[0].Field != "no_hp" {
		t.Fatalf("err = %v; want one missing_column no_hp", err)
	}
}

func TestReimportChangesNothing(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	if _, err := importString(t, db, goodFile); err != nil {
		t.Fatal(err)
	}
	before := mustFind(t, db, "A-001")
	res, err := importString(t, db, goodFile)
	if err != nil {
		t.Fatal(err)
	}
	if want := (ImportResult{Rows: 3, Unchanged: 3}); !reflect.DeepEqual(res, want) {
		t.Fatalf("re-import = %+v; want %+v", res, want)
	}
	if after := mustFind(t, db, "A-001"); after != before {
		t.Errorf("A-001 changed by a re-import: %+v → %+v", before, after)
	}
}

func TestImportUpdates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	if _, err := importString(t, db, goodFile); err != nil {
		t.Fatal(err)
	}
	a2 := mustFind(t, db, "A-002")
	if err := SetLanguage(ctx, db.W, a2.ID, "id"); err != nil { // the member's own choice in chat
		t.Fatal(err)
	}
	// swap phones, A-003's name is corrected, A-001's NIK
	// is left empty (kept), A-004 is new and takes nobody's phone.
	file := `no_anggota,nama,no_hp,tanggal_masuk,nik,bahasa
A-001,Siti Aminah,0813-1111-2222,2024-03-05,,
A-002,Budi Santoso,0812-3456-7890,2024-03-05,,en
A-003,I Made Wirawan,0857-1234-5678,2024-03-05,,
A-004,Rina,0878-1234-5678,2025-01-10,,
`
	res, err := importString(t, db, file)
	if err != nil {
		t.Fatal(err)
	}
	want := ImportResult{Rows: 4, Created: 1, Updated: 3, Moved: []Moved{{"A-001", "6281234567890", "6281311112222"},
		{"A-002", "6281311112222", "6281234567890"}}}
	if !reflect.DeepEqual(res, want) {
		t.Fatalf("result = %+v; want %+v", res, want)
	}
	if m := mustFind(t, db, "A-001"); m.Phone != "6281311112222" || m.NIK != "3201234567890123" {
		t.Errorf("A-001 = %+v; want the new phone and the kept NIK", m)
	}
	if m := mustFind(t, db, "A-002"); m.Phone != "6281234567890" || m.Lang != "id" {
		t.Errorf("A-002 = %+v; want A-001's old phone and the language chosen in chat", m)
	}
	if m := mustFind(t, db, "A-003"); m.Name != "I Made Wirawan" {
		t.Errorf("A-003 name = %q", m.Name)
	}
	if n := count(t, db); n != 4 {
		t.Errorf("members = %d; want 4", n)
	}
}

func TestImportExcelSemicolonsWithBOM(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	file := "\ufeffMember_Number ; Name ; Phone ; Join_Date ; NIK ; Language\r\n" +
		"A-001;Siti Aminah;0812 3456 7890;05/03/2024;3201234567890123;en\r\n" +
		"A-002;Budi;628131111222 2;2024-03-05;;\r\n"
	res, err := importString(t, db, file)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 2 {
		t.Fatalf("result = %+v; want 2 created", res)
	}
	if m := mustFind(t, db, "A-001"); m.Name != "Siti Aminah" || m.Phone != "6281234567890" || m.Lang != "en" {
		t.Errorf("A-001 = %+v", m)
	}
}

func TestImportQuotedCommas(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	file := `no_anggota,nama,no_hp,tanggal_masuk
"A-001","Aminah, S.Pd.","0812-3456-7890","2024-03-05"
A-002,"Budi ""Bud"" Santoso, S.E.",0813-1111-2222,2024-03-05
`
	if _, err := importString(t, db, file); err != nil {
		t.Fatal(err)
	}
	if m := mustFind(t, db, "A-001"); m.Name != "Aminah, S.Pd." {
		t.Errorf("A-001 name = %q", m.Name)
	}
	if m := mustFind(t, db, "A-002"); m.Name != `Budi "Bud" Santoso, S.E.` {
		t.Errorf("A-002 name = %q", m.Name)
	}
}

// BenchmarkImport imports a generated members file from disk into a fresh
// database and reports rows/s and the process's peak resident memory
// (Linux's VmHWM, reset before each size), which counts SQLite's pages as
// well as Go's heap. KOPBOT_IMPORT_ROWS adds a size (1000000 for the
// figure in the README); by default 10,000 and 100,000.
func BenchmarkImport(b *testing.B) {
	sizes := []int{10_000, 100_000}
	if n, err := strconv.Atoi(os.Getenv("KOPBOT_IMPORT_ROWS")); err == nil {
		sizes = append(sizes, n)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			file := filepath.Join(b.TempDir(), "members.csv")
			writeMembers(b, file, n)
			for b.Loop() {
				b.StopTimer()
				db := openDB(b)
				f, err := os.Open(file)
				if err != nil {
					b.Fatal(err)
				}
				resetPeakRSS(b)
				b.StartTimer()
				res, err := Import(context.Background(), db, f)
				b.StopTimer()
				f.Close()
				if err != nil || res.Created != n {
					b.Fatalf("import = %+v, %v", res, err)
				}
				b.ReportMetric(float64(peakRSS(b))/(1<<20), "peak-MB")
				b.StartTimer()
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

func writeMembers(tb testing.TB, path string, n int) {
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString("no_anggota,nama,no_hp,tanggal_masuk,nik,bahasa\n")
	for i := range n {
		fmt.Fprintf(w, "A-%07d,Anggota %d,0812-%04d-%04d,%02d/%02d/2024,32%014d,id\n", i, i, i/10000+1000, i%10000, i%28+1, i%12+1, i)
	}
	if err := errors.Join(w.Flush(), f.Close()); err != nil {
		tb.Fatal(err)
	}
}

// resetPeakRSS starts Linux's count of the process's peak resident memory
// afresh ("5" to clear_refs).
func resetPeakRSS(tb testing.TB) {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		tb.Skipf("peak memory cannot be measured here: %v", err)
	}
}

// peakRSS is the process's peak resident memory in bytes since
// resetPeakRSS.
func peakRSS(tb testing.TB) int64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		tb.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if kb, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(kb), "kB")), 10, 64)
			if err != nil {
				tb.Fatal(err)
			}
			return n << 10
		}
	}
	tb.Fatal("no VmHWM in /proc/self/status")
	return 0
}

// A member whose phone the office changes is reached at the new number
// only: the chats kopbot knew are forgotten, and what still waited for the
// old number (perhaps someone else's now) is given up, for /gagal.
func TestPhoneChangeForgetsTheOldNumber(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	if _, err := importString(t, db, goodFile); err != nil {
		t.Fatal(err)
	}
	siti := mustFind(t, db, "A-001")
	budi := mustFind(t, db, "A-002")
	oldChat := "6281234567890@s.whatsapp.net"
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		for _, touch := range []struct {
			id   int64
			ch   channel.Name
			chat string
		}{{siti.ID, channel.WhatsApp, oldChat}, {siti.ID, channel.Telegram, "555"}, {budi.ID, channel.WhatsApp, "6281311112222@s.whatsapp.net"}} {
			if err := Touch(ctx, tx, touch.id, touch.ch, touch.chat, date("2026-11-01")); err != nil {
				return err
			}
		}
		_, err := outbox.Enqueue(ctx, tx, outbox.Item{Reply: channel.Reply{Channel: channel.WhatsApp, Chat: oldChat,
			Text: "Kuitansi untuk Siti"}}, date("2026-11-01"))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	res, err := importString(t, db, strings.Replace(goodFile, "0812-3456-7890", "0877-0000-1111", 1))
	if err != nil {
		t.Fatal(err)
	}
	if want := []Moved{{"A-001", "6281234567890", "6287700001111"}}; !reflect.DeepEqual(res.Moved, want) {
		t.Errorf("moved %+v, want %+v", res.Moved, want)
	}
	siti = mustFind(t, db, "A-001")
	if a, err := Reach(ctx, db.R, siti); err != nil || a != (Address{channel.WhatsApp, "6287700001111@s.whatsapp.net"}) {
		t.Errorf("Siti is reached at %+v (%v), want WhatsApp at the new number", a, err)
	}
	if a, err := Reach(ctx, db.R, budi); err != nil || a.Chat != "6281311112222@s.whatsapp.net" {
		t.Errorf("Budi, unchanged, is reached at %+v (%v)", a, err)
	}
	failed, err := outbox.Failed(ctx, db.R, date("2026-01-01"), 10)
	if err != nil || len(failed) != 1 || failed[0].Chat != oldChat || !strings.Contains(failed[0].LastError, "nomor lama") {
		t.Fatalf("the receipt for the old number: %+v %v, want it given up", failed, err)
	}
}

// Numbers that read the same as another (case, another dash, invisible
// characters) and names with control or text-direction characters are
// refused by line; a look-up by a look-alike spelling finds the member.
func TestImportRefusesLookalikes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	if _, err := importString(t, db, goodFile); err != nil {
		t.Fatal(err)
	}
	file := "no_anggota,nama,no_hp,tanggal_masuk\n" +
		"a-001,Siti Aminah,0812-9999-0001,2024-03-05\n" + // 2: A-001 in lower case
		"A\u2010002,Budi,0812-9999-0002,2024-03-05\n" + // 3: a Unicode hyphen
		"B-001,Ani,0813-2222-3333,2024-03-05\n" + // 4: fine
		"B\uff0d001,Ani,0813-2222-4444,2024-03-05\n" + // 5: a full-width B-001
		"B-003,Ani\u202e,0813-2222-5555,2024-03-05\n" + // 6: a right-to-left override
		"B-004,Ani\x07,0813-2222-6666,2024-03-05\n" + // 7: a control character
		"B-005\u200f,Ani,0813-2222-7777,2024-03-05\n" // 8: a right-to-left mark
	_, err := importString(t, db, file)
	var errs csvin.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("err = %v; want csvin.Errors", err)
	}
	var got []string
	for _, e := range errs {
		got = append(got, fmt.Sprintf("%d %s %s", e.Line, e.Field, e.Code))
	}
	want := []string{"2 no_anggota number_lookalike", "3 no_anggota number_lookalike", "5 no_anggota number_lookalike",
		"6 nama name_control", "7 nama name_control", "8 no_anggota number_lookalike"}
	if !slices.Equal(got, want) {
		t.Fatalf("errors:\n got %q\nwant %q", got, want)
	}
	if n := count(t, db); n != 3 {
		t.Fatalf("members = %d after a refused import", n)
	}
	for _, typed := range []string{"a-001", "A\u2011001", "Ａ-００１"} {
		if m, err := ByNumber(ctx, db.R, typed); err != nil || m.Number != "A-001" {
			t.Errorf("ByNumber(%q) = %+v, %v; want A-001", typed, m, err)
		}
	}
}

// A file wrong on every line is reported by its first maxErrors problems
// and the number of the rest, and writes nothing.
func TestImportCountsProblemsPastTheFirstThousand(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	var sb strings.Builder
	sb.WriteString("no_anggota,nama,no_hp,tanggal_masuk\n")
	for i := range maxErrors + 5 {
		fmt.Fprintf(&sb, "A-%05d,Anggota,0812-%04d-%04d,31/02/2024\n", i, 1000+i/10000, i%10000)
	}
	_, err := importString(t, db, sb.String())
	var errs csvin.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("err = %v; want csvin.Errors", err)
	}
	if len(errs) != maxErrors+1 || errs[maxErrors-1].Line != maxErrors+1 {
		t.Fatalf("%d problems, the last kept on line %d; want %d and line %d", len(errs), errs[len(errs)-2].Line, maxErrors+1, maxErrors+1)
	}
	if last := errs[maxErrors]; last.Code != "more" || last.Value != "5" {
		t.Errorf("last problem = %+v; want 5 more", last)
	}
	if n := count(t, db); n != 0 {
		t.Errorf("members = %d after a refused import", n)
	}
}

// TestImportBankAccount: the optional bank columns put a member's account
// on file, from a CSV or a workbook (a number cell included); empty cells
// keep what is on file, a new account replaces it, and a line with part of
// an account, or a number that is none, refuses the file.
func TestImportBankAccount(t *testing.T) {
	t.Parallel()
	siti := BankAccount{Bank: "BCA", Number: "1234567890", Holder: "Siti Aminah"}
	for _, c := range []struct {
		name  string
		lines [][]any // after the header; each file is imported in turn
		want  BankAccount
		codes []string // of the last file
	}{
		{"on file", [][]any{{"A-001", "Siti Aminah", "081234567890", "2024-03-05", "BCA", "123-456-7890", "Siti  Aminah"}}, siti, nil},
		{"a number cell", [][]any{{"A-001", "Siti Aminah", "081234567890", "2024-03-05", "BCA", 1234567890, "Siti Aminah"}}, siti, nil},
		{"empty cells keep it", [][]any{
			{"A-001", "Siti Aminah", "081234567890", "2024-03-05", "BCA", "1234567890", "Siti Aminah"},
			{"A-001", "Siti Aminah", "081234567890", "2024-03-05", "", "", ""}}, siti, nil},
		{"a new account replaces it", [][]any{
			{"A-001", "Siti Aminah", "081234567890", "2024-03-05", "BRI", "0000111122", "Siti"},
			{"A-001", "Siti Aminah", "081234567890", "2024-03-05", "BCA", "1234567890", "Siti Aminah"}}, siti, nil},
		{"no account", [][]any{{"A-001", "Siti Aminah", "081234567890", "2024-03-05", "", "", ""}}, BankAccount{}, nil},
		{"part of one", [][]any{{"A-001", "Siti Aminah", "081234567890", "2024-03-05", "BCA", "1234567890", ""}},
			BankAccount{}, []string{"2 bank bank_incomplete"}},
		{"no number", [][]any{{"A-001", "Siti Aminah", "081234567890", "2024-03-05", "BCA", "12-34", "Siti"}},
			BankAccount{}, []string{"2 no_rekening bank_invalid"}},
	} {
		for _, format := range []string{"csv", "xlsx"} {
			t.Run(c.name+" "+format, func(t *testing.T) {
				t.Parallel()
				db := openDB(t)
				var err error
				for _, line := range c.lines {
					_, err = Import(context.Background(), db, bankFile(t, format, line))
					if err != nil && c.codes == nil {
						t.Fatal(err)
					}
				}
				var got []string
				var errs csvin.Errors
				if errors.As(err, &errs) {
					for _, e := range errs {
						got = append(got, fmt.Sprintf("%d %s %s", e.Line, e.Field, e.Code))
					}
				}
				if !slices.Equal(got, c.codes) {
					t.Fatalf("errors %q, want %q", got, c.codes)
				}
				if c.codes != nil {
					if n := count(t, db); n != 0 {
						t.Fatalf("%d members after a refused file", n)
					}
					return
				}
				if m := mustFind(t, db, "A-001"); m.Bank != c.want {
					t.Fatalf("on file %+v, want %+v", m.Bank, c.want)
				}
			})
		}
	}
}

// bankFile is a members file with the bank columns and one line, as CSV or
// as a workbook.
func bankFile(t *testing.T, format string, line []any) io.Reader {
	t.Helper()
	header := []any{"no_anggota", "nama", "no_hp", "tanggal_masuk", "bank", "no_rekening", "atas_nama"}
	if format == "csv" {
		var b strings.Builder
		for _, r := range [][]any{header, line} {
			for i, v := range r {
				if i > 0 {
					b.WriteString(",")
				}
				fmt.Fprint(&b, v)
			}
			b.WriteString("\n")
		}
		return strings.NewReader(b.String())
	}
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range [][]any{header, line} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(f.GetSheetName(0), cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return &buf
}

func TestParseBankAccount(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]BankAccount{
		"BCA 1234567890 a.n. Siti Aminah":          {"BCA", "1234567890", "Siti Aminah"},
		"Bank Jateng 2-013-04567-8 an Budi":        {"Bank Jateng", "2013045678", "Budi"},
		"bri 0123 0100 0123 501 atas nama Siti A.": {"bri", "012301000123501", "Siti A."},
		"BCA 1234567890":                           {},
		"1234567890 a.n. Siti":                     {},
		"BCA 12345 a.n. Siti":                      {},
		"BCA 1234567890 a.n.":                      {},
		"BCA 12345x7890 a.n. Siti":                 {},
	} {
		got, err := ParseBankAccount(in)
		if got != want || (err == nil) != (want != BankAccount{}) {
			t.Errorf("ParseBankAccount(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
}
