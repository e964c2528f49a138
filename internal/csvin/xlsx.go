package csvin

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
)

// dateLike is how a date cell looks once Excel formats it (15/01/2023,
// 1-15-23, 2023-01-15 …); such a cell is read from its stored serial
// number instead, so no day/month order is guessed.
var dateLike = regexp.MustCompile(`^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}( \d{1,2}:\d{2}(:\d{2})?)?$`)

// sheetRows reads the first sheet of a workbook row by row. A number cell
// is taken as stored (1500000, not "1,500,000" or "Rp1.500.000" as
// formatted, which would read as a fraction in one locale or the other; a
// phone number without its "6.28E+12"), a date cell as its ISO date, text
// as typed. excelize gives a row either as shown or as stored, not both,
// so two iterators walk the sheet side by side; the sheet itself streams
// from a temporary file once it is large.
type sheetRows struct {
	f          *excelize.File
	shown, raw *excelize.Rows
	line       int
}

func xlsxRecords(r io.Reader) (*sheetRows, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, err
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, errors.New("no sheet")
	}
	s := &sheetRows{f: f}
	if s.shown, err = f.Rows(sheets[0]); err == nil {
		s.raw, err = f.Rows(sheets[0])
	}
	if err != nil {
		s.close()
		return nil, fmt.Errorf("sheet %q: %w", sheets[0], err)
	}
	return s, nil
}

func (s *sheetRows) next() ([]string, int, error) {
	if !s.shown.Next() || !s.raw.Next() {
		if err := errors.Join(s.shown.Error(), s.raw.Error()); err != nil {
			return nil, 0, Errors{{Line: s.line + 1, Code: "bad_xlsx", Value: err.Error()}}
		}
		return nil, 0, io.EOF
	}
	s.line++
	fields, err := s.shown.Columns()
	if err != nil {
		return nil, 0, Errors{{Line: s.line, Code: "bad_xlsx", Value: err.Error()}}
	}
	raw, err := s.raw.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, 0, Errors{{Line: s.line, Code: "bad_xlsx", Value: err.Error()}}
	}
	for j, cell := range fields {
		if j >= len(raw) || raw[j] == cell {
			continue
		}
		n, err := strconv.ParseFloat(raw[j], 64)
		if err != nil {
			continue
		}
		if dateLike.MatchString(cell) {
			if t, err := excelize.ExcelDateToTime(n, false); err == nil {
				fields[j] = t.Format(time.DateOnly)
			}
			continue
		}
		fields[j] = raw[j]
	}
	return fields, s.line, nil
}

func (s *sheetRows) close() {
	for _, rows := range []*excelize.Rows{s.shown, s.raw} {
		if rows != nil {
			_ = rows.Close() // read only: nothing to lose
		}
	}
	_ = s.f.Close()
}
