package loan

import (
	"context"

	"github.com/kopmem/kopbot/internal/store"
)

type scanner interface{ Scan(...any) error }

// collect runs query and scans every row with scan.
func collect[T any](ctx context.Context, q store.Queryer, query string, scan func(scanner) (T, error), args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
