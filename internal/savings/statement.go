package savings

import (
	"context"
	"fmt"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/store"
)

// Line is one savings movement: the ledger line of the member's account,
// with Running the member's total savings after it.
type Line struct {
	Kind Kind
	ledger.Line
}

// Statement returns the member's last limit savings movements across the
// three kinds with value dates in p, by value date then entry order.
func Statement(ctx context.Context, q store.Queryer, memberID int64, p ledger.Period, limit int) ([]Line, error) {
	lines, err := statement(ctx, q, memberID, p, limit)
	if err != nil {
		return nil, fmt.Errorf("savings statement of member %d: %w", memberID, err)
	}
	return lines, nil
}

func statement(ctx context.Context, q store.Queryer, memberID int64, p ledger.Period, limit int) ([]Line, error) {
	rows, err := q.QueryContext(ctx, `SELECT s.kind, a.code FROM savings_accounts s
		JOIN ledger_accounts a ON a.id = s.account_id WHERE s.member_id = ?`, memberID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	kinds := map[string]Kind{}
	var codes []string
	for rows.Next() {
		var k Kind
		var code string
		if err := rows.Scan(&k, &code); err != nil {
			return nil, err
		}
		kinds[code] = k
		codes = append(codes, code)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(codes) == 0 {
		_, err := member.ByID(ctx, q, memberID)
		return nil, err
	}
	ll, err := ledger.DatedStatement(ctx, q, codes, p, limit)
	if err != nil {
		return nil, err
	}
	lines := make([]Line, len(ll))
	for i, l := range ll {
		lines[i] = Line{Kind: kinds[l.Account], Line: l}
	}
	return lines, nil
}
