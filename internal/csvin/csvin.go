// Package csvin reads the CSV files a cooperative's treasurer exports from a
// spreadsheet: a header row naming the columns, then one record per line.
// Problems are collected per line rather than stopping at the first, so the
// treasurer can fix the whole file in one go.
package csvin

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// LineError is one problem found in a file. Code is a stable word such as
// "phone_invalid" that the command line turns into a localized sentence.
type LineError struct {
	Line  int
	Field string
	Code  string
	Value string
}

func (e LineError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Code)
	}
	return fmt.Sprintf("line %d: %s: %s %q", e.Line, e.Field, e.Code, e.Value)
}

// Errors is every problem in a file; a file with any is imported not at all.
type Errors []LineError

func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Column describes one column a file may have. Names lists the header
// spellings accepted for it (case and surrounding spaces ignored), Indonesian
// first.
type Column struct {
	Key      string
	Names    []string
	Required bool
}

// Row is one record, its fields looked up by Column.Key.
type Row struct {
	Line   int
	fields map[string]string
}

// Get returns the trimmed value of the column with key, or "" when absent.
func (r Row) Get(key string) string { return r.fields[key] }

// Read parses a whole file: CSV, or an Excel workbook (.xlsx, its first
// sheet), told apart by content, since treasurers keep their books in Excel.
// A CSV's delimiter may be ',' or ';' (spreadsheets in Indonesian locale
// export with ';'). Line problems (an undecodable line, an empty required
// field) come back as lineErrs together with every row that could be
// decoded, so the caller can add its own checks and the treasurer sees all
// problems of the file at once. err is for a file that cannot be read at
// all: Errors for header problems, or an I/O failure.
func Read(r io.Reader, cols []Column) (rows []Row, lineErrs Errors, err error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, fmt.Errorf("read file: %w", err)
	}
	var next func() ([]string, int, error)
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		recs, err := xlsxRecords(data)
		if err != nil {
			return nil, nil, Errors{{Line: 1, Code: "bad_xlsx", Value: err.Error()}}
		}
		next = func() ([]string, int, error) {
			if len(recs) == 0 {
				return nil, 0, io.EOF
			}
			rec := recs[0]
			recs = recs[1:]
			return rec.fields, rec.line, nil
		}
	} else if next, err = csvRecords(data); err != nil {
		return nil, nil, err
	}
	header, _, err := next()
	if errors.Is(err, io.EOF) {
		return nil, nil, Errors{{Line: 1, Code: "empty_file"}}
	}
	if err != nil {
		return nil, nil, Errors{{Line: 1, Code: "bad_csv", Value: err.Error()}}
	}
	index, errs := mapHeader(header, cols)
	if len(errs) > 0 {
		return nil, nil, errs
	}
	for {
		rec, line, err := next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// FieldPos would panic here when the first field was the bad one.
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return nil, nil, fmt.Errorf("read csv: %w", err)
			}
			lineErrs = append(lineErrs, LineError{Line: pe.StartLine, Code: "bad_csv", Value: err.Error()})
			continue
		}
		if blank(rec) {
			continue
		}
		row := Row{Line: line, fields: make(map[string]string, len(index))}
		for key, i := range index {
			if i < len(rec) {
				row.fields[key] = strings.TrimSpace(rec[i])
			}
		}
		for _, c := range cols {
			if c.Required && row.fields[c.Key] == "" {
				lineErrs = append(lineErrs, LineError{Line: line, Field: c.Names[0], Code: "required"})
			}
		}
		rows = append(rows, row)
	}
	return rows, lineErrs, nil
}

// csvRecords reads CSV records one at a time with the line each starts on.
func csvRecords(data []byte) (func() ([]string, int, error), error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // Excel's UTF-8 BOM
	if !utf8.Valid(data) {
		return nil, Errors{{Line: 1, Code: "not_utf8"}}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = sniffDelimiter(data)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	return func() ([]string, int, error) {
		rec, err := cr.Read()
		if err != nil {
			return nil, 0, err
		}
		line, _ := cr.FieldPos(0)
		return rec, line, nil
	}, nil
}

func sniffDelimiter(data []byte) rune {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		return ';'
	}
	return ','
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func mapHeader(header []string, cols []Column) (map[string]int, Errors) {
	index := map[string]int{}
	var errs Errors
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		for _, c := range cols {
			for _, name := range c.Names {
				if h == strings.ToLower(name) {
					if _, dup := index[c.Key]; dup {
						errs = append(errs, LineError{Line: 1, Field: c.Names[0], Code: "duplicate_column"})
					}
					index[c.Key] = i
				}
			}
		}
	}
	for _, c := range cols {
		if _, ok := index[c.Key]; !ok && c.Required {
			errs = append(errs, LineError{Line: 1, Field: c.Names[0], Code: "missing_column"})
		}
	}
	return index, errs
}
