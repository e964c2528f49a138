package money

import (
	"testing"

	"github.com/shopspring/decimal"
)

func FuzzParse(f *testing.F) {
	for _, tc := range acceptCases {
		f.Add(tc.in)
	}
	for _, tc := range rejectCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Parse(s)
		if err != nil {
			if _, ok := err.(*ParseError); !ok {
				t.Fatalf("Parse(%q) error %T, want *ParseError", s, err)
			}
			return
		}
		if !d.IsInteger() || !d.IsPositive() || d.GreaterThan(Max) {
			t.Fatalf("Parse(%q) = %s, want a whole amount in 1..Max", s, d)
		}
	})
}

func FuzzFormatParseRoundTrip(f *testing.F) {
	for _, tc := range acceptCases {
		f.Add(tc.want)
	}
	f.Add(int64(1))
	f.Add(int64(999))
	f.Add(int64(1000))
	f.Add(Max.IntPart())
	max := Max.IntPart()
	f.Fuzz(func(t *testing.T, n int64) {
		if n <= 0 || n > max {
			return
		}
		want := decimal.NewFromInt(n)
		for _, lang := range []string{"id", "en"} {
			s := Format(want, lang)
			got, err := Parse(s)
			if err != nil || !got.Equal(want) {
				t.Fatalf("Parse(Format(%d, %q) = %q) = %s, %v", n, lang, s, got, err)
			}
			if got, err := Parse(FormatPlain(want, lang)); err != nil || !got.Equal(want) {
				t.Fatalf("Parse(FormatPlain(%d, %q)) = %s, %v", n, lang, got, err)
			}
		}
	})
}
