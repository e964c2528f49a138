package savings

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/member"
)

func TestWajibPaidAndShort(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTB(t)
	march, april := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
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
		got, err := WajibPaid(ctx, db.R, m.ID, march, april)
		if err != nil {
			t.Fatal(err)
		}
		if got.IntPart() != want[i] {
			t.Errorf("%s paid %s in March, want %d", m.Number, got, want[i])
		}
	}
	var short []WajibShort
	if err := EachWajibShort(ctx, db.R, march, april, rp(50_000), func(s WajibShort) error {
		short = append(short, s)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	wantShort := []WajibShort{{ms[1].ID, rp(20_000)}, {ms[2].ID, rp(0)}, {ms[3].ID, rp(0)}}
	if len(short) != len(wantShort) {
		t.Fatalf("short in March: %+v, want %+v", short, wantShort)
	}
	for i, s := range short {
		if s.MemberID != wantShort[i].MemberID || !s.Paid.Equal(wantShort[i].Paid) {
			t.Errorf("short[%d] = %+v, want %+v", i, s, wantShort[i])
		}
	}
}
