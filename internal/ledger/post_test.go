package ledger

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/store/storetest"
	"github.com/shopspring/decimal"
)

func TestPostValidation(t *testing.T) {
	t.Parallel()
	db := cashAndSavings(t)
	with := func(f func(*Entry)) Entry {
		e := deposit("k", 1000)
		f(&e)
		return e
	}
	tests := []struct {
		name string
		e    Entry
		want error
	}{
		{"no key", with(func(e *Entry) { e.Key = "" }), ErrMissing},
		{"no kind", with(func(e *Entry) { e.Kind = "" }), ErrMissing},
		{"no actor", with(func(e *Entry) { e.Actor = "" }), ErrMissing},
		{"no value date", with(func(e *Entry) { e.ValueDate = time.Time{} }), ErrMissing},
		{"one posting", with(func(e *Entry) { e.Postings = e.Postings[:1] }), ErrTooFewPostings},
		{"no postings", with(func(e *Entry) { e.Postings = nil }), ErrTooFewPostings},
		{"zero amount", with(func(e *Entry) {
			e.Postings = append(e.Postings, Posting{Account: "KAS", Amount: decimal.Zero})
		}), ErrZeroAmount},
		{"fraction", with(func(e *Entry) {
			e.Postings[0].Amount = decimal.RequireFromString("1000.5")
			e.Postings[1].Amount = decimal.RequireFromString("-1000.5")
		}), money.ErrNotWhole},
		{"too large", with(func(e *Entry) {
			e.Postings[0].Amount = money.Max.Add(rp(1))
			e.Postings[1].Amount = money.Max.Add(rp(1)).Neg()
		}), money.ErrOutOfRange},
		{"unbalanced", with(func(e *Entry) { e.Postings[1].Amount = rp(-999) }), ErrUnbalanced},
		{"unknown account", with(func(e *Entry) { e.Postings[1].Account = "NOPE" }), ErrUnknownAccount},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := storetest.Write(t, db, func(q *sql.Tx) (Tx, error) { return Post(context.Background(), q, tt.e) })
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
	t.Cleanup(func() {
		if n := balance(t, db, "KAS"); n != 0 {
			t.Errorf("rejected entries moved KAS to %d", n)
		}
	})
}

func TestPostIsIdempotent(t *testing.T) {
	t.Parallel()
	db := cashAndSavings(t)
	first := mustPost(t, db, deposit("dep-1", 500000))
	if first.Replayed || first.ID == 0 {
		t.Fatalf("first post = %+v", first)
	}
	// Same postings listed in another order and a reworded memo: still the same entry.
	again := deposit("dep-1", 500000)
	again.Postings[0], again.Postings[1] = again.Postings[1], again.Postings[0]
	again.Memo = "retry"
	second := mustPost(t, db, again)
	if !second.Replayed || second.ID != first.ID || second.Memo != "setoran" {
		t.Fatalf("replay = %+v, want Replayed of tx %d with the stored memo", second, first.ID)
	}
	if got := balance(t, db, "SAV"); got != 500000 {
		t.Fatalf("savings = %d, want 500000 (moved once)", got)
	}
	if got := balance(t, db, "KAS"); got != 500000 {
		t.Fatalf("cash = %d, want 500000", got)
	}
	mustCheck(t, db)
}

func TestPostKeyConflict(t *testing.T) {
	t.Parallel()
	db := cashAndSavings(t)
	mustPost(t, db, deposit("dep-1", 1000))
	tests := []struct {
		name string
		e    Entry
	}{
		{"other amount", deposit("dep-1", 2000)},
		{"other kind", func() Entry { e := deposit("dep-1", 1000); e.Kind = "opening"; return e }()},
		{"other date", func() Entry { e := deposit("dep-1", 1000); e.ValueDate = day.AddDate(0, 0, 1); return e }()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := storetest.Write(t, db, func(q *sql.Tx) (Tx, error) { return Post(context.Background(), q, tt.e) })
			if !errors.Is(err, ErrKeyConflict) {
				t.Fatalf("err = %v, want ErrKeyConflict", err)
			}
		})
	}
	t.Cleanup(func() {
		if got := balance(t, db, "SAV"); got != 1000 {
			t.Errorf("savings = %d, want 1000", got)
		}
	})
}

func TestReverse(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := cashAndSavings(t)
	orig := mustPost(t, db, deposit("dep-1", 75000))
	rev := func(txID int64, key string) (Tx, error) {
		return storetest.Write(t, db, func(q *sql.Tx) (Tx, error) {
			return Reverse(ctx, q, txID, key, "officer:2", "salah input", day)
		})
	}
	r, err := rev(orig.ID, "rev-1")
	if err != nil {
		t.Fatal(err)
	}
	if r.Reverses != orig.ID || r.Kind != KindReversal || r.Replayed {
		t.Fatalf("reversal = %+v", r)
	}
	for _, code := range []string{"KAS", "SAV"} {
		if got := balance(t, db, code); got != 0 {
			t.Errorf("%s = %d after reversal, want 0", code, got)
		}
	}
	again, err := rev(orig.ID, "rev-1")
	if err != nil || !again.Replayed || again.ID != r.ID {
		t.Fatalf("repeated reversal = %+v, %v; want replay of %d", again, err, r.ID)
	}
	if _, err := rev(orig.ID, "rev-2"); !errors.Is(err, ErrAlreadyReversed) {
		t.Fatalf("second reversal: err = %v, want ErrAlreadyReversed", err)
	}
	if _, err := rev(r.ID, "rev-3"); !errors.Is(err, ErrNotReversible) {
		t.Fatalf("reversing a reversal: err = %v, want ErrNotReversible", err)
	}
	if _, err := rev(9999, "rev-4"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("reversing nothing: err = %v, want ErrNotFound", err)
	}
	// A reversal key reused for another transaction's reversal is a conflict.
	other := mustPost(t, db, deposit("dep-2", 10))
	if _, err := rev(other.ID, "rev-1"); !errors.Is(err, ErrKeyConflict) {
		t.Fatalf("reused reversal key: err = %v, want ErrKeyConflict", err)
	}
	mustCheck(t, db)
}

func TestTriggersRefuseEdits(t *testing.T) {
	t.Parallel()
	db := cashAndSavings(t)
	mustPost(t, db, deposit("dep-1", 1000))
	for _, stmt := range []string{
		`UPDATE ledger_postings SET amount = amount * 2`,
		`DELETE FROM ledger_postings`,
		`UPDATE ledger_transactions SET memo = 'edited'`,
		`DELETE FROM ledger_transactions`,
		`UPDATE ledger_accounts SET code = 'KAS2' WHERE code = 'KAS'`,
		`UPDATE ledger_accounts SET type = 'expense' WHERE code = 'KAS'`,
	} {
		t.Run(stmt, func(t *testing.T) {
			t.Parallel()
			_, err := db.W.ExecContext(context.Background(), stmt)
			if err == nil {
				t.Fatal("accepted")
			}
		})
	}
	t.Run("rename", func(t *testing.T) {
		t.Parallel()
		if _, err := db.W.ExecContext(context.Background(), `UPDATE ledger_accounts SET name = 'Kas besar' WHERE code = 'KAS'`); err != nil {
			t.Fatalf("renaming an account was refused: %v", err)
		}
	})
	t.Cleanup(func() { mustCheck(t, db) })
}

func TestEnsureAccount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTB(t)
	ensure := func(code string, typ AccountType) (Account, error) {
		return storetest.Write(t, db, func(q *sql.Tx) (Account, error) { return EnsureAccount(ctx, q, code, "Kas", typ) })
	}
	a, err := ensure("KAS", Asset)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ensure("KAS", Asset)
	if err != nil || b.ID != a.ID {
		t.Fatalf("second ensure = %+v, %v; want id %d", b, err, a.ID)
	}
	if _, err := ensure("KAS", Liability); !errors.Is(err, ErrAccountType) {
		t.Fatalf("ensure with another type: err = %v", err)
	}
	if _, err := ensure("X", "cash"); !errors.Is(err, ErrAccountType) {
		t.Fatalf("ensure with a bad type: err = %v", err)
	}
	if _, err := AccountByCode(ctx, db.R, "NOPE"); !errors.Is(err, ErrUnknownAccount) {
		t.Fatalf("missing account: err = %v", err)
	}
}

func TestBalancesNaturalSign(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := cashAndSavings(t)
	mustEnsure(t, db, "FEE", Income)
	mustEnsure(t, db, "OPS", Expense)
	mustPost(t, db, deposit("dep", 500000))
	mustPost(t, db, Entry{Key: "fee", Kind: "fee", ValueDate: day, Actor: "sys", Postings: []Posting{
		{Account: "SAV", Amount: rp(2500)}, {Account: "FEE", Amount: rp(-2500)}}})
	mustPost(t, db, Entry{Key: "ops", Kind: "expense", ValueDate: day, Actor: "sys", Postings: []Posting{
		{Account: "OPS", Amount: rp(1000)}, {Account: "KAS", Amount: rp(-1000)}}})
	got, err := Balances(ctx, db.R, "KAS", "SAV", "FEE", "OPS")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"KAS": 499000, "SAV": 497500, "FEE": 2500, "OPS": 1000}
	for code, w := range want {
		if got[code].IntPart() != w {
			t.Errorf("%s = %s, want %d", code, got[code], w)
		}
	}
	if _, err := Balances(ctx, db.R, "KAS", "NOPE"); !errors.Is(err, ErrUnknownAccount) {
		t.Fatalf("unknown code: err = %v", err)
	}
}

func TestStatementRunningBalance(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := cashAndSavings(t)
	amounts := []int64{100, 250, 40, 1000, 7}
	var txs []Tx
	for i, n := range amounts {
		txs = append(txs, mustPost(t, db, deposit(string(rune('a'+i)), n)))
	}
	if _, err := storetest.Write(t, db, func(q *sql.Tx) (Tx, error) {
		return Reverse(ctx, q, txs[3].ID, "rev-d", "officer", "batal", day.AddDate(0, 0, 1))
	}); err != nil {
		t.Fatal(err)
	}
	lines, err := Statement(ctx, db.R, "SAV", 3)
	if err != nil {
		t.Fatal(err)
	}
	// Last three postings: +1000 (d), +7 (e), -1000 (reversal of d); balance 397.
	want := []struct{ amount, running int64 }{{1000, 1390}, {7, 1397}, {-1000, 397}}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d", len(lines), len(want))
	}
	for i, w := range want {
		if lines[i].Amount.IntPart() != w.amount || lines[i].Running.IntPart() != w.running {
			t.Errorf("line %d = %s running %s, want %d running %d", i, lines[i].Amount, lines[i].Running, w.amount, w.running)
		}
	}
	if last := lines[2]; last.Kind != KindReversal || last.Memo != "batal" || !last.ValueDate.Equal(day.AddDate(0, 0, 1)) {
		t.Errorf("last line = %+v", last)
	}
	if lines, err := Statement(ctx, db.R, "SAV", 100); err != nil || len(lines) != 6 || lines[0].Running.IntPart() != 100 {
		t.Fatalf("full statement = %+v, %v", lines, err)
	}
	mustEnsure(t, db, "EMPTY", Asset)
	if lines, err := Statement(ctx, db.R, "EMPTY", 10); err != nil || len(lines) != 0 {
		t.Fatalf("empty account = %v, %v", lines, err)
	}
	if _, err := Statement(ctx, db.R, "NOPE", 10); !errors.Is(err, ErrUnknownAccount) {
		t.Fatalf("unknown account: err = %v", err)
	}
}

// TestDatedStatement: lines entered out of date order (a history imported
// one sheet per kind, newest first) are read by value date, then entry order,
// with the combined balance running in that order.
func TestDatedStatement(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := cashAndSavings(t)
	mustEnsure(t, db, "SAV2", Liability)
	dated := func(key, acct string, n int64, d time.Time) Entry {
		return Entry{Key: key, Kind: "deposit", ValueDate: d, Actor: "x", Postings: []Posting{
			{Account: "KAS", Amount: rp(n)}, {Account: acct, Amount: rp(-n)}}}
	}
	feb, mar, apr := day.AddDate(0, -1, 0), day, day.AddDate(0, 1, 0)
	mustPost(t, db, dated("a", "SAV", 100, apr))
	mustPost(t, db, dated("b", "SAV", 7, feb))
	mustPost(t, db, dated("c", "SAV2", 30, mar))
	mustPost(t, db, dated("d", "SAV", -5, mar))
	mustPost(t, db, dated("e", "SAV2", 1000, feb))
	type want struct {
		key             string
		amount, running int64
	}
	tests := []struct {
		name  string
		p     Period
		limit int
		want  []want
	}{
		{"all", Period{}, 10, []want{{"b", 7, 7}, {"e", 1000, 1007}, {"c", 30, 1037}, {"d", -5, 1032}, {"a", 100, 1132}}},
		{"last three", Period{}, 3, []want{{"c", 30, 1037}, {"d", -5, 1032}, {"a", 100, 1132}}},
		{"march", Period{From: mar.AddDate(0, 0, -13), To: mar.AddDate(0, 0, 17)}, 10, []want{{"c", 30, 1037}, {"d", -5, 1032}}},
		{"until february", Period{To: feb}, 1, []want{{"e", 1000, 1007}}},
		{"nothing in may", Period{From: apr.AddDate(0, 1, 0)}, 10, nil},
	}
	for _, tt := range tests {
		lines, err := DatedStatement(ctx, db.R, []string{"SAV", "SAV2"}, tt.p, tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		if len(lines) != len(tt.want) {
			t.Fatalf("%s: got %d lines, want %d", tt.name, len(lines), len(tt.want))
		}
		for i, w := range tt.want {
			l := lines[i]
			if l.Key != w.key || l.Amount.IntPart() != w.amount || l.Running.IntPart() != w.running {
				t.Errorf("%s: line %d = %s %s running %s, want %+v", tt.name, i, l.Key, l.Amount, l.Running, w)
			}
		}
	}
	if _, err := DatedStatement(ctx, db.R, []string{"SAV", "NOPE"}, Period{From: apr.AddDate(1, 0, 0)}, 10); !errors.Is(err, ErrUnknownAccount) {
		t.Fatalf("unknown account: err = %v", err)
	}
}
