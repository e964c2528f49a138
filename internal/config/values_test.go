package config

import (
	"encoding"
	"testing"
)

func TestValueText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		v    interface {
			encoding.TextUnmarshaler
			encoding.TextMarshaler
		}
		in   string
		want string // config form after reading; "" means refused
	}{
		{"rate comma", &Rate{}, "1,5%", "1,5%"},
		{"rate point", &Rate{}, " 1.5 % ", "1,5%"},
		{"rate fraction", &Rate{}, "0.015", "1,5%"},
		{"rate zero", &Rate{}, "0%", "0%"},
		{"rate bare percent refused", &Rate{}, "1,5", ""},
		{"rate thousands refused", &Rate{}, "1.000,5%", ""},
		{"rate words refused", &Rate{}, "satu%", ""},
		{"amount Rupiah", &Amount{}, "Rp10.000.000", "Rp10.000.000"},
		{"amount juta", &Amount{}, "1,5 juta", "Rp1.500.000"},
		{"amount integer", &Amount{}, "20000000", "Rp20.000.000"},
		{"amount zero allowed", &Amount{}, "0", "Rp0"},
		{"amount fraction refused", &Amount{}, "1500,50", ""},
		{"amount negative refused", &Amount{}, "-5000", ""},
		{"decimal comma", &Decimal{}, "2,5", "2.5"},
		{"decimal refused", &Decimal{}, "tiga", ""},
		{"duration", &Duration{}, "1m30s", "1m30s"},
		{"duration bare number refused", &Duration{}, "8", ""},
		{"time", &TimeOfDay{}, "8:05", "08:05"},
		{"time refused", &TimeOfDay{}, "25:00", ""},
		{"day English", &Weekday{}, "Tuesday", "tue"},
		{"day Indonesian", &Weekday{}, "Jumat", "fri"},
		{"day refused", &Weekday{}, "libur", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.v.UnmarshalText([]byte(tc.in))
			if tc.want == "" {
				if err == nil {
					t.Errorf("%q accepted", tc.in)
				}
				return
			}
			if err != nil {
				t.Fatalf("%q: %v", tc.in, err)
			}
			if got, _ := tc.v.MarshalText(); string(got) != tc.want {
				t.Errorf("%q reads as %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestLineOf(t *testing.T) {
	t.Parallel()
	src := `db = "a" # top
[telegram]
  enabled = true
[[loan.products]]
code = "A"
[[loan.products]]
code = "B"
[reminders]
"days" = []
whatsapp.session = "x"
`
	tests := []struct {
		path keyPath
		want int
	}{
		{keyPath{"db"}, 1},
		{keyPath{"telegram"}, 2},
		{keyPath{"telegram", "enabled"}, 3},
		{keyPath{"loan", "products", "[0]", "code"}, 5},
		{keyPath{"loan", "products", "[1]", "code"}, 7},
		{keyPath{"loan", "products", "[1]"}, 6},
		{keyPath{"reminders", "days"}, 9},
		{keyPath{"reminders", "whatsapp", "session"}, 10},
		{keyPath{"http", "listen"}, 0},
	}
	for _, tc := range tests {
		if got := lineOf(src, tc.path); got != tc.want {
			t.Errorf("lineOf(%s) = %d, want %d", tc.path, got, tc.want)
		}
	}
}
