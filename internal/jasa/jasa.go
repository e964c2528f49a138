// Package jasa pays jasa simpanan: interest on members' simpanan sukarela,
// worked out per calendar month on the month's lowest or average daily
// balance and credited to the member's sukarela once, at month end, against
// the books' expense account for it (beban jasa simpanan).
//
// The rate is capped by Permenkop UKM 8/2023 pasal 26 ayat (4): at most 9%
// a year; Settings.Validate refuses more, so kopbot does not start with it.
package jasa

import (
	"embed"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/period"
	"github.com/kopmem/kopbot/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Schema is the record of months paid. It comes after books.Schema.
var Schema = store.EmbeddedSchema("jasa", migrations, "migrations")

// MaxRate is the regulator's cap on savings interest, a year: Permenkop
// UKM 8/2023 pasal 26 ayat (4), "paling tinggi 9% per tahun".
var MaxRate = decimal.RequireFromString("0.09")

var (
	// ErrRateCap is returned for a rate above MaxRate.
	ErrRateCap = errors.New("savings interest above the 9%/year cap of Permenkop UKM 8/2023 pasal 26 ayat (4)")
	// ErrRate is returned for a negative rate.
	ErrRate = errors.New("savings interest rate below 0")
	// ErrBasis is returned for a balance basis other than lowest or average.
	ErrBasis = errors.New("unknown balance basis")
	// ErrNotEnded is returned for a month that has not ended yet.
	ErrNotEnded = errors.New("the month has not ended")
)

// Basis is the balance a month's interest is worked out on.
type Basis string

const (
	// Lowest is the month's lowest end-of-day balance (saldo terendah),
	// common KSP practice: interest = lowest × rate / 12.
	Lowest Basis = "lowest"
	// Average is the average end-of-day balance (saldo rata-rata harian):
	// interest = Σ end-of-day balances × rate / 365.
	Average Basis = "average"
)

// Settings are the cooperative's jasa simpanan on sukarela.
type Settings struct {
	// Rate is a year's interest as a fraction (0.06 is 6%/year); zero pays
	// none.
	Rate  decimal.Decimal
	Basis Basis
}

// Validate refuses a rate above the cap (ErrRateCap), below zero, or an
// unknown basis.
func (s Settings) Validate() error {
	switch {
	case s.Rate.IsNegative():
		return fmt.Errorf("%s%%: %w", s.Rate.Shift(2), ErrRate)
	case s.Rate.GreaterThan(MaxRate):
		return fmt.Errorf("%s%% a year: %w", s.Rate.Shift(2), ErrRateCap)
	case s.Basis != Lowest && s.Basis != Average:
		return fmt.Errorf("%q: want lowest or average: %w", s.Basis, ErrBasis)
	}
	return nil
}

// KindInterest is the ledger kind of a member's jasa simpanan.
const KindInterest = "jasa_simpanan"

const keyPrefix = "jasa:sukarela:"

// Key is the idempotency key of a member's interest for month m: one a
// member a month, however often the month is run.
func Key(m period.Month, memberID int64) string {
	return keyPrefix + monthLabel(m) + ":" + strconv.FormatInt(memberID, 10)
}

// MonthOf is the month a jasa simpanan transaction's key pays for, which
// its value date does not say when the month was closed before it was paid.
func MonthOf(key string) (period.Month, bool) {
	rest, ok := strings.CutPrefix(key, keyPrefix)
	if !ok {
		return period.Month{}, false
	}
	label, _, _ := strings.Cut(rest, ":")
	t, err := time.Parse(monthLayout, label)
	if err != nil {
		return period.Month{}, false
	}
	return period.Of(t), true
}

const monthLayout = "2006-01"

func monthLabel(m period.Month) string { return m.First().Format(monthLayout) }
