package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/money"
)

// The setting types below read the same text from the config file and from
// environment variables (see setText), and write it back in the form the
// example file uses, so Redacted prints a file Load reads again.

// Duration is a Go duration written as text: "8s", "1m30s". A bare number is
// refused because "8" could mean seconds or milliseconds.
type Duration struct{ time.Duration }

// UnmarshalText reads "8s".
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(strings.TrimSpace(string(b)))
	if err != nil {
		return fmt.Errorf("%q is not a duration like \"8s\" or \"1m\"", b)
	}
	d.Duration = v
	return nil
}

// MarshalText writes "8s".
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Amount is a whole-Rupiah amount, written as members write them
// ("Rp10.000.000", "1,5 juta", "20jt") or as a plain integer.
type Amount struct{ decimal.Decimal }

// UnmarshalText reads an amount with money.Parse. Zero is allowed here
// (money.Parse refuses it for members) because a threshold of zero is a
// meaningful setting; each setting that needs a positive amount checks it.
func (a *Amount) UnmarshalText(b []byte) error {
	d, err := money.Parse(string(b))
	var pe *money.ParseError
	if errors.As(err, &pe) && pe.Reason == money.ReasonZero {
		d, err = decimal.Zero, nil
	}
	if err != nil {
		return err
	}
	a.Decimal = d
	return nil
}

// MarshalText writes "Rp10.000.000".
func (a Amount) MarshalText() ([]byte, error) { return []byte(money.Format(a.Decimal, "id")), nil }

// Rate is a fraction such as an interest rate: "1,5%", "1.5%" or 0.015 are
// the same rate.
type Rate struct{ decimal.Decimal }

// UnmarshalText reads a percentage ("1,5%") or a fraction below one
// (0.015). A bare 1,5 is refused: the treasurer almost certainly meant
// 1,5%, and reading it as 150% would be a costly surprise.
func (r *Rate) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	pct, isPct := strings.CutSuffix(s, "%")
	d, err := parseDecimal(pct)
	if err != nil {
		return err
	}
	if isPct {
		d = d.Shift(-2)
	} else if d.Abs().GreaterThanOrEqual(decimal.NewFromInt(1)) {
		return fmt.Errorf("%q without %% would be %s%%; write it with %% (\"%s%%\") or as a fraction below 1", s, d.Shift(2), s)
	}
	r.Decimal = d
	return nil
}

// MarshalText writes the rate as Percent does.
func (r Rate) MarshalText() ([]byte, error) { return []byte(r.Percent()), nil }

// Percent is the rate as an Indonesian percentage, "1,5%", as a treasurer
// writes it. (fmt prints a Rate as the embedded fraction, 0.015.)
func (r Rate) Percent() string { return money.Percent(r.Decimal, "id") }

// Decimal is a plain number that may have a fraction: 3, 2.5 or "2,5".
type Decimal struct{ decimal.Decimal }

// UnmarshalText reads "2,5" or "2.5".
func (d *Decimal) UnmarshalText(b []byte) error {
	v, err := parseDecimal(string(b))
	if err != nil {
		return err
	}
	d.Decimal = v
	return nil
}

// parseDecimal reads a number with either a decimal comma (Indonesian) or a
// decimal point; thousands separators are refused because "1.500" would be
// ambiguous between the two habits.
func parseDecimal(s string) (decimal.Decimal, error) {
	s = strings.TrimSpace(s)
	if strings.Count(s, ",")+strings.Count(s, ".") > 1 {
		return decimal.Zero, fmt.Errorf("%q: use one decimal separator and no thousands separators", s)
	}
	d, err := decimal.NewFromString(strings.Replace(s, ",", ".", 1))
	if err != nil {
		return decimal.Zero, fmt.Errorf("%q is not a number", s)
	}
	return d, nil
}

// TimeOfDay is a wall-clock time in the cooperative's zone, "08:00".
type TimeOfDay struct{ Hour, Minute int }

// UnmarshalText reads "08:00" or "8:00".
func (t *TimeOfDay) UnmarshalText(b []byte) error {
	v, err := time.Parse("15:04", strings.TrimSpace(string(b)))
	if err != nil {
		return fmt.Errorf("%q is not a time like \"08:00\"", b)
	}
	*t = TimeOfDay{Hour: v.Hour(), Minute: v.Minute()}
	return nil
}

// MarshalText writes "08:00".
func (t TimeOfDay) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", t.Hour, t.Minute) }

// Before reports whether t is earlier in the day than u.
func (t TimeOfDay) Before(u TimeOfDay) bool {
	return t.Hour < u.Hour || (t.Hour == u.Hour && t.Minute < u.Minute)
}

// Date is a calendar date, written "2026-08-18".
type Date struct{ time.Time }

// UnmarshalText reads "2026-08-18".
func (d *Date) UnmarshalText(b []byte) error {
	v, err := time.Parse(time.DateOnly, strings.TrimSpace(string(b)))
	if err != nil {
		return fmt.Errorf("%q is not a date like \"2026-08-18\"", b)
	}
	d.Time = v
	return nil
}

// MarshalText writes "2026-08-18".
func (d Date) MarshalText() ([]byte, error) { return []byte(d.Format(time.DateOnly)), nil }

// Weekday is a day of the week, written "mon" or, for the office, "senin" or "sen".
type Weekday struct{ time.Weekday }

var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
	"min": time.Sunday, "sen": time.Monday, "sel": time.Tuesday, "rab": time.Wednesday,
	"kam": time.Thursday, "jum": time.Friday, "sab": time.Saturday,
	"minggu": time.Sunday, "senin": time.Monday, "selasa": time.Tuesday, "rabu": time.Wednesday,
	"kamis": time.Thursday, "jumat": time.Friday, "sabtu": time.Saturday,
}

// UnmarshalText reads "mon", "Monday", "senin" or "sen".
func (w *Weekday) UnmarshalText(b []byte) error {
	s := strings.ToLower(strings.TrimSpace(string(b)))
	if d, ok := weekdays[s]; ok {
		w.Weekday = d
		return nil
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		if s == strings.ToLower(d.String()) {
			w.Weekday = d
			return nil
		}
	}
	return fmt.Errorf("%q is not a day: use mon, tue, wed, thu, fri, sat, sun (or senin … minggu, sen … min)", b)
}

// MarshalText writes "mon".
func (w Weekday) MarshalText() ([]byte, error) {
	return []byte(strings.ToLower(w.String()[:3])), nil
}

// OptRate is a Rate a product may leave unset, to take the shared one.
type OptRate struct {
	Rate
	Set bool
}

// UnmarshalText reads the rate as Rate does and marks it set; "" leaves it unset.
func (o *OptRate) UnmarshalText(b []byte) error {
	if strings.TrimSpace(string(b)) == "" {
		*o = OptRate{}
		return nil
	}
	if err := o.Rate.UnmarshalText(b); err != nil {
		return err
	}
	o.Set = true
	return nil
}

// MarshalText writes the rate, or "" when unset.
func (o OptRate) MarshalText() ([]byte, error) {
	if !o.Set {
		return []byte{}, nil
	}
	return o.Rate.MarshalText()
}

// OptInt is a whole number a product may leave unset.
type OptInt struct {
	Value int64
	Set   bool
}

// UnmarshalText reads a whole number and marks it set; "" leaves it unset.
func (o *OptInt) UnmarshalText(b []byte) error {
	if strings.TrimSpace(string(b)) == "" {
		*o = OptInt{}
		return nil
	}
	v, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return fmt.Errorf("%q: want a whole number", b)
	}
	o.Value, o.Set = v, true
	return nil
}

// MarshalText writes the number, or "" when unset.
func (o OptInt) MarshalText() ([]byte, error) {
	if !o.Set {
		return []byte{}, nil
	}
	return []byte(strconv.FormatInt(o.Value, 10)), nil
}
