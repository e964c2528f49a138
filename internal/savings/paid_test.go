package savings

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/period"
)

func TestWajibPaidAndShort(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTB(t)
	march := period.Month{Year: 2026, Month: time.March}
	var ms []member.Member
	if err := db.Write(ctx, func(q *sql.Tx) error {
		for n := 1; n <= 5; n++ {
			ms = append(ms, newMember(ctx, t, q, n))
		}
		// A5 joins in March, after the span began: not asked for March.
		_, err := q.ExecContext(ctx, `UPDATE members SET joined_on = CASE id WHEN ? THEN '2026-03-05' ELSE '2025-01-02' END`,
			ms[4].ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	dep := func(key string, m member.Member, k Kind, amount int64, on time.Time) ledger.Tx {
		t.Helper()
		tx, err := move(t, db, Deposit, Movement{Key: key, MemberID: m.ID, Kind: k, Amount: rp(amount), ValueDate: on, Actor: "t"})
		if err != nil {
			t.Fatal(err)
		}
		return tx
	}
	dep("a1-mar", ms[0], Wajib, 50_000, time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)) // paid in full
	dep("a2-mar", ms[1], Wajib, 20_000, time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)) // paid in part
	dep("a2-feb", ms[1], Wajib, 50_000, time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC)) // another month
	dep("a3-suk", ms[2], Sukarela, 90_000, time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC))
	wrong := dep("a4-mar", ms[3], Wajib, 50_000, time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC))
	if err := db.Write(ctx, func(q *sql.Tx) error {
		_, err := ledger.Reverse(ctx, q, wrong.ID, "undo-a4", "t", "salah input", time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC))
		return err
	}); err != nil {
		t.Fatal(err)
	}

	want := []int64{50_000, 20_000, 0, 0, 0}
	for i, m := range ms {
		got, err := WajibOf(ctx, db.R, m.ID, march, rp(50_000))
		if err != nil {
			t.Fatal(err)
		}
		if got.Paid.IntPart() != want[i] {
			t.Errorf("%s paid %s toward March, want %d", m.Number, got.Paid, want[i])
		}
	}
	var short []WajibCover
	if err := EachWajibShort(ctx, db.R, march, rp(50_000), func(s WajibCover) error {
		short = append(short, s)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	wantShort := []struct {
		id    int64
		paid  int64
		short int64
	}{{ms[1].ID, 20_000, 30_000}, {ms[2].ID, 0, 50_000}, {ms[3].ID, 0, 50_000}}
	if len(short) != len(wantShort) {
		t.Fatalf("short in March: %+v, want %+v", short, wantShort)
	}
	for i, s := range short {
		w := wantShort[i]
		if s.MemberID != w.id || s.Paid.IntPart() != w.paid || s.Short.IntPart() != w.short {
			t.Errorf("short[%d] = %+v, want %+v", i, s, w)
		}
	}
	mustCheck(t, db)
}

// TestWajibMonthsCovered: wajib counts as months covered. Rp150.000 paid in
// February at Rp50.000 a month covers February to April; a short month
// keeps its part and carries nothing; a deposit a year back no longer
// counts.
func TestWajibMonthsCovered(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTB(t)
	var ms []member.Member
	if err := db.Write(ctx, func(q *sql.Tx) error {
		for n := 1; n <= 3; n++ {
			ms = append(ms, newMember(ctx, t, q, n))
		}
		_, err := q.ExecContext(ctx, `UPDATE members SET joined_on = '2025-01-02'`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	on := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	for i, d := range []struct {
		m      int
		amount int64
		on     time.Time
	}{
		{0, 150_000, on(2026, 2, 3)},                              // A1: February to April at once
		{1, 30_000, on(2026, 1, 5)}, {1, 120_000, on(2026, 2, 5)}, // A2: January short, February, March, part of April
		{2, 600_000, on(2025, 3, 1)}, {2, 50_000, on(2026, 2, 27)}, // A3: a year ahead in March 2025, then February 2026
	} {
		if _, err := move(t, db, Deposit, Movement{Key: fmt.Sprint("w", i), MemberID: ms[d.m].ID, Kind: Wajib,
			Amount: rp(d.amount), ValueDate: d.on, Actor: "t"}); err != nil {
			t.Fatal(err)
		}
	}
	feb := period.Month{Year: 2026, Month: time.February}
	tests := []struct {
		m       int
		month   period.Month
		covered bool
		short   int64
		through period.Month
	}{
		{0, feb, true, 0, period.Month{Year: 2026, Month: time.April}},
		{0, feb.Add(1), true, 0, period.Month{Year: 2026, Month: time.April}},
		{0, feb.Add(2), true, 0, period.Month{Year: 2026, Month: time.April}},
		{0, feb.Add(3), false, 50_000, period.Month{Year: 2026, Month: time.April}},
		{0, feb.Add(-1), false, 50_000, period.Month{}},
		{1, feb.Add(-1), false, 20_000, period.Month{}},
		{1, feb, true, 0, feb.Add(1)},
		{1, feb.Add(2), false, 30_000, feb.Add(1)},
		{1, feb.Add(3), false, 50_000, period.Month{}}, // April's Rp20.000 stays April's
		// March 2025's Rp600.000 covers March 2025 to February 2026, and
		// February's own Rp50.000 then March; but seen from March 2026 the
		// 2025 deposit is past the year's lookback.
		{2, period.Month{Year: 2026, Month: time.January}, true, 0, feb},
		{2, feb, true, 0, feb.Add(1)},
		{2, feb.Add(1), false, 50_000, feb},
	}
	for _, tt := range tests {
		c, err := WajibOf(ctx, db.R, ms[tt.m].ID, tt.month, rp(50_000))
		if err != nil {
			t.Fatal(err)
		}
		if c.Covered() != tt.covered || c.Short.IntPart() != tt.short || c.Through != tt.through {
			t.Errorf("A%d %v: covered %v short %s through %v; want %v %d %v", tt.m+1, tt.month, c.Covered(), c.Short, c.Through,
				tt.covered, tt.short, tt.through)
		}
	}
	var short []int64
	if err := EachWajibShort(ctx, db.R, feb.Add(1), rp(50_000), func(c WajibCover) error {
		short = append(short, c.MemberID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(short) != 1 || short[0] != ms[2].ID {
		t.Errorf("short in March 2026: %v, want only A3", short)
	}
	mustCheck(t, db)
}
