package money

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

var acceptCases = []struct {
	in   string
	want int64
}{
	{"1500000", 1_500_000},
	{"1.500.000", 1_500_000},
	{"1.500.000,-", 1_500_000},
	{"1.500.000.-", 1_500_000},
	{"1.500.000,00", 1_500_000},
	{"1.500.000,0", 1_500_000},
	{"1,500,000.00", 1_500_000},
	{"1500000,00", 1_500_000},
	{"Rp 1.500.000", 1_500_000},
	{"Rp1.500.000", 1_500_000},
	{"Rp. 1.500.000", 1_500_000},
	{"Rp.1.500.000", 1_500_000},
	{"rp 1.500.000,-", 1_500_000},
	{"RP1.500.000", 1_500_000},
	{"IDR 1500000", 1_500_000},
	{"idr1.500.000", 1_500_000},
	{"1500000 IDR", 1_500_000},
	{"1.500.000 rupiah", 1_500_000},
	{"1,500,000", 1_500_000},
	{"1,500", 1_500},
	{"1.500", 1_500},
	{"999", 999},
	{"1", 1},
	{"0500000", 500_000},
	{"1500,000", 1_500},
	{"1,5 juta", 1_500_000},
	{"1.5 juta", 1_500_000},
	{"1,5jt", 1_500_000},
	{"1,5 jt", 1_500_000},
	{"1,5 JT", 1_500_000},
	{"1,25 jt", 1_250_000},
	{"1,5000 juta", 1_500_000},
	{"0,5 jt", 500_000},
	{"0,500 jt", 500_000},
	{"1500,000 jt", 1_500_000_000},
	{"2 jt", 2_000_000},
	{"2jt", 2_000_000},
	{"2 juta", 2_000_000},
	{"2,5 jt", 2_500_000},
	{"2 juta rupiah", 2_000_000},
	{"Rp 2 jt", 2_000_000},
	{"500rb", 500_000},
	{"500 rb", 500_000},
	{"500 ribu", 500_000},
	{"500 RIBU", 500_000},
	{"500k", 500_000},
	{"500K", 500_000},
	{"1,5k", 1_500},
	{"1 M", 1_000_000_000},
	{"1 m", 1_000_000_000},
	{"1M", 1_000_000_000},
	{"1 miliar", 1_000_000_000},
	{"1 milyar", 1_000_000_000},
	{"1,5 M", 1_500_000_000},
	{"1.000.000 rb", 1_000_000_000},
	{"1.000,5 jt", 1_000_500_000},
	{"1,2345678 m", 1_234_567_800},
	{"  Rp   1.500.000  ", 1_500_000},
	{"\u00a0Rp\u00a01.500.000\u00a0", 1_500_000},
	{"\t500rb\n", 500_000},
	{"Rp1.000.000.000.000.000", 1_000_000_000_000_000},
	{"1000000 m", 1_000_000_000_000_000},
	{"0000000000000000000000000000000000001", 1},
}

var rejectCases = []struct {
	in   string
	want Reason
}{
	{"", ReasonEmpty},
	{"   ", ReasonEmpty},
	{"\u00a0\t\n", ReasonEmpty},
	{"abc", ReasonNotANumber},
	{"lima ratus ribu", ReasonNotANumber},
	{"Rp", ReasonNotANumber},
	{"rb", ReasonNotANumber},
	{"minus", ReasonNotANumber},
	{"-", ReasonNotANumber},
	{"-abc", ReasonNotANumber},
	{"1.2.3.4", ReasonNotANumber},
	{"12,34,5", ReasonNotANumber},
	{"15,00,000", ReasonNotANumber},
	{"1.500.00", ReasonNotANumber},
	{"0.500.000", ReasonNotANumber},
	{"1..500", ReasonNotANumber},
	{"1.", ReasonNotANumber},
	{".5 jt", ReasonNotANumber},
	{"1,5,", ReasonNotANumber},
	{"1.500,000,00", ReasonNotANumber},
	{"1,500.000.000", ReasonNotANumber},
	{"1 500 000", ReasonNotANumber},
	{"500 rb rb", ReasonNotANumber},
	{"500 rupiah rb", ReasonNotANumber},
	{"500mb", ReasonNotANumber},
	{"500 dolar", ReasonNotANumber},
	{"500rb.", ReasonNotANumber},
	{"500%", ReasonNotANumber},
	{"2jt,-", ReasonNotANumber},
	{"1.500,00,-", ReasonNotANumber},
	{"--500", ReasonNotANumber},
	{"1e6", ReasonNotANumber},
	{"0x10", ReasonNotANumber},
	{"１２３", ReasonNotANumber},
	{strings.Repeat("1", maxInputLen+1), ReasonNotANumber},
	{strings.Repeat(" ", 10_000) + "500rb", ReasonNotANumber},
	{"1.500 juta", ReasonAmbiguous},
	{"1,500 juta", ReasonAmbiguous},
	{"1,125 jt", ReasonAmbiguous},
	{"1,500k", ReasonAmbiguous},
	{"2.000 rb", ReasonAmbiguous},
	{"-500rb", ReasonNegative},
	{"- 500rb", ReasonNegative},
	{"\u2212500rb", ReasonNegative},
	{"minus 500rb", ReasonNegative},
	{"Minus500rb", ReasonNegative},
	{"-Rp1.500.000", ReasonNegative},
	{"Rp -1.500.000", ReasonNegative},
	{"Rp-1.500.000", ReasonNegative},
	{"-0,5 jt", ReasonNegative},
	{"0", ReasonZero},
	{"000", ReasonZero},
	{"-0", ReasonZero},
	{"Rp0,-", ReasonZero},
	{"0,00", ReasonZero},
	{"0 jt", ReasonZero},
	{"1,5", ReasonFraction},
	{"1.5", ReasonFraction},
	{"0,5", ReasonFraction},
	{"0.500", ReasonFraction},
	{"1500,50", ReasonFraction},
	{"1.500.000,50", ReasonFraction},
	{"1,500,000.5", ReasonFraction},
	{"1,2345678 juta", ReasonFraction},
	{"0,0001 rb", ReasonFraction},
	{"1.000.000.000.000.001", ReasonTooLarge},
	{"Rp1.000.000.000.000.000,-1", ReasonNotANumber},
	{"1000000000000001", ReasonTooLarge},
	{"1000001 m", ReasonTooLarge},
	{"99999999999999999999999999999999", ReasonTooLarge},
	{"999999999999999999 m", ReasonTooLarge},
}

func TestParseAccepts(t *testing.T) {
	t.Parallel()
	for _, tc := range acceptCases {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tc.in)
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", tc.in, err)
			}
			if want := decimal.NewFromInt(tc.want); !got.Equal(want) {
				t.Fatalf("Parse(%q) = %s, want %s", tc.in, got, want)
			}
			if got.Exponent() != 0 {
				t.Errorf("Parse(%q) exponent %d, want 0 so String() prints plain digits", tc.in, got.Exponent())
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	t.Parallel()
	for _, tc := range rejectCases {
		t.Run(clip(tc.in), func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tc.in)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) = %s, %v; want *ParseError %s", clip(tc.in), got, err, tc.want)
			}
			if pe.Reason != tc.want {
				t.Fatalf("Parse(%q) reason %s, want %s", clip(tc.in), pe.Reason, tc.want)
			}
			if pe.Input != tc.in {
				t.Errorf("ParseError.Input = %q, want the raw input", clip(pe.Input))
			}
			if !got.IsZero() {
				t.Errorf("Parse(%q) value %s alongside an error, want 0", clip(tc.in), got)
			}
		})
	}
}

func TestParseErrorWrapsSentinels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want error
	}{
		{"1,5", ErrNotWhole},
		{"1000000000000001", ErrOutOfRange},
	}
	for _, tc := range tests {
		_, err := Parse(tc.in)
		if !errors.Is(err, tc.want) {
			t.Errorf("Parse(%q) error %v, want it to wrap %v", tc.in, err, tc.want)
		}
	}
	if _, err := Parse("abc"); errors.Is(err, ErrNotWhole) || errors.Is(err, ErrOutOfRange) {
		t.Errorf("Parse(abc) error %v wraps a sentinel it should not", err)
	}
}

func TestParseErrorMessage(t *testing.T) {
	t.Parallel()
	_, err := Parse("abc")
	if want := `money: cannot read "abc" as a Rupiah amount: not_a_number`; err == nil || err.Error() != want {
		t.Errorf("Error() = %v, want %s", err, want)
	}
	long := strings.Repeat("é", 100)
	_, err = Parse(long)
	if err == nil || len(err.Error()) > 2*maxInputLen+60 || !strings.Contains(err.Error(), "…") {
		t.Errorf("Error() for a long input is not clipped: %v", err)
	}
}

func TestReasonMessageID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		r    Reason
		want string
	}{
		{ReasonEmpty, "amount.error.empty"},
		{ReasonNotANumber, "amount.error.not_a_number"},
		{ReasonAmbiguous, "amount.error.ambiguous"},
		{ReasonNegative, "amount.error.negative"},
		{ReasonZero, "amount.error.zero"},
		{ReasonFraction, "amount.error.fraction"},
		{ReasonTooLarge, "amount.error.too_large"},
		{Reason("made_up"), "amount.error.not_a_number"},
	}
	for _, tc := range tests {
		if got := tc.r.MessageID(); got != tc.want {
			t.Errorf("%s.MessageID() = %q, want %q", tc.r, got, tc.want)
		}
	}
}

func TestParseLongInputDoesNotAllocateMuch(t *testing.T) {
	in := strings.Repeat("9", 10_000)
	allocs := testing.AllocsPerRun(100, func() { _, _ = Parse(in) })
	if allocs > 1 {
		t.Errorf("Parse of 10 KB allocates %.0f times, want at most the error", allocs)
	}
}

func BenchmarkParse(b *testing.B) {
	for _, in := range []string{"1500000", "Rp 1.500.000,-", "1,5 juta", "abc"} {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = Parse(in)
			}
		})
	}
}
