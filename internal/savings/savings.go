// Package savings keeps members' simpanan: pokok (paid once on joining),
// wajib (monthly) and sukarela (voluntary, the only one a member may
// withdraw). Each is a liability account per member in the ledger; cash
// (KAS) is the other side of every movement.
package savings

import (
	"embed"
	"errors"
	"fmt"
	"strings"

	"github.com/kopmem/kopbot/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Schema is the savings tables' migrations. They refer to members and the
// ledger, so open with member.Schema and ledger.Schema before it.
var Schema = store.EmbeddedSchema("savings", migrations, "migrations")

var (
	// ErrKind is returned for a word that names no kind of savings.
	ErrKind = errors.New("unknown kind of savings")
	// ErrAmount is returned for an amount that is not positive.
	ErrAmount = errors.New("amount must be positive")
	// ErrNotWithdrawable is returned when withdrawing from pokok or wajib,
	// which are returned only when a member leaves the cooperative.
	ErrNotWithdrawable = errors.New("only simpanan sukarela can be withdrawn")
	// ErrInsufficient is returned when a withdrawal exceeds the balance.
	ErrInsufficient = errors.New("insufficient savings")
	// ErrAccount is money said to be in an account that is neither the
	// cash box nor a bank account.
	ErrAccount = errors.New("not a cash or bank account")
)

// Kind is one of the three kinds of savings.
type Kind string

// The three kinds of savings. Pokok is normally paid once; a second pokok
// deposit is accepted rather than refused, because the office sometimes
// pays the principal in instalments and the ledger records what was paid.
const (
	Pokok    Kind = "pokok"
	Wajib    Kind = "wajib"
	Sukarela Kind = "sukarela"
)

// Kinds lists the kinds in the order statements and summaries show them.
var Kinds = []Kind{Pokok, Wajib, Sukarela}

var kindWords = map[string]Kind{
	"pokok": Pokok, "principal": Pokok,
	"wajib": Wajib, "mandatory": Wajib,
	"sukarela": Sukarela, "voluntary": Sukarela,
}

// ParseKind reads a kind as members and treasurers write it, in Indonesian or
// English, with or without "simpanan"/"savings": "Wajib", "simpanan pokok",
// "voluntary savings".
func ParseKind(s string) (Kind, error) {
	w := strings.ToLower(strings.Join(strings.Fields(s), " "))
	w = strings.TrimPrefix(w, "simpanan ")
	w = strings.TrimSuffix(w, " savings")
	if k, ok := kindWords[w]; ok {
		return k, nil
	}
	return "", fmt.Errorf("%q: %w", s, ErrKind)
}

// Valid reports whether k is one of the three kinds.
func (k Kind) Valid() bool { return k == Pokok || k == Wajib || k == Sukarela }

// accountCode is the ledger code of a member's account of kind k, readable
// in a ledger listing: SIMP-WAJIB-A0012.
func (k Kind) accountCode(memberNumber string) string {
	return "SIMP-" + strings.ToUpper(string(k)) + "-" + memberNumber
}
