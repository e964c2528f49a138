// Package membership is joining and leaving the cooperative: the name a
// number that is no member leaves for the officers (kept only until it is
// registered, or for a set time), an officer registering a member (the next
// member number, the simpanan pokok owed), and a member leaving (their
// savings set against what they owe, paid out once through the ledger, and
// their accounts closed). It knows no transport: the officers' desk and the
// router call it inside their write transaction.
package membership

import (
	"embed"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Schema is the membership tables' migrations; they refer to members and
// the ledger.
var Schema = store.EmbeddedSchema("membership", migrations, "migrations")

var (
	// ErrName is returned for a name that is no person's name.
	ErrName = errors.New("not a name")
	// ErrPhone is returned for a number that is no phone number.
	ErrPhone = errors.New("not a phone number")
	// ErrNumber is returned for a first member number without digits to
	// count on from.
	ErrNumber = errors.New("a member number must end in digits")
	// ErrBlocked is returned (inside a *BlockedError) for a member who
	// cannot leave yet: a loan open, or a request in progress.
	ErrBlocked = errors.New("the member still owes a loan or has a request in progress")
	// ErrChanged is returned when the member's savings changed between the
	// settlement shown and its confirmation.
	ErrChanged = errors.New("the savings changed since the settlement was shown")
	// ErrAccountChanged is returned when the member's bank account on file
	// is not the one the payout by transfer was confirmed to.
	ErrAccountChanged = errors.New("the bank account on file changed since the settlement was shown")
)

// Settings are the cooperative's rules for joining.
type Settings struct {
	// FirstNumber is the first member number ever given (KMM-00001): the
	// next one counts on from the highest with its prefix, as wide.
	FirstNumber string
	// Pokok is the simpanan pokok a new member owes.
	Pokok decimal.Decimal
}

// Validate checks the settings can register anyone.
func (s Settings) Validate() error {
	if _, _, err := splitNumber(s.FirstNumber); err != nil {
		return err
	}
	if !s.Pokok.IsPositive() || !s.Pokok.IsInteger() {
		return fmt.Errorf("simpanan pokok %s: want whole Rupiah above 0", s.Pokok)
	}
	return nil
}

// MaxName is the longest name taken, in letters: longer is a paste, not a
// name.
const MaxName = 80

// CleanName is a person's name as typed, spaces tidied; letters, spaces
// and the marks names carry (. ' - ,) only, at least two letters.
func CleanName(s string) (string, error) {
	name := strings.Join(strings.Fields(s), " ")
	letters := 0
	for _, r := range name {
		switch {
		case unicode.IsLetter(r):
			letters++
		case r == ' ' || r == '.' || r == '\'' || r == '-' || r == ',' || unicode.Is(unicode.Mn, r):
		default:
			return "", fmt.Errorf("%q: %w", s, ErrName)
		}
	}
	if letters < 2 || len([]rune(name)) > MaxName {
		return "", fmt.Errorf("%q: %w", s, ErrName)
	}
	return name, nil
}
