package savings

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Workbook is what a statement workbook says around its lines, in the
// member's language.
type Workbook struct {
	Sheet string
	// Head are the lines above the table: what it is, whose, when made.
	Head []string
	// Columns head the date, kind, amount and balance columns.
	Columns [4]string
	// Opening and Closing label the balance before the first line and
	// after the last.
	Opening, Closing string
	// Name says what a line is: its kind of saving, or what moved it (the
	// month's jasa simpanan).
	Name func(Line) string
}

// WriteStatement writes lines (oldest first, as Statement returns them) as
// an Excel workbook. Each balance is a formula over the row above with its
// value stored, so a treasurer can check the sums in Excel and a viewer that
// does not calculate shows the same figures.
func WriteStatement(w io.Writer, b Workbook, lines []Line) error {
	if len(lines) == 0 {
		return fmt.Errorf("statement workbook: no lines")
	}
	f := excelize.NewFile()
	if err := statementSheet(f, b, lines); err != nil {
		return fmt.Errorf("statement workbook: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write statement workbook: %w", err)
	}
	return f.Close()
}

func statementSheet(f *excelize.File, b Workbook, lines []Line) error {
	if err := f.SetSheetName(f.GetSheetName(0), b.Sheet); err != nil {
		return err
	}
	sh := b.Sheet
	row := func(n int, values ...any) error {
		return f.SetSheetRow(sh, fmt.Sprintf("A%d", n), &values)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	rupiah, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr(`#,##0;-#,##0`)})
	if err != nil {
		return err
	}
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("dd/mm/yyyy")})
	if err != nil {
		return err
	}
	n := 1
	for _, h := range b.Head {
		if err := row(n, h); err != nil {
			return err
		}
		n++
	}
	n++
	head := n
	if err := row(n, b.Columns[0], b.Columns[1], b.Columns[2], b.Columns[3]); err != nil {
		return err
	}
	n++
	first := n
	opening := lines[0].Running.Sub(lines[0].Amount)
	if err := row(n, b.Opening, "", "", opening.IntPart()); err != nil {
		return err
	}
	for _, l := range lines {
		n++
		if err := row(n, l.ValueDate, b.Name(l), l.Amount.IntPart(), l.Running.IntPart()); err != nil {
			return err
		}
		if err := f.SetCellFormula(sh, fmt.Sprintf("D%d", n), fmt.Sprintf("D%d+C%d", n-1, n)); err != nil {
			return err
		}
	}
	n++
	if err := row(n, b.Closing, "", "", lines[len(lines)-1].Running.IntPart()); err != nil {
		return err
	}
	if err := f.SetCellFormula(sh, fmt.Sprintf("D%d", n), fmt.Sprintf("D%d", n-1)); err != nil {
		return err
	}
	for _, s := range []struct {
		from, to string
		style    int
	}{
		{"A1", "A1", bold},
		{fmt.Sprintf("A%d", head), fmt.Sprintf("D%d", head), bold},
		{fmt.Sprintf("A%d", first+1), fmt.Sprintf("A%d", n-1), date},
		{fmt.Sprintf("C%d", first), fmt.Sprintf("D%d", n), rupiah},
		{fmt.Sprintf("A%d", n), fmt.Sprintf("A%d", n), bold},
	} {
		if err := f.SetCellStyle(sh, s.from, s.to, s.style); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(sh, "A", "A", 14); err != nil {
		return err
	}
	if err := f.SetColWidth(sh, "B", "B", 18); err != nil {
		return err
	}
	return f.SetColWidth(sh, "C", "D", 16)
}

func ptr[T any](v T) *T { return &v }
