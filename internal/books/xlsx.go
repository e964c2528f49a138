package books

import (
	"fmt"
	"io"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// sheet writes a statement worksheet: a title, then sections of lines with
// a SUM formula under each, so the reader can check every total in Excel.
type sheet struct {
	f     *excelize.File
	name  string
	row   int
	money int // the Rupiah number style
	bold  int
}

func newSheet(title, subtitle string) (*sheet, error) {
	f := excelize.NewFile()
	s := &sheet{f: f, name: "Sheet1", row: 1}
	var err error
	if s.money, err = f.NewStyle(&excelize.Style{CustomNumFmt: ptr(`#,##0;-#,##0`)}); err != nil {
		return nil, err
	}
	if s.bold, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return nil, err
	}
	_ = f.SetColWidth(s.name, "A", "A", 10)
	_ = f.SetColWidth(s.name, "B", "B", 44)
	_ = f.SetColWidth(s.name, "C", "C", 18)
	s.text(title, true)
	s.text(subtitle, false)
	s.row++
	return s, nil
}

func ptr[T any](v T) *T { return &v }

func (s *sheet) cell(col string) string { return fmt.Sprintf("%s%d", col, s.row) }

func (s *sheet) text(t string, bold bool) {
	_ = s.f.SetCellValue(s.name, s.cell("A"), t)
	if bold {
		_ = s.f.SetCellStyle(s.name, s.cell("A"), s.cell("A"), s.bold)
	}
	s.row++
}

// section writes the lines of type typ and a total row; it returns the
// total's cell for formulas further down.
func (s *sheet) section(heading, totalLabel string, b Balances, typ ledger.AccountType) string {
	s.text(heading, true)
	first := s.row
	for _, l := range b.Lines {
		if l.Type != typ || l.Amount.IsZero() {
			continue
		}
		_ = s.f.SetCellValue(s.name, s.cell("A"), l.Code)
		_ = s.f.SetCellValue(s.name, s.cell("B"), l.Name)
		_ = s.f.SetCellValue(s.name, s.cell("C"), l.Amount.IntPart())
		_ = s.f.SetCellStyle(s.name, s.cell("C"), s.cell("C"), s.money)
		s.row++
	}
	formula := "0"
	if s.row > first {
		formula = fmt.Sprintf("SUM(C%d:C%d)", first, s.row-1)
	}
	return s.total(totalLabel, formula, b.Total(typ))
}

// total writes a formula with its computed value cached, so a viewer that
// does not recalculate shows the same figure.
func (s *sheet) total(label, formula string, value decimal.Decimal) string {
	at := s.cell("C")
	_ = s.f.SetCellValue(s.name, s.cell("B"), label)
	_ = s.f.SetCellStyle(s.name, s.cell("B"), s.cell("B"), s.bold)
	_ = s.f.SetCellValue(s.name, at, value.IntPart())
	_ = s.f.SetCellFormula(s.name, at, formula)
	_ = s.f.SetCellStyle(s.name, at, at, s.money)
	s.row += 2
	return at
}

func (s *sheet) write(w io.Writer) error {
	if _, err := s.f.WriteTo(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return s.f.Close()
}

// WriteNeraca writes the balance sheet as an Excel workbook.
func WriteNeraca(w io.Writer, coop string, n Neraca) error {
	s, err := newSheet("Neraca "+coop, "Per "+n.Date.Format("02-01-2006")+" (Rupiah)")
	if err != nil {
		return err
	}
	assets := s.section("ASET", "Jumlah aset", n.Balances, ledger.Asset)
	liab := s.section("KEWAJIBAN", "Jumlah kewajiban", n.Balances, ledger.Liability)
	eq := s.section("EKUITAS", "Jumlah ekuitas", n.Balances, ledger.Equity)
	result := s.total("SHU belum ditutup (pendapatan − beban)", fmt.Sprint(n.Result.IntPart()), n.Result)
	s.total("Selisih: aset − kewajiban − ekuitas − SHU (harus 0)",
		fmt.Sprintf("%s-%s-%s-%s", assets, liab, eq, result), n.Difference())
	return s.write(w)
}

// WriteLabaRugi writes the perhitungan hasil usaha as an Excel workbook.
func WriteLabaRugi(w io.Writer, coop string, l LabaRugi) error {
	s, err := newSheet("Perhitungan hasil usaha "+coop,
		l.From.Format("02-01-2006")+" s.d. "+l.To.Format("02-01-2006")+" (Rupiah)")
	if err != nil {
		return err
	}
	in := s.section("PENDAPATAN", "Jumlah pendapatan", l.Balances, ledger.Income)
	ex := s.section("BEBAN", "Jumlah beban", l.Balances, ledger.Expense)
	s.total("SHU sebelum pajak", fmt.Sprintf("%s-%s", in, ex), l.SHU())
	return s.write(w)
}

// WriteSaldo writes the trial balance (neraca saldo): every account with a
// balance, debit and credit columns that sum equal.
func WriteSaldo(w io.Writer, coop string, b Balances) error {
	s, err := newSheet("Neraca saldo "+coop, "Per "+b.Date.Format("02-01-2006")+" (Rupiah)")
	if err != nil {
		return err
	}
	_ = s.f.SetColWidth(s.name, "D", "D", 18)
	for i, h := range []string{"Kode", "Akun", "Debit", "Kredit"} {
		_ = s.f.SetCellValue(s.name, fmt.Sprintf("%c%d", 'A'+i, s.row), h)
	}
	s.row++
	first := s.row
	var debit, credit decimal.Decimal
	for _, l := range b.Lines {
		if l.Amount.IsZero() {
			continue
		}
		col, amt := "C", l.Amount
		if l.Type == ledger.Liability || l.Type == ledger.Equity || l.Type == ledger.Income {
			col = "D"
		}
		if amt.IsNegative() {
			amt = amt.Neg()
			col = map[string]string{"C": "D", "D": "C"}[col]
		}
		if col == "C" {
			debit = debit.Add(amt)
		} else {
			credit = credit.Add(amt)
		}
		_ = s.f.SetCellValue(s.name, s.cell("A"), l.Code)
		_ = s.f.SetCellValue(s.name, s.cell("B"), l.Name)
		_ = s.f.SetCellValue(s.name, s.cell(col), amt.IntPart())
		_ = s.f.SetCellStyle(s.name, s.cell("C"), s.cell("D"), s.money)
		s.row++
	}
	last := s.row - 1
	_ = s.f.SetCellValue(s.name, s.cell("B"), "Jumlah")
	for col, v := range map[string]decimal.Decimal{"C": debit, "D": credit} {
		at := s.cell(col)
		_ = s.f.SetCellValue(s.name, at, v.IntPart())
		_ = s.f.SetCellFormula(s.name, at, fmt.Sprintf("SUM(%s%d:%s%d)", col, first, col, last))
		_ = s.f.SetCellStyle(s.name, at, at, s.money)
	}
	return s.write(w)
}
