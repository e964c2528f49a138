package savings

import (
	"context"
	"fmt"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// Balances is a member's savings by kind, in natural sign.
type Balances struct {
	Pokok    decimal.Decimal
	Wajib    decimal.Decimal
	Sukarela decimal.Decimal
	Total    decimal.Decimal
}

// Of returns the balance of kind k.
func (b Balances) Of(k Kind) decimal.Decimal {
	switch k {
	case Pokok:
		return b.Pokok
	case Wajib:
		return b.Wajib
	case Sukarela:
		return b.Sukarela
	}
	return decimal.Zero
}

// Summary returns a member's three savings balances and their total. It is
// what a member asks for most, so it reads the ledger's cached balances in
// one query; only a member with no savings yet costs a second one, to tell
// them from an unknown member.
func Summary(ctx context.Context, q store.Queryer, memberID int64) (Balances, error) {
	rows, err := q.QueryContext(ctx, `SELECT s.kind, a.type, a.balance FROM savings_accounts s
		JOIN ledger_accounts a ON a.id = s.account_id WHERE s.member_id = ?`, memberID)
	if err != nil {
		return Balances{}, fmt.Errorf("savings of member %d: %w", memberID, err)
	}
	defer rows.Close()
	b := Balances{Pokok: decimal.Zero, Wajib: decimal.Zero, Sukarela: decimal.Zero, Total: decimal.Zero}
	n := 0
	for rows.Next() {
		var k Kind
		var t ledger.AccountType
		var raw int64
		if err := rows.Scan(&k, &t, &raw); err != nil {
			return Balances{}, fmt.Errorf("savings of member %d: %w", memberID, err)
		}
		bal := t.Natural(raw)
		switch k {
		case Pokok:
			b.Pokok = bal
		case Wajib:
			b.Wajib = bal
		case Sukarela:
			b.Sukarela = bal
		}
		b.Total = b.Total.Add(bal)
		n++
	}
	if err := rows.Err(); err != nil {
		return Balances{}, fmt.Errorf("savings of member %d: %w", memberID, err)
	}
	if n == 0 {
		if _, err := member.ByID(ctx, q, memberID); err != nil {
			return Balances{}, fmt.Errorf("savings: %w", err)
		}
	}
	return b, nil
}
