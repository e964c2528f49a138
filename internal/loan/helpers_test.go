package loan

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/ledger/ledgertest"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/kopmem/kopbot/internal/store/storetest"
	"github.com/shopspring/decimal"
)

func rp(n int64) decimal.Decimal { return decimal.NewFromInt(n) }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// at is a moment in Jakarta on the given date, as the bot's clock gives it.
func at(y int, m time.Month, d, hour int) time.Time {
	return time.Date(y, m, d, hour, 0, 0, 0, time.FixedZone("WIB", 7*3600))
}

func openTB(tb testing.TB) *store.DB {
	return storetest.Open(tb, member.Schema, ledger.Schema, savings.Schema, Schema)
}

// must unwraps the result of a setup step; a setup failure panics, which
// fails the test with the stack that led to it.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// newMember creates member A<n> holding savings of the given total
// (pokok 100.000, the rest wajib).
func newMember(tb testing.TB, db *store.DB, n int, saved int64) member.Member {
	tb.Helper()
	ctx := context.Background()
	return must(storetest.Write(tb, db, func(q *sql.Tx) (member.Member, error) {
		m, err := member.Create(ctx, q, member.Member{Number: fmt.Sprintf("A%04d", n), Name: fmt.Sprintf("Anggota %d", n),
			Phone: fmt.Sprintf("62812%08d", n), JoinedOn: date(2025, 1, 2)})
		if err != nil || saved == 0 {
			return m, err
		}
		parts := []struct {
			kind   savings.Kind
			amount int64
		}{{savings.Pokok, min(saved, 100_000)}, {savings.Wajib, saved - min(saved, 100_000)}}
		for _, p := range parts {
			if p.amount == 0 {
				continue
			}
			if _, err := savings.Deposit(ctx, q, savings.Movement{Key: fmt.Sprintf("dep-%d-%s", n, p.kind), MemberID: m.ID,
				Kind: p.kind, Amount: rp(p.amount), ValueDate: date(2025, 1, 2), Actor: "test"}); err != nil {
				return m, err
			}
		}
		return m, nil
	}))
}

func catalog(tb testing.TB) Catalog {
	tb.Helper()
	return must(NewCatalog(DefaultProducts()...))
}

func applyTx(tb testing.TB, db *store.DB, r Request) (Application, error) {
	tb.Helper()
	return storetest.Write(tb, db, func(q *sql.Tx) (Application, error) {
		return Apply(context.Background(), q, r, catalog(tb), DefaultPolicy())
	})
}

func decideTx(tb testing.TB, db *store.DB, d Decision) (Outcome, error) {
	tb.Helper()
	return storetest.Write(tb, db, func(q *sql.Tx) (Outcome, error) { return Decide(context.Background(), q, d, DefaultPolicy()) })
}

func repayTx(tb testing.TB, db *store.DB, p Payment) (Receipt, error) {
	tb.Helper()
	return storetest.Write(tb, db, func(q *sql.Tx) (Receipt, error) { return Repay(context.Background(), q, p) })
}

// disbursedLoan takes a member with ample savings through application,
// approval (two officers when needed) and disbursement on the given day.
func disbursedLoan(tb testing.TB, db *store.DB, n int, product string, amount int64, tenor int, on time.Time) Loan {
	tb.Helper()
	p, ok := catalog(tb).ByCode(product)
	if !ok {
		tb.Fatalf("no product %s", product)
	}
	return disbursedProduct(tb, db, n, p, amount, tenor, on)
}

// disbursedProduct is disbursedLoan for a product of the test's own.
func disbursedProduct(tb testing.TB, db *store.DB, n int, p Product, amount int64, tenor int, on time.Time) Loan {
	tb.Helper()
	m := newMember(tb, db, n, amount)
	a := must(storetest.Write(tb, db, func(q *sql.Tx) (Application, error) {
		return Apply(context.Background(), q, Request{Key: fmt.Sprintf("apply-%d", n), MemberID: m.ID, Product: p.Code,
			Amount: rp(amount), Tenor: tenor, Purpose: "modal warung", Now: on}, must(NewCatalog(p)), DefaultPolicy())
	}))
	o := must(decideTx(tb, db, Decision{AppRef: a.Ref, OfficerID: "1001", Role: RolePetugas, Verdict: Approve, Now: on}))
	if !o.Final {
		must(decideTx(tb, db, Decision{AppRef: a.Ref, OfficerID: "2001", Role: RoleManajer, Verdict: Approve, Now: on}))
	}
	type out struct {
		l  Loan
		tx ledger.Tx
	}
	r := must(storetest.Write(tb, db, func(q *sql.Tx) (out, error) {
		l, tx, err := Disburse(context.Background(), q, a.Ref, "1001", on)
		return out{l, tx}, err
	}))
	return r.l
}

func balances(tb testing.TB, db *store.DB, codes ...string) map[string]int64 {
	tb.Helper()
	out := map[string]int64{}
	for _, c := range codes {
		b, err := ledger.Balance(context.Background(), db.R, c)
		if err != nil {
			tb.Fatal(err)
		}
		out[c] = b.IntPart()
	}
	return out
}

func mustCheck(tb testing.TB, db *store.DB) { ledgertest.MustCheck(tb, db.R) }

func eq(tb testing.TB, what string, got decimal.Decimal, want int64) {
	tb.Helper()
	if !got.Equal(rp(want)) {
		tb.Errorf("%s = %s, want %d", what, got, want)
	}
}
