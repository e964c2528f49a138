package savings

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/ledger/ledgertest"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/kopmem/kopbot/internal/store/storetest"
	"github.com/shopspring/decimal"
)

var day = time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC)

func openTB(tb testing.TB) *store.DB { return storetest.Open(tb, member.Schema, ledger.Schema, Schema) }

// joined is when newMember's members joined: before any date the tests post.
var joined = time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC)

// newMember creates member number A<n> with a phone derived from n.
func newMember(ctx context.Context, tb testing.TB, q store.Queryer, n int) member.Member {
	tb.Helper()
	m, err := member.Create(ctx, q, member.Member{Number: fmt.Sprintf("A%04d", n), Name: fmt.Sprintf("Anggota %d", n),
		Phone: fmt.Sprintf("62812%08d", n), JoinedOn: joined})
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func rp(n int64) decimal.Decimal { return decimal.NewFromInt(n) }

func move(tb testing.TB, db *store.DB, f func(context.Context, store.Queryer, Movement) (ledger.Tx, error), m Movement) (ledger.Tx, error) {
	tb.Helper()
	var tx ledger.Tx
	err := db.Write(context.Background(), func(q *sql.Tx) error {
		var err error
		tx, err = f(context.Background(), q, m)
		return err
	})
	return tx, err
}

func summary(tb testing.TB, db *store.DB, memberID int64) Balances {
	tb.Helper()
	b, err := Summary(context.Background(), db.R, memberID)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func mustCheck(tb testing.TB, db *store.DB) { ledgertest.MustCheck(tb, db.R) }

// counts is how many rows the savings and ledger tables hold, to prove an
// import that failed wrote nothing.
func counts(tb testing.TB, db *store.DB) string {
	tb.Helper()
	var a, s, t, p int
	if err := db.R.QueryRow(`SELECT (SELECT count(*) FROM ledger_accounts), (SELECT count(*) FROM savings_accounts),
		(SELECT count(*) FROM ledger_transactions), (SELECT count(*) FROM ledger_postings)`).Scan(&a, &s, &t, &p); err != nil {
		tb.Fatal(err)
	}
	return fmt.Sprintf("accounts=%d savings_accounts=%d transactions=%d postings=%d", a, s, t, p)
}
