package member

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"context"
	"github.com/kopmem/kopbot/internal/store"
)

// BankAccount is a member's own account at a bank, on file in the
// register: where a withdrawal by transfer, or the savings of a member
// leaving, are sent.
type BankAccount struct {
	Bank   string // the bank's name as the office writes it: BCA, BRI, Bank Jateng
	Number string // digits only
	Holder string // atas nama
}

// IsZero reports that no account is on file.
func (a BankAccount) IsZero() bool { return a == BankAccount{} }

// String is how members and officers read the account:
// "BCA 1234567890 a.n. Siti Aminah".
func (a BankAccount) String() string {
	if a.IsZero() {
		return ""
	}
	return a.Bank + " " + a.Number + " a.n. " + a.Holder
}

// ErrBankAccount is an account kopbot cannot keep: it wants the bank's
// name, a number of 6 to 24 digits and the holder's name.
var ErrBankAccount = errors.New("a bank account needs the bank, a number of 6 to 24 digits and the holder's name")

// NewBankAccount checks and tidies an account's three parts: spaces
// folded, and the number's spaces, dots and dashes dropped (banks print
// 0123-01-000123-50-1).
func NewBankAccount(bank, number, holder string) (BankAccount, error) {
	a := BankAccount{Bank: strings.Join(strings.Fields(bank), " "), Holder: strings.Join(strings.Fields(holder), " "),
		Number: strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) || r == '-' || r == '.' {
				return -1
			}
			return r
		}, number)}
	switch {
	case !strings.ContainsFunc(a.Bank, unicode.IsLetter) || len(a.Bank) > 40 || strings.ContainsFunc(bank, unsafeRune):
		return BankAccount{}, fmt.Errorf("bank %q: %w", bank, ErrBankAccount)
	case len(a.Number) < 6 || len(a.Number) > 24 || strings.Trim(a.Number, "0123456789") != "":
		return BankAccount{}, fmt.Errorf("account number %q: %w", number, ErrBankAccount)
	case !strings.ContainsFunc(a.Holder, unicode.IsLetter) || len(a.Holder) > 80 || strings.ContainsFunc(holder, unsafeRune):
		return BankAccount{}, fmt.Errorf("account holder %q: %w", holder, ErrBankAccount)
	}
	return a, nil
}

// holderMarks are the ways an Indonesian writes "in the name of" before
// an account's holder.
var holderMarks = map[string]bool{"a.n.": true, "a.n": true, "an": true, "an.": true, "a/n": true, "atas": true}

// ParseBankAccount reads an account as an officer types it on one line:
// the bank, the number (spaces allowed), then the holder after "a.n." —
// "BCA 1234567890 a.n. Siti Aminah", "Bank Jateng 2-013-04567-8 an Budi".
func ParseBankAccount(s string) (BankAccount, error) {
	words := strings.Fields(s)
	num := -1
	for i, w := range words {
		if strings.ContainsFunc(w, unicode.IsDigit) {
			num = i
			break
		}
	}
	mark := -1
	for i := max(num, 0); i < len(words); i++ {
		if holderMarks[strings.ToLower(words[i])] {
			mark = i
			break
		}
	}
	if num < 1 || mark <= num {
		return BankAccount{}, fmt.Errorf("%q: %w", s, ErrBankAccount)
	}
	holder := words[mark+1:]
	if strings.EqualFold(words[mark], "atas") && len(holder) > 0 && strings.EqualFold(holder[0], "nama") {
		holder = holder[1:]
	}
	return NewBankAccount(strings.Join(words[:num], " "), strings.Join(words[num:mark], ""), strings.Join(holder, " "))
}

// SetBankAccount puts a on file for member id; a zero a clears it.
func SetBankAccount(ctx context.Context, q store.Queryer, id int64, a BankAccount) error {
	if _, err := q.ExecContext(ctx, `UPDATE members SET bank_name = ?, bank_number = ?, bank_holder = ? WHERE id = ?`,
		a.Bank, a.Number, a.Holder, id); err != nil {
		return fmt.Errorf("bank account of member %d: %w", id, err)
	}
	return nil
}
