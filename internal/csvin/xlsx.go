package csvin

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
)

// record is one row of a workbook with its row number.
type record struct {
	line   int
	fields []string
}

// dateLike is how a date cell looks once Excel formats it (15/01/2023,
// 1-15-23, 2023-01-15 …); such a cell is read from its stored serial
// number instead, so no day/month order is guessed.
var dateLike = regexp.MustCompile(`^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}( \d{1,2}:\d{2}(:\d{2})?)?$`)

// xlsxRecords reads the first sheet of a workbook. A number cell is taken
// as stored (1500000, not "1,500,000" or "Rp1.500.000" as formatted, which
// would read as a fraction in one locale or the other; a phone number
// without its "6.28E+12"), a date cell as its ISO date, text as typed.
func xlsxRecords(data []byte) ([]record, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, errors.New("no sheet")
	}
	shown, err := f.GetRows(sheets[0])
	if err != nil {
		return nil, fmt.Errorf("sheet %q: %w", sheets[0], err)
	}
	raw, err := f.GetRows(sheets[0], excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("sheet %q: %w", sheets[0], err)
	}
	recs := make([]record, 0, len(shown))
	for i, row := range shown {
		fields := make([]string, len(row))
		for j, cell := range row {
			fields[j] = cell
			if i >= len(raw) || j >= len(raw[i]) || raw[i][j] == cell {
				continue
			}
			n, err := strconv.ParseFloat(raw[i][j], 64)
			if err != nil {
				continue
			}
			if dateLike.MatchString(cell) {
				t, err := excelize.ExcelDateToTime(n, false)
				if err == nil {
					fields[j] = t.Format(time.DateOnly)
				}
				continue
			}
			fields[j] = raw[i][j]
		}
		recs = append(recs, record{line: i + 1, fields: fields})
	}
	return recs, nil
}
