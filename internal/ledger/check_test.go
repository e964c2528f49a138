package ledger

import (
	"context"
	"database/sql"
	"github.com/kopmem/kopbot/internal/store/storetest"
	"strings"
	"testing"
)

func TestCheckDetectsCorruption(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		corrupt []string
		want    []string // each must appear in some problem
	}{
		{
			name:    "cached balance",
			corrupt: []string{`UPDATE ledger_accounts SET balance = balance + 1 WHERE code = 'SAV'`},
			want:    []string{"account SAV: cached balance", "cached balances sum to 1"},
		},
		{
			name: "edited posting",
			corrupt: []string{`DROP TRIGGER ledger_postings_no_update`,
				`UPDATE ledger_postings SET amount = amount + 5 WHERE id = 1`},
			want: []string{"account KAS: cached balance 20 but its postings sum to 25",
				"transaction 1 (dep-1): 2 postings summing to 5", "postings sum to 5",
				"transaction 3 does not exactly negate transaction 1"},
		},
		{
			name: "lost posting",
			corrupt: []string{`DROP TRIGGER ledger_postings_no_delete`,
				`DELETE FROM ledger_postings WHERE id = 2`},
			want: []string{"transaction 1 (dep-1): 1 postings summing to 1000"},
		},
		{
			name: "reversal of a reversal",
			corrupt: []string{`INSERT INTO ledger_transactions (idem_key, kind, value_date, actor, reverses)
				VALUES ('rr', 'reversal', '2026-03-14', 'x', 3)`},
			want: []string{"reverses transaction 3, itself a reversal", "transaction 4 (rr): 0 postings"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := cashAndSavings(t)
			dep := mustPost(t, db, deposit("dep-1", 1000))
			mustPost(t, db, deposit("dep-2", 20))
			if _, err := storetest.Write(t, db, func(q *sql.Tx) (Tx, error) {
				return Reverse(ctx, q, dep.ID, "rev-1", "x", "", day)
			}); err != nil {
				t.Fatal(err)
			}
			mustCheck(t, db)
			for _, stmt := range tt.corrupt {
				if _, err := db.W.ExecContext(ctx, stmt); err != nil {
					t.Fatalf("%s: %v", stmt, err)
				}
			}
			r, err := Check(ctx, db.R)
			if err != nil {
				t.Fatal(err)
			}
			if r.OK() {
				t.Fatal("Check found nothing wrong")
			}
			all := r.String()
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("report lacks %q:\n%s", w, all)
				}
			}
		})
	}
}
