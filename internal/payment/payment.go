// Package payment is money a member sends by transfer: the proof they send
// in the chat (kept on disk, content-addressed), what its caption says, the
// officers' card with one-press buttons, and the booking an officer
// confirms, posted through the ledger once under the proof's key however
// often it is pressed, redelivered or retried.
package payment

import (
	"embed"
	"errors"

	"github.com/kopmem/kopbot/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Schema is the proofs' tables.
var Schema = store.EmbeddedSchema("payment", migrations, "migrations")

// Localizer renders a message id in a language.
type Localizer interface {
	T(lang, id string, data any) string
}

// Errors of a booking or a rejection.
var (
	ErrNoProof = errors.New("no such transfer proof")
	ErrPurpose = errors.New("unknown purpose")
	ErrAmount  = errors.New("amount must be whole and positive")
)
