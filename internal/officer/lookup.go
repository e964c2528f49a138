package officer

import (
	"errors"
	"strings"

	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/phone"
	"github.com/shopspring/decimal"
)

// findMember finds a member by number as the office writes it (any case) or
// by phone number as typed (0812…, +62…).
func findMember(t *turn, s string) (member.Member, error) {
	t.subject = s
	m, err := member.ByNumber(t.ctx, t.tx, s)
	if errors.Is(err, member.ErrNotFound) && strings.ToUpper(s) != s {
		m, err = member.ByNumber(t.ctx, t.tx, strings.ToUpper(s))
	}
	if !errors.Is(err, member.ErrNotFound) {
		return m, err
	}
	if p, perr := phone.Normalize(s); perr == nil {
		return member.ByPhone(t.ctx, t.tx, p)
	}
	return member.Member{}, err
}

// isLoanRef tells a loan reference (PJ-2611-0007) from a member number.
func isLoanRef(s string) bool { return strings.HasPrefix(strings.ToUpper(s), "PJ-") }

// amount reads an amount typed over several words ("1,5 juta").
func amount(words []string) (decimal.Decimal, error) {
	return money.Parse(strings.Join(words, " "))
}

// key makes a money command idempotent: the message that carried it.
func key(t *turn) string { return "officer:" + string(t.ch) + ":" + t.msgID }
