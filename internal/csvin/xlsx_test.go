package csvin

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestReadXLSX: a treasurer's workbook is read like the CSV it would be
// exported to: dates formatted the Excel way come back as ISO dates from
// their serial numbers, amounts and phone numbers stored as numbers as
// stored, text as typed, blank rows skipped, row numbers as Excel shows.
func TestReadXLSX(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14}) // m/d/yy, Excel's short date
	if err != nil {
		t.Fatal(err)
	}
	thousands, err := f.NewStyle(&excelize.Style{NumFmt: 3}) // #,##0
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"No_Anggota", "Jenis", "Jumlah", "Tanggal", "No_HP"},
		{"KMM-001", "wajib", 1500000, time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), 6281234567890},
		{},
		{"KMM-002", "sukarela", "Rp 25.000", "2026-02-03", "0813-1111-2222"},
		{"KMM-003", "", 7, "15/02/2026", ""},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SetCellStyle(sheet, "D2", "D2", date); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle(sheet, "C2", "C2", thousands); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	cols := []Column{
		{Key: "number", Names: []string{"no_anggota"}, Required: true},
		{Key: "kind", Names: []string{"jenis"}, Required: true},
		{Key: "amount", Names: []string{"jumlah"}},
		{Key: "date", Names: []string{"tanggal"}},
		{Key: "phone", Names: []string{"no_hp"}},
	}
	got, lineErrs, err := Read(&buf, cols)
	if err != nil {
		t.Fatal(err)
	}
	var flat []string
	for _, r := range got {
		flat = append(flat, r.Get("number")+"|"+r.Get("kind")+"|"+r.Get("amount")+"|"+r.Get("date")+"|"+r.Get("phone"))
	}
	want := []string{"KMM-001|wajib|1500000|2026-01-15|6281234567890", "KMM-002|sukarela|Rp 25.000|2026-02-03|0813-1111-2222",
		"KMM-003||7|15/02/2026|"}
	if !slices.Equal(flat, want) {
		t.Errorf("rows\n%q\nwant\n%q", flat, want)
	}
	if got[1].Line != 4 {
		t.Errorf("second row is line %d, want 4 (Excel's row)", got[1].Line)
	}
	if len(lineErrs) != 1 || lineErrs[0].Line != 5 || lineErrs[0].Code != "required" {
		t.Errorf("line errors %v, want jenis required on line 5", lineErrs)
	}
	if _, _, err := Read(bytes.NewReader([]byte("PK\x03\x04 not a workbook")), cols); err == nil {
		t.Error("a broken workbook was read")
	}
}
