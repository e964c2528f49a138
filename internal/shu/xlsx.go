package shu

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Named is a member's number and name for the workbook.
type Named struct{ Number, Name string }

// WriteXLSX writes the year's table per member, with each share's formula
// visible: pool × member's basis / total basis, before rounding, beside the
// rounded amount that was booked.
func WriteXLSX(w io.Writer, r Result, names map[int64]Named) error {
	f := excelize.NewFile()
	sh := "Sheet1"
	set := func(cell string, v any) { _ = f.SetCellValue(sh, cell, v) }
	set("A1", fmt.Sprintf("Pembagian SHU %d", r.Year))
	set("A2", "SHU")
	set("B2", r.SHU)
	row := 3
	for _, p := range r.Parts {
		set(fmt.Sprintf("A%d", row), p.Key)
		set(fmt.Sprintf("B%d", row), p.Amount)
		row++
	}
	set(fmt.Sprintf("A%d", row), "Jumlah simpanan pokok+wajib")
	set(fmt.Sprintf("B%d", row), r.ModalTotal.IntPart())
	modalTotal := fmt.Sprintf("$B$%d", row)
	row++
	set(fmt.Sprintf("A%d", row), "Jumlah bunga dibayar")
	set(fmt.Sprintf("B%d", row), r.UsahaTotal.IntPart())
	usahaTotal := fmt.Sprintf("$B$%d", row)
	row++
	set(fmt.Sprintf("A%d", row), "Kolam jasa modal")
	set(fmt.Sprintf("B%d", row), r.ModalPool)
	modalPool := fmt.Sprintf("$B$%d", row)
	row++
	set(fmt.Sprintf("A%d", row), "Kolam jasa usaha")
	set(fmt.Sprintf("B%d", row), r.UsahaPool)
	usahaPool := fmt.Sprintf("$B$%d", row)
	row += 2
	for i, h := range []string{"No. anggota", "Nama", "Simpanan", "Bunga dibayar", "Jasa modal (rumus)", "Jasa usaha (rumus)",
		"Jasa modal", "Jasa usaha", "Total"} {
		set(fmt.Sprintf("%c%d", 'A'+i, row), h)
	}
	row++
	for _, s := range r.Shares {
		n := names[s.MemberID]
		set(fmt.Sprintf("A%d", row), n.Number)
		set(fmt.Sprintf("B%d", row), n.Name)
		set(fmt.Sprintf("C%d", row), s.Modal.IntPart())
		set(fmt.Sprintf("D%d", row), s.Usaha.IntPart())
		_ = f.SetCellFormula(sh, fmt.Sprintf("E%d", row), fmt.Sprintf("IF(%s=0,0,%s*C%d/%s)", modalTotal, modalPool, row, modalTotal))
		_ = f.SetCellFormula(sh, fmt.Sprintf("F%d", row), fmt.Sprintf("IF(%s=0,0,%s*D%d/%s)", usahaTotal, usahaPool, row, usahaTotal))
		set(fmt.Sprintf("G%d", row), s.JasaModal)
		set(fmt.Sprintf("H%d", row), s.JasaUsaha)
		_ = f.SetCellFormula(sh, fmt.Sprintf("I%d", row), fmt.Sprintf("G%d+H%d", row, row))
		row++
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write SHU workbook: %w", err)
	}
	return f.Close()
}
