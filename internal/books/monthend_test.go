package books

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/store"
)

// render writes balances as text, so two can be compared line by line.
func render(b Balances) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "raw %d\n", b.Raw)
	for _, l := range b.Lines {
		fmt.Fprintf(&sb, "%s %s %s placed=%v %s\n", l.Code, l.Type, l.Amount, l.Placed, l.Name)
	}
	return sb.String()
}

// statements is every neraca and laba rugi the test compares, read in one
// transaction.
func statements(ctx context.Context, q store.Queryer, c Chart, dates []time.Time, periods [][2]time.Time) (map[string]string, error) {
	out := map[string]string{}
	for _, d := range dates {
		b, err := BalancesAt(ctx, q, c, d)
		if err != nil {
			return nil, err
		}
		out["neraca "+d.Format(time.DateOnly)] = render(b)
	}
	for _, p := range periods {
		b, err := Flows(ctx, q, c, p[0], p[1])
		if err != nil {
			return nil, err
		}
		out["laba rugi "+p[0].Format(time.DateOnly)+".."+p[1].Format(time.DateOnly)] = render(b)
	}
	return out, nil
}

var errRollBack = errors.New("roll back")

// fullScan reads the statements as the books do without month ends (every
// account's cached balance less what came later; every income and expense
// posting), in a write that drops the stored month ends and is rolled back.
func fullScan(t *testing.T, db *store.DB, c Chart, dates []time.Time, periods [][2]time.Time) map[string]string {
	t.Helper()
	ctx := context.Background()
	var out map[string]string
	err := db.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM books_month_ends`); err != nil {
			return err
		}
		var err error
		if out, err = statements(ctx, tx, c, dates, periods); err != nil {
			return err
		}
		return errRollBack
	})
	if !errors.Is(err, errRollBack) {
		t.Fatal(err)
	}
	return out
}

func storedMonths(t *testing.T, db *store.DB, c Chart) []string {
	t.Helper()
	rows, err := db.R.Query(`SELECT DISTINCT month FROM books_month_ends WHERE chart = ? ORDER BY month`, c.key)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

func storeMonthEnds(t *testing.T, db *store.DB, c Chart, today time.Time) []time.Time {
	t.Helper()
	return write(t, db, func(tx *sql.Tx) ([]time.Time, error) {
		return StoreMonthEnds(context.Background(), tx, c, today, 100)
	})
}

// post writes a two-leg entry straight to the ledger, for accounts no
// command of kopbot's posts to.
func post(t *testing.T, db *store.DB, key, debit, credit string, amount int64, on time.Time) {
	t.Helper()
	write(t, db, func(tx *sql.Tx) (ledger.Tx, error) {
		return ledger.Post(context.Background(), tx, ledger.Entry{Key: key, Kind: "test", ValueDate: on, Actor: "test",
			Postings: []ledger.Posting{{Account: debit, Amount: money.FromRupiah(amount)},
				{Account: credit, Amount: money.FromRupiah(-amount)}}})
	})
}

func TestMonthEndsGiveTheFullScansFigures(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("about 4 s under the race detector; it runs without -short")
	}
	ctx := context.Background()
	db := open(t)
	def := DefaultChart()
	// The same chart with simpanan sukarela left unplaced: its month ends
	// are its own, or it would read the default chart's lines.
	other, err := ParseChart([]byte(strings.Replace(string(defaultChart), `match = ["SIMP-SUKARELA-*"]`, "", 1)))
	if err != nil {
		t.Fatal(err)
	}
	write(t, db, func(tx *sql.Tx) (ledger.Account, error) {
		return ledger.EnsureAccount(ctx, tx, "TITIPAN-X", "Titipan pihak lain", ledger.Liability)
	})
	deposit(t, db, 1, savings.Pokok, 100_000, day(2025, 11, 3))
	journal(t, db, "adm-nov", "4103", 30_000, day(2025, 11, 20))
	deposit(t, db, 1, savings.Wajib, 50_000, day(2025, 12, 5))
	journal(t, db, "listrik-des", "5202", 45_000, day(2025, 12, 31))
	write(t, db, func(tx *sql.Tx) (Closing, error) {
		return Close(ctx, tx, def, day(2025, 12, 1), day(2026, 1, 10), "1001", day(2026, 1, 10))
	})
	deposit(t, db, 2, savings.Sukarela, 400_000, day(2026, 1, 12))
	post(t, db, "titip-jan", savings.Cash, "TITIPAN-X", 70_000, day(2026, 1, 31))
	journal(t, db, "adm-feb", "4103", 25_000, day(2026, 2, 1))
	deposit(t, db, 2, savings.Wajib, 50_000, day(2026, 2, 14))
	journal(t, db, "gaji-mar", "5201", 90_000, day(2026, 3, 10))
	deposit(t, db, 3, savings.Pokok, 100_000, day(2026, 4, 2))

	// Before the first posting, today, days inside the backdated month,
	// and every month's first and last day.
	dates := []time.Time{day(2025, 10, 31), day(2026, 4, 15), day(2026, 2, 14), day(2026, 2, 27)}
	for m := day(2025, 11, 1); m.Before(day(2026, 5, 1)); m = m.AddDate(0, 1, 0) {
		dates = append(dates, m, lastDay(m))
	}
	periods := [][2]time.Time{
		{day(2025, 1, 1), day(2025, 12, 31)}, {day(2026, 1, 1), day(2026, 4, 15)}, {day(2026, 2, 1), day(2026, 2, 28)},
		{day(2025, 11, 15), day(2026, 2, 10)}, {day(2025, 12, 31), day(2025, 12, 31)}, {day(2026, 3, 11), day(2026, 3, 31)},
	}
	for _, st := range []struct {
		name string
		do   func(t *testing.T)
		// months each chart has stored after the step
		want string
	}{
		{"nothing stored", func(*testing.T) {}, ""},
		{"stored through March", func(t *testing.T) {
			for _, c := range []Chart{def, other} {
				if got := storeMonthEnds(t, db, c, day(2026, 4, 1)); len(got) != 5 {
					t.Errorf("stored %v, want November to March", got)
				}
			}
		}, "2025-11 2025-12 2026-01 2026-02 2026-03"},
		{"stored again: nothing to do", func(t *testing.T) {
			if got := storeMonthEnds(t, db, def, day(2026, 4, 15)); len(got) != 0 {
				t.Errorf("stored %v again", got)
			}
		}, "2025-11 2025-12 2026-01 2026-02 2026-03"},
		{"a payment backdated into February, open but stored", func(*testing.T) {
			deposit(t, db, 4, savings.Sukarela, 250_000, day(2026, 2, 20))
			post(t, db, "titip-feb", "TITIPAN-X", savings.Cash, 20_000, day(2026, 2, 28))
		}, "2025-11 2025-12 2026-01"},
		{"income backdated into February", func(*testing.T) {
			journal(t, db, "adm-feb-2", "4103", 5_000, day(2026, 2, 2))
		}, "2025-11 2025-12 2026-01"},
		{"stored again", func(t *testing.T) {
			for _, c := range []Chart{def, other} {
				if got := storeMonthEnds(t, db, c, day(2026, 4, 15)); len(got) != 2 {
					t.Errorf("stored %v, want February and March", got)
				}
			}
		}, "2025-11 2025-12 2026-01 2026-02 2026-03"},
		{"a payment today leaves the stored months", func(*testing.T) {
			deposit(t, db, 5, savings.Wajib, 50_000, day(2026, 4, 15))
		}, "2025-11 2025-12 2026-01 2026-02 2026-03"},
	} {
		st.do(t)
		for _, c := range []Chart{def, other} {
			if got := strings.Join(storedMonths(t, db, c), " "); got != st.want {
				t.Errorf("%s: months stored %q, want %q", st.name, got, st.want)
			}
			want := fullScan(t, db, c, dates, periods)
			var got map[string]string
			if err := db.Read(ctx, func(tx *sql.Tx) error {
				var err error
				got, err = statements(ctx, tx, c, dates, periods)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			for k, w := range want {
				if got[k] != w {
					t.Errorf("%s, chart %s: %s from the month ends:\n%s\nfull scan:\n%s", st.name, c.key, k, got[k], w)
				}
			}
		}
	}
}

func TestStoreMonthEndsOnlyMonthsThatEnded(t *testing.T) {
	t.Parallel()
	db := open(t)
	deposit(t, db, 1, savings.Pokok, 100_000, day(2026, 1, 5))
	deposit(t, db, 1, savings.Wajib, 50_000, day(2026, 2, 5))
	for _, c := range []struct {
		today time.Time
		want  string
	}{
		{day(2026, 1, 31), ""},
		{day(2026, 2, 28), "2026-01"},
		{day(2026, 3, 1), "2026-01 2026-02"},
	} {
		storeMonthEnds(t, db, DefaultChart(), c.today)
		if got := strings.Join(storedMonths(t, db, DefaultChart()), " "); got != c.want {
			t.Errorf("today %s: stored %q, want %q", c.today.Format(time.DateOnly), got, c.want)
		}
	}
}

func TestStoreMonthEndsAFewAtATime(t *testing.T) {
	t.Parallel()
	db := open(t)
	deposit(t, db, 1, savings.Pokok, 100_000, day(2025, 6, 5))
	var got []string
	for range 3 {
		months := write(t, db, func(tx *sql.Tx) ([]time.Time, error) {
			return StoreMonthEnds(context.Background(), tx, DefaultChart(), day(2025, 12, 2), 2)
		})
		got = append(got, fmt.Sprint(len(months)))
	}
	if s := strings.Join(got, " "); s != "2 2 2" {
		t.Errorf("stored per call: %s, want 2 2 2 (June to November, two at a time)", s)
	}
	if got := storeMonthEnds(t, db, DefaultChart(), day(2025, 12, 2)); len(got) != 0 {
		t.Errorf("then stored %v", got)
	}
}

// TestMonthEndComputedInAReadTakesWhatCameMeanwhile: serve computes a month
// in a read and stores it in a write; what is posted in between is in it,
// and a month that is no longer the next due is not stored.
func TestMonthEndComputedInAReadTakesWhatCameMeanwhile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := DefaultChart()
	today := day(2026, 4, 2)
	next := func(t *testing.T, db *store.DB) MonthEnd {
		t.Helper()
		m, ok, err := NextMonthEnd(ctx, db.R, c, today)
		if err != nil || !ok {
			t.Fatalf("next month end: %v, %v", ok, err)
		}
		return m
	}
	storeIt := func(t *testing.T, db *store.DB, m MonthEnd) bool {
		t.Helper()
		return write(t, db, func(tx *sql.Tx) (bool, error) { return m.Store(ctx, tx, today) })
	}
	for _, tc := range []struct {
		name      string
		meanwhile func(t *testing.T, db *store.DB)
		stored    bool
	}{
		{"nothing", func(*testing.T, *store.DB) {}, true},
		{"a deposit into the month", func(t *testing.T, db *store.DB) {
			deposit(t, db, 2, savings.Sukarela, 80_000, day(2026, 2, 27))
		}, true},
		{"a deposit into the month before, read from", func(t *testing.T, db *store.DB) {
			deposit(t, db, 2, savings.Sukarela, 80_000, day(2026, 1, 20))
			storeMonthEnds(t, db, c, day(2026, 2, 1))
		}, true},
		{"a deposit after it", func(t *testing.T, db *store.DB) {
			deposit(t, db, 2, savings.Sukarela, 80_000, day(2026, 3, 1))
		}, true},
		{"the month before dropped", func(t *testing.T, db *store.DB) {
			deposit(t, db, 2, savings.Sukarela, 80_000, day(2026, 1, 20))
		}, false},
		{"stored meanwhile", func(t *testing.T, db *store.DB) {
			storeMonthEnds(t, db, c, today)
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db := open(t)
			deposit(t, db, 1, savings.Pokok, 100_000, day(2026, 1, 5))
			deposit(t, db, 1, savings.Wajib, 50_000, day(2026, 2, 5))
			storeMonthEnds(t, db, c, day(2026, 2, 1))
			m := next(t, db)
			if got := m.Month.Format(MonthLayout); got != "2026-02" {
				t.Fatalf("next month end %s, want 2026-02", got)
			}
			tc.meanwhile(t, db)
			if got := storeIt(t, db, m); got != tc.stored {
				t.Fatalf("stored %v, want %v", got, tc.stored)
			}
			dates := []time.Time{day(2026, 2, 28), day(2026, 3, 1), day(2026, 3, 31)}
			want := fullScan(t, db, c, dates, nil)
			got, err := statements(ctx, db.R, c, dates, nil)
			if err != nil {
				t.Fatal(err)
			}
			for k, w := range want {
				if got[k] != w {
					t.Errorf("%s from the month ends:\n%s\nfull scan:\n%s", k, got[k], w)
				}
			}
		})
	}
}
