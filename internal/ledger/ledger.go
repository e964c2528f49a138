// Package ledger is kopbot's double-entry book: accounts, transactions made of
// postings that sum to zero, reversals, balances and the invariants that prove
// the book is whole. Posted money is never edited; a mistake is reversed.
//
// Every function takes a store.Queryer so callers can post inside their own
// transaction together with what the posting causes (an outbox row, a loan
// state change). Functions that write expect a *sql.Tx; when one returns an
// error, roll that transaction back.
package ledger

import (
	"embed"
	"errors"

	"github.com/kopmem/kopbot/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Schema is the ledger tables' migrations.
var Schema = store.EmbeddedSchema("ledger", migrations, "migrations")

var (
	// ErrMissing is returned when an entry lacks a key, kind, actor or value date.
	ErrMissing = errors.New("required field missing")
	// ErrTooFewPostings is returned for an entry with fewer than two postings.
	ErrTooFewPostings = errors.New("a transaction needs at least two postings")
	// ErrZeroAmount is returned for a posting of zero.
	ErrZeroAmount = errors.New("posting amount is zero")
	// ErrUnbalanced is returned when postings do not sum to zero.
	ErrUnbalanced = errors.New("postings do not sum to zero")
	// ErrUnknownAccount is returned for an account code that does not exist.
	ErrUnknownAccount = errors.New("unknown account")
	// ErrAccountType is returned for an invalid account type, or when an
	// existing account is ensured with a different type.
	ErrAccountType = errors.New("account type mismatch")
	// ErrKeyConflict is returned when an idempotency key was already used for
	// a different transaction.
	ErrKeyConflict = errors.New("idempotency key already used for a different transaction")
	// ErrNotFound is returned when no transaction matches.
	ErrNotFound = errors.New("transaction not found")
	// ErrAlreadyReversed is returned when reversing a transaction a second time.
	ErrAlreadyReversed = errors.New("transaction already reversed")
	// ErrNotReversible is returned when reversing a reversal.
	ErrNotReversible = errors.New("a reversal cannot be reversed")
)
