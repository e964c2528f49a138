// Package money reads and writes Rupiah amounts: what members type ("1,5 juta",
// "500rb", "Rp 2.000.000") and what they read ("Rp1.500.000"). Amounts are
// shopspring decimals in Go and whole Rupiah integers in SQL; never floats.
package money

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"
)

// ErrNotWhole is returned for an amount with a fraction of a Rupiah.
var ErrNotWhole = errors.New("amount is not a whole number of Rupiah")

// ErrOutOfRange is returned for an amount too large to store.
var ErrOutOfRange = errors.New("amount out of range")

// Max is the largest amount kopbot stores in one figure: Rp1.000.000.000.000.000
// (a quadrillion) leaves room to sum any cooperative's ledger in an int64.
var Max = decimal.New(1, 15)

// ToRupiah converts d to the whole-Rupiah integer stored in SQL, refusing
// fractions and sizes beyond Max rather than silently rounding money.
func ToRupiah(d decimal.Decimal) (int64, error) {
	if !d.IsInteger() {
		return 0, fmt.Errorf("%s: %w", d, ErrNotWhole)
	}
	if d.Abs().GreaterThan(Max) {
		return 0, fmt.Errorf("%s: %w", d, ErrOutOfRange)
	}
	return d.IntPart(), nil
}

// FromRupiah turns a stored integer back into a decimal.
func FromRupiah(n int64) decimal.Decimal { return decimal.NewFromInt(n) }
