package health

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// WriteXLSX writes the assessment as a worksheet a Dinas can check: the
// inputs from the books, each ratio as a formula over them, the nilai and
// skor per indicator, each aspect's score and the total as formulas, and
// the band table.
func WriteXLSX(w io.Writer, r Report, coop string) error {
	f := excelize.NewFile()
	in, sh := "Input", "Penilaian"
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		return err
	}
	if _, err := f.NewSheet(in); err != nil {
		return err
	}
	set := func(sheet, cell string, v any) { _ = f.SetCellValue(sheet, cell, v) }
	set(in, "A1", "Input dari buku per "+r.Date.Format("02-01-2006"))
	ref := map[string]string{}
	for i, name := range inputOrder {
		row := i + 2
		set(in, fmt.Sprintf("A%d", row), name)
		set(in, fmt.Sprintf("B%d", row), InputNames[name])
		set(in, fmt.Sprintf("C%d", row), r.Inputs[name].IntPart())
		ref[name] = fmt.Sprintf("%s!$C$%d", in, row)
	}
	set(sh, "A1", "Penilaian kesehatan "+coop)
	set(sh, "A2", r.Profile.Name)
	set(sh, "A3", "Sumber: "+r.Profile.Source)
	set(sh, "A4", "Per "+r.Date.Format("02-01-2006"))
	row := 6
	for i, h := range []string{"Aspek / indikator", "Nilai rasio (%)", "Nilai (1–4)", "Skor (5 − nilai)", "Bobot", "Catatan"} {
		set(sh, fmt.Sprintf("%c%d", 'A'+i, row), h)
	}
	row++
	var aspectCells []string
	for _, a := range r.Aspects {
		set(sh, fmt.Sprintf("A%d", row), a.Name)
		set(sh, fmt.Sprintf("E%d", row), a.Weight.InexactFloat64())
		head := row
		row++
		first := row
		for _, rt := range a.Rated {
			set(sh, fmt.Sprintf("A%d", row), "  "+rt.Key+" "+rt.Name)
			switch {
			case rt.Questions > 0 && rt.Answer != nil:
				set(sh, fmt.Sprintf("B%d", row), rt.Value.InexactFloat64())
				set(sh, fmt.Sprintf("F%d", row), fmt.Sprintf("kuesioner %d/%d, %s oleh %s: %s", rt.Answer.Met, rt.Answer.Of,
					rt.Answer.On.Format("02-01-2006"), rt.Answer.Officer, rt.Answer.Note))
			case rt.Questions > 0:
				set(sh, fmt.Sprintf("F%d", row), "kuesioner belum diisi")
			default:
				m := metrics[rt.Metric]
				_ = f.SetCellValue(sh, fmt.Sprintf("B%d", row), rt.Value.InexactFloat64())
				if !r.Inputs[m.Den].IsZero() {
					_ = f.SetCellFormula(sh, fmt.Sprintf("B%d", row), fmt.Sprintf("ROUND(%s/%s*100,2)", ref[m.Num], ref[m.Den]))
				}
				note := ""
				if rt.Confirm {
					note = "batas nilai: bacaan kopbot, mohon dikonfirmasi Dinas"
				}
				set(sh, fmt.Sprintf("F%d", row), note)
			}
			if rt.Rated {
				set(sh, fmt.Sprintf("C%d", row), rt.Nilai)
				_ = f.SetCellFormula(sh, fmt.Sprintf("D%d", row), fmt.Sprintf("5-C%d", row))
				set(sh, fmt.Sprintf("D%d", row), rt.Skor)
			}
			row++
		}
		// Aspect score = Σ skor / (n × 4) × 100 over the rated indicators.
		_ = f.SetCellValue(sh, fmt.Sprintf("B%d", head), a.Score.InexactFloat64())
		_ = f.SetCellFormula(sh, fmt.Sprintf("B%d", head),
			fmt.Sprintf("IF(COUNT(D%d:D%d)=0,0,SUM(D%d:D%d)/(COUNT(D%d:D%d)*4)*100)", first, row-1, first, row-1, first, row-1))
		aspectCells = append(aspectCells, fmt.Sprintf("B%d*E%d/100", head, head))
	}
	row++
	set(sh, fmt.Sprintf("A%d", row), "Skor total (Σ skor aspek × bobot)")
	set(sh, fmt.Sprintf("B%d", row), r.Score.InexactFloat64())
	if !r.Partial {
		_ = f.SetCellFormula(sh, fmt.Sprintf("B%d", row), fmt.Sprintf("ROUND(%s,2)", strings.Join(aspectCells, "+")))
		set(sh, fmt.Sprintf("C%d", row), r.Band)
	} else {
		set(sh, fmt.Sprintf("C%d", row), "parsial (aspek keuangan saja): tanpa predikat")
	}
	row += 2
	set(sh, fmt.Sprintf("A%d", row), "Predikat (batas bawah termasuk)")
	for _, b := range r.Profile.Bands {
		row++
		set(sh, fmt.Sprintf("A%d", row), b.Name)
		set(sh, fmt.Sprintf("B%d", row), b.Describe())
	}
	_ = f.SetColWidth(sh, "A", "A", 60)
	_ = f.SetColWidth(sh, "F", "F", 50)
	_ = f.SetColWidth(in, "B", "B", 40)
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write health workbook: %w", err)
	}
	return f.Close()
}
