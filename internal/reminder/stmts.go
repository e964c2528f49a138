package reminder

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/kopmem/kopbot/internal/store"
)

// prepared is a store.Queryer over one transaction that prepares each
// distinct statement once and reuses it. A plan runs the same few queries
// (members, channels, opt-outs, loans, outbox keys) for every chunk of
// reminders and an insert for every reminder; parsing them again each time
// was half the planner's cost. The cache holds one entry per query text in
// the code, not per loan: lookups bind their ids as one JSON array.
type prepared struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

var _ store.Queryer = (*prepared)(nil)

func newPrepared(tx *sql.Tx) *prepared { return &prepared{tx: tx, stmts: map[string]*sql.Stmt{}} }

func (p *prepared) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := p.stmts[query]; ok {
		return s, nil
	}
	s, err := p.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	p.stmts[query] = s
	return s, nil
}

func (p *prepared) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	s, err := p.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx, args...)
}

func (p *prepared) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s, err := p.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

// QueryRowContext falls back to the transaction when preparing fails, so
// the error surfaces from Scan as callers expect.
func (p *prepared) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	s, err := p.stmt(ctx, query)
	if err != nil {
		return p.tx.QueryRowContext(ctx, query, args...)
	}
	return s.QueryRowContext(ctx, args...)
}
