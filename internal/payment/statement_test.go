package payment_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/kopmem/kopbot/internal/payment"
)

func account(preset string) payment.BankAccount {
	return payment.BankAccount{Bank: "X", Ledger: "BANK-X", Layout: payment.Presets[preset]}
}

func TestReadStatementPresets(t *testing.T) {
	t.Parallel()
	type credit struct {
		row    int
		date   string
		amount int64
		desc   string
	}
	tests := []struct {
		name            string
		acct            payment.BankAccount
		file            string
		credits         []credit
		debits, skipped int
		errLines        []int
	}{
		{"bca: preamble, one amount column marked CR/DB, English numbers", account("bca"),
			"Informasi Rekening - Mutasi Rekening\nNo. rekening : 1234567890\nPeriode : 01/12/2026 - 03/12/2026\n\n" +
				"Tanggal Transaksi,Keterangan,Cabang,Jumlah,Saldo\n" +
				"01/12/2026,TRSF E-BANKING CR 0112/FTSCY/WS95031 SITI AMINAH,0000,\"1,180,419.00 CR\",\"5,180,419.00\"\n" +
				"02/12/2026,BIAYA ADM,0000,\"10,000.00 DB\",\"5,170,419.00\"\n" +
				"02/12/2026,SETORAN TUNAI,0998,\"100,000.00 CR\",\"5,270,419.00\"\n" +
				"Saldo Awal,,,,\"4,000,000.00\"\nMutasi Kredit,,,\"1,280,419.00\",\n",
			[]credit{{6, "2026-12-01", 1_180_419, "TRSF E-BANKING CR 0112/FTSCY/WS95031 SITI AMINAH"}, {8, "2026-12-02", 100_000, "SETORAN TUNAI"}},
			1, 2, nil},
		{"mandiri: debit and credit columns, Indonesian numbers, semicolons", account("mandiri"),
			"Tanggal;Keterangan;Debit;Kredit;Saldo\n" +
				"01/12/2026;Transfer dari SITI AMINAH;0,00;1.180.419,00;5.180.419,00\n" +
				"01/12/2026;Biaya administrasi;12.500,00;0,00;5.167.919,00\n" +
				"03/12/2026;Transfer dari BUDI;;491.790,00;5.659.709,00\n",
			[]credit{{2, "2026-12-01", 1_180_419, "Transfer dari SITI AMINAH"}, {4, "2026-12-03", 491_790, "Transfer dari BUDI"}},
			1, 0, nil},
		{"bri: its own names, two-digit years, an unreadable amount", account("bri"),
			"TANGGAL TRANSAKSI,URAIAN TRANSAKSI,TELLER,DEBET,KREDIT,SALDO\n" +
				"01/12/26,NBMB SITI AMINAH TO KOPMEM,8888,0.00,\"1,180,419.00\",0\n" +
				"02/12/26,SALAH KETIK,8888,0.00,\"1.180.419,50\",0\n" +
				"02/12/26,BUNGA,,,,0\n",
			[]credit{{2, "2026-12-01", 1_180_419, "NBMB SITI AMINAH TO KOPMEM"}},
			0, 1, []int{3}},
		{"custom columns", payment.BankAccount{Ledger: "BANK-BPD", Layout: payment.Layout{Date: "Tgl", Description: "Uraian", Credit: "Masuk"}},
			"Tgl,Uraian,Masuk\n2026-12-01,dari siti,Rp 491.790\n",
			[]credit{{2, "2026-12-01", 491_790, "dari siti"}}, 0, 0, nil},
	}
	for _, tc := range tests {
		st, err := payment.ReadStatement(strings.NewReader(tc.file), tc.acct, wib)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(st.Credits) != len(tc.credits) || st.Debits != tc.debits || st.Skipped != tc.skipped || len(st.Errors) != len(tc.errLines) {
			t.Fatalf("%s: %d credits, %d debits, %d skipped, errors %v; want %d, %d, %d, lines %v", tc.name, len(st.Credits),
				st.Debits, st.Skipped, st.Errors, len(tc.credits), tc.debits, tc.skipped, tc.errLines)
		}
		for i, want := range tc.credits {
			got := st.Credits[i]
			if got.Row != want.row || got.Date.Format("2006-01-02") != want.date || got.Amount.IntPart() != want.amount ||
				got.Description != want.desc || !strings.HasPrefix(got.Key, "bank:") {
				t.Errorf("%s: credit %d = %+v, want %+v", tc.name, i, got, want)
			}
		}
		for i, line := range tc.errLines {
			if st.Errors[i].Line != line || st.Errors[i].Code != "amount_invalid" {
				t.Errorf("%s: error %d = %+v, want line %d", tc.name, i, st.Errors[i], line)
			}
		}
	}
}

// A line's key is its identity across imports: the same file read again
// gives the same keys; two identical transfers on one day are two lines.
func TestStatementLineKeys(t *testing.T) {
	t.Parallel()
	file := "Tanggal;Keterangan;Debit;Kredit\n01/12/2026;Transfer;0;50.000\n01/12/2026;Transfer;0;50.000\n02/12/2026;Transfer;0;50.000\n"
	read := func(f string, acct payment.BankAccount) []string {
		st, err := payment.ReadStatement(strings.NewReader(f), acct, wib)
		if err != nil {
			t.Fatal(err)
		}
		keys := make([]string, len(st.Credits))
		for i, c := range st.Credits {
			keys[i] = c.Key
		}
		return keys
	}
	first, again := read(file, account("mandiri")), read(file, account("mandiri"))
	if strings.Join(first, ",") != strings.Join(again, ",") {
		t.Fatalf("read twice: %v, %v", first, again)
	}
	if first[0] == first[1] || first[1] == first[2] {
		t.Fatalf("distinct lines share a key: %v", first)
	}
	// A later export that starts earlier still names the old lines alike.
	longer := "Tanggal;Keterangan;Debit;Kredit\n30/11/2026;Other;0;70.000\n" + strings.SplitN(file, "\n", 2)[1]
	if got := read(longer, account("mandiri"))[1:]; strings.Join(got, ",") != strings.Join(first, ",") {
		t.Fatalf("overlapping export: %v, want %v", got, first)
	}
	other := account("mandiri")
	other.Ledger = "BANK-Y"
	if read(file, other)[0] == first[0] {
		t.Fatal("the same line on another account has the same key")
	}
}

func TestReadStatementWrongLayout(t *testing.T) {
	t.Parallel()
	_, err := payment.ReadStatement(strings.NewReader("Date,Description,Amount\n01/12/2026,x,5\n"), account("mandiri"), wib)
	if err == nil || !strings.Contains(err.Error(), "missing_column") {
		t.Fatalf("a file in another layout: %v, want the missing column named", err)
	}
}

// A statement saved as an Excel workbook reads like its CSV: the date cell
// from its stored serial, the amount as the number stored, the rows before
// the header (the bank's account number and period) passed over, and the
// rows named by their line in the sheet.
func TestReadStatementXLSX(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		preamble [][]any
	}{
		{"header first", nil},
		{"after the bank's preamble", [][]any{{"Rekening Giro"}, {"No. Rekening", "1234567890"}, {"Periode", "01/12/2026 - 02/12/2026"}, {}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := excelize.NewFile()
			defer f.Close()
			sheet := f.GetSheetName(0)
			layout := "dd/mm/yyyy"
			style, err := f.NewStyle(&excelize.Style{CustomNumFmt: &layout})
			if err != nil {
				t.Fatal(err)
			}
			rows := append(tc.preamble, [][]any{{"Tanggal", "Keterangan", "Debit", "Kredit"},
				{time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), "Transfer dari SITI", 0, 1180419},
				{time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), "Biaya", 12500, 0}}...)
			first := len(tc.preamble) + 2 // the first transaction's line
			for i, r := range rows {
				cell, _ := excelize.CoordinatesToCellName(1, i+1)
				if err := f.SetSheetRow(sheet, cell, &r); err != nil {
					t.Fatal(err)
				}
				if i+1 >= first {
					if err := f.SetCellStyle(sheet, "A"+strconv.Itoa(i+1), "A"+strconv.Itoa(i+1), style); err != nil {
						t.Fatal(err)
					}
				}
			}
			var buf bytes.Buffer
			if err := f.Write(&buf); err != nil {
				t.Fatal(err)
			}
			st, err := payment.ReadStatement(&buf, account("mandiri"), wib)
			if err != nil {
				t.Fatal(err)
			}
			if len(st.Credits) != 1 || st.Debits != 1 || st.Credits[0].Row != first || st.Credits[0].Amount.IntPart() != 1_180_419 ||
				st.Credits[0].Date.Format(time.DateOnly) != "2026-12-01" {
				t.Fatalf("xlsx statement: %+v", st)
			}
		})
	}
}
