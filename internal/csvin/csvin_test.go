package csvin

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

var testCols = []Column{
	{Key: "number", Names: []string{"no_anggota", "member_number"}, Required: true},
	{Key: "name", Names: []string{"nama", "name"}, Required: true},
	{Key: "nik", Names: []string{"nik"}},
}

// describe flattens rows and errors into comparable strings.
func describe(rows []Row, err error) ([]string, []string) {
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%d:%s|%s|%s", r.Line, r.Get("number"), r.Get("name"), r.Get("nik")))
	}
	var errs Errors
	errors.As(err, &errs)
	var codes []string
	for _, e := range errs {
		codes = append(codes, fmt.Sprintf("%d:%s:%s", e.Line, e.Field, e.Code))
	}
	return got, codes
}

// TestRead: Read, and ReadPastPreamble (preamble), which passes over the
// lines before the header and keeps the rows' lines, and refuses a file
// where no line names the columns with the first line's problems.
func TestRead(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		preamble bool
		in       string
		rows     []string
		codes    []string
	}{
		{
			name: "comma, real line numbers past a blank line and a quoted line break",
			in:   "no_anggota,nama,nik\nA1,Ani,123\n\nA2,\"Budi\nSantoso\",\n,,\nA3, Citra ,\n",
			rows: []string{"2:A1|Ani|123", "4:A2|Budi\nSantoso|", "7:A3|Citra|"},
		},
		{
			name: "Excel: BOM, semicolons, CRLF, English headers in another case, optional column absent",
			in:   "\ufeffMember_Number;NAME\r\nA1;Ani, S.Pd.\r\n",
			rows: []string{"2:A1|Ani, S.Pd.|"},
		},
		{
			name:  "empty required field: reported, row still returned",
			in:    "no_anggota,nama\nA1,\n,Budi\n",
			rows:  []string{"2:A1||", "3:|Budi|"},
			codes: []string{"2:nama:required", "3:no_anggota:required"},
		},
		{
			name:  "bare quote in the first field",
			in:    "no_anggota,nama\nA\"1,Ani\nA2,Budi\n",
			rows:  []string{"3:A2|Budi|"},
			codes: []string{"2::bad_csv"},
		},
		{
			name:  "unterminated quote runs to the end",
			in:    "no_anggota,nama\nA1,Ani\nA2,\"Budi\nA3,Citra\n",
			rows:  []string{"2:A1|Ani|"},
			codes: []string{"3::bad_csv"},
		},
		{
			name:  "missing and duplicate columns",
			in:    "nama,name\nAni,Ani\n",
			codes: []string{"1:nama:duplicate_column", "1:no_anggota:missing_column"},
		},
		{name: "empty file", in: "", codes: []string{"1::empty_file"}},
		{name: "only a BOM", in: "\ufeff", codes: []string{"1::empty_file"}},
		{name: "not UTF-8: named at its first such line, the rest not read", in: "no_anggota,nama\nA1,Ani\nA2,Ani\xff\nA3,\xff\n", codes: []string{"3::not_utf8"}},
		{name: "header only", in: "no_anggota,nama\n"},
		{name: "preamble: header first", preamble: true, in: "no_anggota,nama\nA1,Siti\n", rows: []string{"2:A1|Siti|"}},
		{name: "preamble: passed over", preamble: true,
			in:   "Koperasi Maju\nPer 1 Desember 2026\n\nno_anggota,nama,nik\nA1,Siti,3201\nA2,Budi,\n",
			rows: []string{"5:A1|Siti|3201", "6:A2|Budi|"}},
		{name: "preamble: a half header is no header", preamble: true, in: "nama\nno_anggota,nama\nA1,Siti\n",
			rows: []string{"3:A1|Siti|"}},
		{name: "preamble: no header at all", preamble: true, in: "Koperasi Maju\nA1,Siti\n",
			codes: []string{"1:no_anggota:missing_column", "1:nama:missing_column"}},
		{name: "no preamble read: the first line is the header", in: "Koperasi Maju\nno_anggota,nama\nA1,Siti\n",
			codes: []string{"1:no_anggota:missing_column", "1:nama:missing_column"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			read := Read
			if tt.preamble {
				read = ReadPastPreamble
			}
			rows, lineErrs, err := read(strings.NewReader(tt.in), testCols)
			if err == nil && len(lineErrs) > 0 {
				err = lineErrs
			}
			if (err == nil) != (len(tt.codes) == 0) {
				t.Fatalf("err = %v; want codes %v", err, tt.codes)
			}
			got, codes := describe(rows, err)
			if !slices.Equal(got, tt.rows) {
				t.Errorf("rows = %q; want %q", got, tt.rows)
			}
			if !slices.Equal(codes, tt.codes) {
				t.Errorf("errors = %q; want %q", codes, tt.codes)
			}
		})
	}
}

func TestErrorText(t *testing.T) {
	t.Parallel()
	err := Errors{{Line: 1, Code: "empty_file"}, {Line: 17, Field: "no_hp", Code: "phone_invalid", Value: "0812"}}
	if got, want := err.Error(), `line 1: empty_file; line 17: no_hp: phone_invalid "0812"`; got != want {
		t.Errorf("Error() = %q; want %q", got, want)
	}
}
