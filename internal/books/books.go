// Package books makes kopbot's ledger the cooperative's books: a chart of
// accounts a KSP recognises, onto which the ledger's per-member and per-loan
// accounts roll up; operating journal entries; the neraca and the
// perhitungan hasil usaha (laba rugi) for any date or period; and month and
// year closing, after which no transaction may be dated inside a closed
// month.
//
// Posted money is never touched: the chart maps ledger accounts by their
// codes (data, not Go), and closing only adds a year-end entry and a row
// that a trigger checks.
package books

import (
	"embed"
	"errors"

	"github.com/kopmem/kopbot/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Schema is the books' tables: closings. It comes after duty.Schema, which
// keeps the journal entries waiting for a second officer.
var Schema = store.EmbeddedSchema("books", migrations, "migrations")

var (
	// ErrChart is returned for a chart of accounts that cannot be used.
	ErrChart = errors.New("chart of accounts")
	// ErrClosed is returned for a value date inside a closed month.
	ErrClosed = errors.New("the month is closed")
	// ErrAccount is returned for a journal account that is not in the chart
	// or is of the wrong type for the entry.
	ErrAccount = errors.New("not an account for this entry")
	// ErrNotNext is returned when closing a month other than the first open
	// one, or one that has not ended.
	ErrNotNext = errors.New("not the month to close next")
)
