package jasa

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/books"
	"github.com/kopmem/kopbot/internal/duty"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/ledger/ledgertest"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/period"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/kopmem/kopbot/internal/store/storetest"
)

var (
	november = period.Month{Year: 2026, Month: time.November}
	// today is after November, with a December deposit already made.
	today = day(2026, 12, 3)
	six   = Settings{Rate: decimal.RequireFromString("0.06"), Basis: Lowest}
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func rp(n int64) decimal.Decimal { return decimal.NewFromInt(n) }

func open(t *testing.T) *store.DB {
	return storetest.Open(t, member.Schema, ledger.Schema, savings.Schema, duty.Schema, books.Schema, Schema)
}

// move is one savings movement of the sukarela: positive in, negative out.
type move struct {
	on     time.Time
	amount int64
}

// newMember opens member n with its sukarela movements.
func newMember(t *testing.T, db *store.DB, n int, moves ...move) member.Member {
	t.Helper()
	ctx := context.Background()
	m, err := storetest.Write(t, db, func(tx *sql.Tx) (member.Member, error) {
		return member.Create(ctx, tx, member.Member{Number: fmt.Sprintf("A%03d", n), Name: "Anggota",
			Phone: fmt.Sprintf("62812%08d", n), JoinedOn: day(2025, 1, 1)})
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, mv := range moves {
		f, amount := savings.Deposit, mv.amount
		if amount < 0 {
			f, amount = savings.Withdraw, -amount
		}
		if _, err := storetest.Write(t, db, func(tx *sql.Tx) (ledger.Tx, error) {
			return f(ctx, tx, savings.Movement{Key: fmt.Sprintf("m%d-%d", n, i), MemberID: m.ID, Kind: savings.Sukarela,
				Amount: rp(amount), ValueDate: mv.on, Actor: "test"})
		}); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

func run(t *testing.T, db *store.DB, s Settings, m period.Month) Result {
	t.Helper()
	r, err := Run(context.Background(), db, books.DefaultChart(), s, m, today, "test", today)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func compute(t *testing.T, db *store.DB, s Settings) map[int64]Credit {
	t.Helper()
	cs, err := Compute(context.Background(), db.R, s, november)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]Credit{}
	for _, c := range cs {
		out[c.MemberID] = c
	}
	return out
}

// TestComputeOnTheMonthsBalances: the lowest end-of-day balance, or the
// average one, of the month's own days; nothing for a month the account did
// not exist for or held nothing in; floored to the Rupiah.
func TestComputeOnTheMonthsBalances(t *testing.T) {
	t.Parallel()
	// 1.000.000 on 1–9 November, 1.500.000 on 10–19, 700.000 on 20–30, and
	// a December deposit that belongs to December.
	midMonth := []move{{day(2026, 10, 15), 1_000_000}, {day(2026, 11, 10), 500_000}, {day(2026, 11, 20), -800_000},
		{day(2026, 12, 2), 250_000}}
	average := Settings{Rate: six.Rate, Basis: Average}
	for _, c := range []struct {
		name        string
		s           Settings
		moves       []move
		balance     int64
		amount      int64 // 0: nothing paid
		description string
	}{
		{"lowest balance mid-month", six, midMonth, 700_000, 3_500, "700.000 × 6% / 12"},
		{"average daily balance", average, midMonth, 1_056_666, 5_210, "31.700.000 × 6% / 365 = 5.210,96"},
		{"opened mid-month, lowest", six, []move{{day(2026, 11, 5), 1_000_000}}, 0, 0, "1–4 November held nothing"},
		{"opened mid-month, average", average, []move{{day(2026, 11, 5), 1_000_000}}, 866_666, 4_273,
			"26 days × 1.000.000 × 6% / 365 = 4.273,97"},
		{"opened after the month", six, []move{{day(2026, 12, 1), 1_000_000}}, 0, 0, "no November"},
		{"emptied before the month", average, []move{{day(2026, 10, 1), 50_000}, {day(2026, 10, 2), -50_000}}, 0, 0, "zero"},
		{"floored, not rounded", six, []move{{day(2026, 10, 1), 1_000_100}}, 1_000_100, 5_000, "5.000,5"},
		{"at the 9% cap", Settings{Rate: MaxRate, Basis: Lowest}, []move{{day(2026, 10, 1), 1_000_000}}, 1_000_000, 7_500, "9% / 12"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			db := open(t)
			m := newMember(t, db, 1, c.moves...)
			got, paid := compute(t, db, c.s)[m.ID]
			if c.amount == 0 {
				if paid {
					t.Fatalf("%s: paid %s on %s, want nothing", c.description, got.Amount, got.Balance)
				}
				return
			}
			if !paid || !got.Amount.Equal(rp(c.amount)) || !got.Balance.Equal(rp(c.balance)) {
				t.Fatalf("%s: got %s on %s (paid %v), want %d on %d", c.description, got.Amount, got.Balance, paid, c.amount, c.balance)
			}
		})
	}
}

// TestRunPaysOnceAMonth: each member is credited once under their key; a
// second run, even after a backdated deposit that changes the month's
// balance, posts nothing and reports what was paid.
func TestRunPaysOnceAMonth(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	a := newMember(t, db, 1, move{day(2026, 10, 1), 1_000_000})
	b := newMember(t, db, 2, move{day(2026, 10, 1), 2_000_000}, move{day(2026, 11, 15), -1_000_000})
	// c's lowest is the month's last day, the day its interest is dated.
	c := newMember(t, db, 3, move{day(2026, 10, 1), 1_000_000}, move{day(2026, 11, 30), -400_000})
	first := run(t, db, six, november)
	if first.New != 3 || !first.Total.Equal(rp(5_000+5_000+3_000)) || first.Closed || !first.ValueDate.Equal(november.Last()) {
		t.Fatalf("first run: %d new, total %s, closed %v, dated %s; want 3, 13.000, open, 30 November",
			first.New, first.Total, first.Closed, first.ValueDate.Format(time.DateOnly))
	}
	// The month's own interest is no part of its balances.
	for _, cr := range first.Credits {
		if now := compute(t, db, six)[cr.MemberID]; !now.Amount.Equal(cr.Amount) {
			t.Errorf("member %s: worked out %s after paying %s", cr.Number, now.Amount, cr.Amount)
		}
	}
	// A deposit into November recorded late raises b's lowest balance.
	if _, err := storetest.Write(t, db, func(tx *sql.Tx) (ledger.Tx, error) {
		return savings.Deposit(ctx, tx, savings.Movement{Key: "late", MemberID: b.ID, Kind: savings.Sukarela,
			Amount: rp(1_000_000), ValueDate: day(2026, 11, 14), Actor: "test"})
	}); err != nil {
		t.Fatal(err)
	}
	again := run(t, db, six, november)
	if again.New != 0 || !again.Total.Equal(first.Total) || len(again.Credits) != 3 {
		t.Fatalf("second run: %d new, total %s over %d; want nothing new, the first run's %s", again.New, again.Total,
			len(again.Credits), first.Total)
	}
	var n int
	if err := db.R.QueryRowContext(ctx, `SELECT count(*) FROM ledger_transactions WHERE kind = ?`, KindInterest).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Fatalf("%d interest transactions, want 3", n)
	}
	for _, w := range []struct {
		m    member.Member
		paid int64
	}{{a, 5_000}, {b, 5_000}, {c, 3_000}} {
		tx, err := ledger.TxByKey(ctx, db.R, Key(november, w.m.ID))
		if err != nil {
			t.Fatalf("member %s: %v", w.m.Number, err)
		}
		if !tx.Postings[0].Amount.Equal(rp(w.paid)) {
			t.Errorf("member %s paid %s, want %d", w.m.Number, tx.Postings[0].Amount, w.paid)
		}
	}
	if done, err := Done(ctx, db.R, november); !done || err != nil {
		t.Fatalf("November done %v (%v), want done", done, err)
	}
	ledgertest.MustCheck(t, db.R)
}

// TestRunAtRateZeroPaysNothing: the default rate posts nothing and records
// no run, so a rate set later can still pay the month.
func TestRunAtRateZeroPaysNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	newMember(t, db, 1, move{day(2026, 10, 1), 1_000_000})
	r := run(t, db, Settings{Rate: decimal.Zero, Basis: Lowest}, november)
	var n int
	if err := db.R.QueryRowContext(ctx, `SELECT count(*) FROM ledger_transactions WHERE kind = ?`, KindInterest).Scan(&n); err != nil {
		t.Fatal(err)
	}
	done, err := Done(ctx, db.R, november)
	if n != 0 || r.New != 0 || done || err != nil {
		t.Fatalf("rate 0: %d transactions, %d new, done %v (%v); want none", n, r.New, done, err)
	}
}

// TestRunSkipsWhoLeftAndWhatHasNotEnded: a member who left and was paid out
// gets nothing; a month not over is refused.
func TestRunSkipsWhoLeftAndWhatHasNotEnded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	m := newMember(t, db, 1, move{day(2026, 10, 1), 1_000_000})
	if _, err := storetest.Write(t, db, func(tx *sql.Tx) (int, error) {
		if _, _, err := savings.PayOut(ctx, tx, m.ID, "leave", "", day(2026, 12, 2), "test", "keluar"); err != nil {
			return 0, err
		}
		return 0, member.MarkLeft(ctx, tx, m.ID, day(2026, 12, 2))
	}); err != nil {
		t.Fatal(err)
	}
	if r := run(t, db, six, november); len(r.Credits) != 0 {
		t.Fatalf("paid %v to a member who left", r.Credits)
	}
	december := period.Month{Year: 2026, Month: time.December}
	if _, err := Run(ctx, db, books.DefaultChart(), six, december, today, "test", today); !errors.Is(err, ErrNotEnded) {
		t.Fatalf("December on %s: %v, want ErrNotEnded", today.Format(time.DateOnly), err)
	}
}

// TestLabaRugiShowsTheExpense: the month's laba rugi has the interest as
// beban jasa simpanan, and the members' sukarela grew by it.
func TestLabaRugiShowsTheExpense(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	newMember(t, db, 1, move{day(2026, 10, 1), 1_000_000})
	newMember(t, db, 2, move{day(2026, 10, 1), 3_000_000})
	r := run(t, db, six, november)
	c := books.DefaultChart()
	lr, err := books.LabaRugiFor(ctx, db.R, c, november.First(), november.Last())
	if err != nil {
		t.Fatal(err)
	}
	code := c.Code(books.RoleSavingsInterest)
	if !lr.Get(code).Equal(rp(20_000)) || !lr.Expense.Equal(r.Total) || !lr.SHU().Equal(rp(-20_000)) {
		t.Fatalf("laba rugi November: %s %s, expenses %s, SHU %s; want 20.000 of jasa simpanan", code, lr.Get(code), lr.Expense, lr.SHU())
	}
	n, err := books.NeracaAt(ctx, db.R, c, november.Last())
	if err != nil {
		t.Fatal(err)
	}
	if !n.Get("2101").Equal(rp(4_020_000)) || !n.Difference().IsZero() {
		t.Fatalf("neraca 30 November: sukarela %s, difference %s; want 4.020.000 and 0", n.Get("2101"), n.Difference())
	}
}

// TestClosedMonthIsPaidInTheOpenOne: a month the books closed before its
// interest was paid is paid on the first open day, saying so, as the books
// take every correction of a closed month.
func TestClosedMonthIsPaidInTheOpenOne(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	m := newMember(t, db, 1, move{day(2026, 10, 1), 1_000_000})
	c := books.DefaultChart()
	if _, err := storetest.Write(t, db, func(tx *sql.Tx) (books.Closing, error) {
		return books.Close(ctx, tx, c, november.First(), today, "manajer", today)
	}); err != nil {
		t.Fatal(err)
	}
	r := run(t, db, six, november)
	if !r.Closed || !r.ValueDate.Equal(day(2026, 12, 1)) || r.New != 1 {
		t.Fatalf("closed November: closed %v, dated %s, %d new; want paid on 1 December", r.Closed,
			r.ValueDate.Format(time.DateOnly), r.New)
	}
	tx, err := ledger.TxByKey(ctx, db.R, Key(november, m.ID))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tx.Memo, "buku 2026-11 sudah ditutup") {
		t.Fatalf("memo %q does not say November was closed", tx.Memo)
	}
	lr, err := books.LabaRugiFor(ctx, db.R, c, day(2026, 12, 1), day(2026, 12, 31))
	if err != nil {
		t.Fatal(err)
	}
	if !lr.Get(c.Code(books.RoleSavingsInterest)).Equal(rp(5_000)) {
		t.Fatalf("December's laba rugi has %s of jasa simpanan, want 5.000", lr.Get(c.Code(books.RoleSavingsInterest)))
	}
}

// TestSettingsCap: 9,00% a year starts, 9,01% does not (Permenkop UKM
// 8/2023 pasal 26 ayat 4); negative rates and unknown bases neither.
func TestSettingsCap(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		rate, basis string
		want        error
	}{
		{"0", "lowest", nil},
		{"0.09", "lowest", nil},
		{"0.09", "average", nil},
		{"0.0901", "lowest", ErrRateCap},
		{"0.12", "average", ErrRateCap},
		{"-0.01", "lowest", ErrRate},
		{"0.05", "terendah", ErrBasis},
	} {
		err := Settings{Rate: decimal.RequireFromString(c.rate), Basis: Basis(c.basis)}.Validate()
		if !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
			t.Errorf("%s %s: %v, want %v", c.rate, c.basis, err, c.want)
		}
	}
}

// TestMonthOfKey: the statement reads the month paid from the key, which
// the value date does not give for a closed month.
func TestMonthOfKey(t *testing.T) {
	t.Parallel()
	if m, ok := MonthOf(Key(november, 42)); !ok || m != november {
		t.Fatalf("MonthOf(%q) = %v %v", Key(november, 42), m, ok)
	}
	for _, k := range []string{"deposit:1", "jasa:sukarela:bad:1", ""} {
		if _, ok := MonthOf(k); ok {
			t.Errorf("MonthOf(%q) read a month", k)
		}
	}
}

// TestLastIsTheLatestMonthNotReversed: saldo shows the latest month paid;
// once that payment is reversed, the one before.
func TestLastIsTheLatestMonthNotReversed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	m := newMember(t, db, 1, move{day(2026, 9, 1), 1_000_000})
	if _, ok, err := Last(ctx, db.R, m.ID); ok || err != nil {
		t.Fatalf("before any payment: ok %v (%v)", ok, err)
	}
	october := period.Month{Year: 2026, Month: time.October}
	run(t, db, six, october)
	r := run(t, db, six, november)
	if p, ok, err := Last(ctx, db.R, m.ID); !ok || err != nil || p.Month != november || !p.Amount.Equal(rp(5_025)) {
		// October's 5.000 earns in November: 1.005.000 × 6% / 12.
		t.Fatalf("after November: %+v %v (%v), want November's 5.025", p, ok, err)
	}
	if _, err := storetest.Write(t, db, func(tx *sql.Tx) (ledger.Tx, error) {
		return ledger.Reverse(ctx, tx, r.Credits[0].TxID, "undo", "test", "salah", today)
	}); err != nil {
		t.Fatal(err)
	}
	if p, ok, err := Last(ctx, db.R, m.ID); !ok || err != nil || p.Month != october || !p.Amount.Equal(rp(5_000)) {
		t.Fatalf("November reversed: %+v %v (%v), want October's 5.000", p, ok, err)
	}
}
