package ledger

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/store"
	"github.com/kopmem/kopbot/internal/store/storetest"
	"github.com/shopspring/decimal"
)

var day = time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC)

func openTB(tb testing.TB) *store.DB { return storetest.Open(tb, Schema) }

func mustEnsure(tb testing.TB, db *store.DB, code string, t AccountType) {
	tb.Helper()
	if _, err := storetest.Write(tb, db, func(tx *sql.Tx) (Account, error) {
		return EnsureAccount(context.Background(), tx, code, code, t)
	}); err != nil {
		tb.Fatal(err)
	}
}

func rp(n int64) decimal.Decimal { return decimal.NewFromInt(n) }

// deposit moves n from the member's savings (credit) to cash (debit).
func deposit(key string, n int64) Entry {
	return Entry{Key: key, Kind: "deposit", ValueDate: day, Actor: "officer:1", Memo: "setoran",
		Postings: []Posting{{Account: "KAS", Amount: rp(n)}, {Account: "SAV", Amount: rp(-n)}}}
}

func mustPost(tb testing.TB, db *store.DB, e Entry) Tx {
	tb.Helper()
	tx, err := storetest.Write(tb, db, func(q *sql.Tx) (Tx, error) { return Post(context.Background(), q, e) })
	if err != nil {
		tb.Fatal(err)
	}
	return tx
}

func balance(tb testing.TB, db *store.DB, code string) int64 {
	tb.Helper()
	b, err := Balance(context.Background(), db.R, code)
	if err != nil {
		tb.Fatal(err)
	}
	return b.IntPart()
}

func mustCheck(tb testing.TB, db *store.DB) {
	tb.Helper()
	r, err := Check(context.Background(), db.R)
	if err != nil {
		tb.Fatal(err)
	}
	if !r.OK() {
		tb.Fatalf("ledger check: %s", r)
	}
}

// cashAndSavings opens a ledger with the two accounts deposits move between.
func cashAndSavings(tb testing.TB) *store.DB {
	db := openTB(tb)
	mustEnsure(tb, db, "KAS", Asset)
	mustEnsure(tb, db, "SAV", Liability)
	return db
}
