package phone

import (
	"errors"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

func TestNormalize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string
		err  error
	}{
		{"0812-3456-7890", "6281234567890", nil},
		{"0812 3456 7890", "6281234567890", nil},
		{"+62 812-3456-7890", "6281234567890", nil},
		{"6281234567890", "6281234567890", nil},
		{"62 812 3456 7890", "6281234567890", nil},
		{"(0812) 3456 7890", "6281234567890", nil},
		{"+6281234567890", "6281234567890", nil},
		{"0812.3456.7890", "6281234567890", nil},
		{"  081234567890 ", "6281234567890", nil},
		{"62 0812 3456 7890", "6281234567890", nil}, // trunk 0 kept after the country code
		{"+62 (0)812 3456 7890", "6281234567890", nil},
		{"0811234567", "62811234567", nil},                 // 10-digit Telkomsel
		{"0881-1234-5678", "6288112345678", nil},           // Smartfren
		{"0812\u00a03456\u00a07890", "6281234567890", nil}, // non-breaking spaces from a spreadsheet
		{"+60 12-345 6789", "60123456789", nil},            // Malaysia mobile
		{"+44 7911 123456", "447911123456", nil},           // UK mobile
		{"+1 212 555 0123", "12125550123", nil},            // US: fixed line or mobile, undecidable

		{"", "", ErrInvalid},
		{"   ", "", ErrInvalid},
		{"+", "", ErrInvalid},
		{"0812345", "", ErrInvalid},             // too short
		{"0812-3456-7890-1234", "", ErrInvalid}, // too long
		{"62812345678901234", "", ErrInvalid},
		{"0812FLOWERS", "", ErrInvalid},        // phonenumbers would map letters to digits
		{"08123456789 ext 12", "", ErrInvalid}, // phonenumbers would drop the extension
		{"0812-3456-789O", "", ErrInvalid},     // letter O for zero
		{"62+81234567890", "", ErrInvalid},
		{"++6281234567890", "", ErrInvalid},
		{"60123456789", "", ErrInvalid},        // no '+': read as Indonesian, which it is not
		{"0062 812 3456 7890", "", ErrInvalid}, // 00 is not Indonesia's international prefix
		{"+999 1234 5678", "", ErrInvalid},     // no such country code
		{strings.Repeat("8", 300), "", ErrInvalid},

		{"021-5551234", "", ErrNotMobile}, // Jakarta fixed line
		{"+62 21 5551234", "", ErrNotMobile},
		{"(0274) 555123", "", ErrNotMobile}, // Yogyakarta fixed line
		{"+44 20 7946 0958", "", ErrNotMobile},
	}
	for _, tt := range tests {
		got, err := Normalize(tt.in)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("Normalize(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestErrorsAreDistinct(t *testing.T) {
	t.Parallel()
	_, err := Normalize("021-5551234")
	if errors.Is(err, ErrInvalid) {
		t.Fatalf("a fixed line reported as invalid: %v", err)
	}
	if !strings.Contains(err.Error(), "021-5551234") {
		t.Fatalf("error %q does not name the input", err)
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"0812-3456-7890", "+62 812-3456-7890", "(0812) 3456 7890", "6281234567890",
		"+60 12-345 6789", "021-5551234", "0812FLOWERS", "", "+", "62 0812 3456 7890", "+1 212 555 0123"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if cleaned, ok := clean(s); ok {
			checkFastParse(t, cleaned)
		}
		out, err := Normalize(s)
		if err != nil {
			if out != "" {
				t.Fatalf("Normalize(%q) = %q with error %v", s, out, err)
			}
			if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrNotMobile) {
				t.Fatalf("Normalize(%q): error %v is neither ErrInvalid nor ErrNotMobile", s, err)
			}
			return
		}
		if len(out) < 8 || len(out) > 15 || strings.Trim(out, "0123456789") != "" {
			t.Fatalf("Normalize(%q) = %q: not 8-15 digits", s, out)
		}
		again, err := Normalize("+" + out)
		if err != nil || again != out {
			t.Fatalf("Normalize(%q) = %q, but Normalize(%q) = %q, %v", s, out, "+"+out, again, err)
		}
	})
}

// checkFastParse holds the shortcut to what phonenumbers.Parse makes of the
// same text.
func checkFastParse(t *testing.T, cleaned string) {
	fast, ok := fastParse(cleaned)
	if !ok {
		return
	}
	slow, err := phonenumbers.Parse(cleaned, region)
	if err != nil {
		if typ := phonenumbers.GetNumberType(fast); typ != phonenumbers.UNKNOWN {
			t.Fatalf("%q: Parse fails (%v) but fastParse finds a number of type %v", cleaned, err, typ)
		}
		return
	}
	fastE164, slowE164 := phonenumbers.Format(fast, phonenumbers.E164), phonenumbers.Format(slow, phonenumbers.E164)
	fastType, slowType := phonenumbers.GetNumberType(fast), phonenumbers.GetNumberType(slow)
	if fastType != slowType || (slowType != phonenumbers.UNKNOWN && fastE164 != slowE164) {
		t.Fatalf("%q: fastParse %s type %v; Parse %s type %v", cleaned, fastE164, fastType, slowE164, slowType)
	}
}

func BenchmarkNormalize(b *testing.B) {
	for _, in := range []string{"0812-3456-7890", "+62 812-3456-7890", "6281234567890", "+60 12-345 6789", "021-5551234"} {
		b.Run(in, func(b *testing.B) {
			for b.Loop() {
				_, _ = Normalize(in)
			}
		})
	}
}

func TestLast4(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"6281234567890": "…7890", "6281234567890@s.whatsapp.net": "…7890", "123": "…", "": "…"} {
		if got := Last4(in); got != want {
			t.Errorf("Last4(%q) = %q, want %q", in, got, want)
		}
	}
}
