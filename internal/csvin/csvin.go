// Package csvin reads the CSV files a cooperative's treasurer exports from a
// spreadsheet: a header row naming the columns, then one record per line.
// Problems are collected per line rather than stopping at the first, so the
// treasurer can fix the whole file in one go.
package csvin

import (
	"bufio"
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

// Read parses a whole file, as Scan does, and returns its rows at once:
// for files of a few thousand lines. Line problems (an undecodable line, an
// empty required field) come back as lineErrs together with every row that
// could be decoded, so the caller can add its own checks and the treasurer
// sees all problems of the file at once. err is for a file that cannot be
// read at all: Errors for header problems, or an I/O failure.
func Read(r io.Reader, cols []Column) (rows []Row, lineErrs Errors, err error) {
	return read(r, cols, false)
}

// ReadPastPreamble is Read for an export whose header follows lines of
// its own (a bank statement's account number and period): rows before the
// first that names every required column are passed over, and the rows
// keep their line numbers in the file.
func ReadPastPreamble(r io.Reader, cols []Column) (rows []Row, lineErrs Errors, err error) {
	return read(r, cols, true)
}

func read(r io.Reader, cols []Column, preamble bool) (rows []Row, lineErrs Errors, err error) {
	err = scan(r, cols, preamble, func(row *Row, problems Errors) error {
		lineErrs = append(lineErrs, problems...)
		if row != nil {
			rows = append(rows, *row)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return rows, lineErrs, nil
}

// Scan reads a file one row at a time, so a file of a million members
// takes no more memory than one of ten: a CSV, or an Excel workbook
// (.xlsx, its first sheet), told apart by content, since treasurers keep
// their books in Excel. A CSV's delimiter may be ',' or ';' (spreadsheets
// in Indonesian locale export with ';'). each is called for every line
// that is not blank, with the line's own problems (an empty required
// field); a line that cannot be decoded at all comes with a nil row. An
// error from each stops the scan and is returned. Scan's own error is for
// a file that cannot be read at all: Errors for header problems or a file
// that is not UTF-8, or an I/O failure.
func Scan(r io.Reader, cols []Column, each func(row *Row, problems Errors) error) error {
	return scan(r, cols, false, each)
}

// scan is Scan, passing over the rows before the header when preamble.
func scan(r io.Reader, cols []Column, preamble bool, each func(row *Row, problems Errors) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var next func() ([]string, int, error)
	if magic, _ := br.Peek(4); bytes.Equal(magic, []byte("PK\x03\x04")) {
		recs, err := xlsxRecords(br)
		if err != nil {
			return Errors{{Line: 1, Code: "bad_xlsx", Value: err.Error()}}
		}
		defer recs.close()
		next = recs.next
	} else {
		next = csvRecords(br)
	}
	header, _, err := next()
	if errors.Is(err, io.EOF) {
		return Errors{{Line: 1, Code: "empty_file"}}
	}
	if err != nil {
		return firstLineError(err)
	}
	index, errs := mapHeader(header, cols)
	for preamble && len(errs) > 0 {
		rec, _, err := next()
		if err != nil {
			// No line names the columns: the first line's problems say which.
			return errs
		}
		if i, e := mapHeader(rec, cols); len(e) == 0 {
			index, errs = i, nil
		}
	}
	if len(errs) > 0 {
		return errs
	}
	for {
		rec, line, err := next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var pe *csv.ParseError
		switch {
		case errors.As(err, &pe):
			// FieldPos would panic here when the first field was the bad one.
			err = each(nil, Errors{{Line: pe.StartLine, Code: "bad_csv", Value: err.Error()}})
		case err != nil:
			return err
		case blank(rec):
			continue
		default:
			err = each(decode(rec, line, index, cols))
		}
		if err != nil {
			return err
		}
	}
}

// decode is one record as a Row with the columns of index, and its empty
// required fields.
func decode(rec []string, line int, index map[string]int, cols []Column) (*Row, Errors) {
	row := &Row{Line: line, fields: make(map[string]string, len(index))}
	for key, i := range index {
		if i < len(rec) {
			row.fields[key] = strings.TrimSpace(rec[i])
		}
	}
	var problems Errors
	for _, c := range cols {
		if c.Required && row.fields[c.Key] == "" {
			problems = append(problems, LineError{Line: line, Field: c.Names[0], Code: "required"})
		}
	}
	return row, problems
}

// firstLineError is why the header could not be read.
func firstLineError(err error) error {
	var es Errors
	if errors.As(err, &es) {
		return es
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return Errors{{Line: 1, Code: "bad_csv", Value: err.Error()}}
	}
	return fmt.Errorf("read file: %w", err)
}

// csvRecords reads CSV records one at a time with the line each starts on.
func csvRecords(br *bufio.Reader) func() ([]string, int, error) {
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\ufeff")) { // Excel's UTF-8 BOM
		_, _ = br.Discard(3)
	}
	first, _ := br.Peek(br.Size()) // the header line, to tell the delimiter
	cr := csv.NewReader(br)
	cr.Comma = sniffDelimiter(first)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true
	return func() ([]string, int, error) {
		rec, err := cr.Read()
		if err != nil {
			return nil, 0, err
		}
		line, _ := cr.FieldPos(0)
		// A file saved in another encoding is wrong throughout: its first
		// such line stops the file, one message is enough.
		for _, f := range rec {
			if !utf8.ValidString(f) {
				return nil, 0, Errors{{Line: line, Code: "not_utf8"}}
			}
		}
		return rec, line, nil
	}
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
