package savings

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/ledger"
)

func TestDayTotals(t *testing.T) {
	t.Parallel()
	db := openTB(t)
	ctx := context.Background()
	var deposit ledger.Tx
	err := db.Write(ctx, func(q *sql.Tx) error {
		m := newMember(ctx, t, q, 1)
		moves := []struct {
			withdraw bool
			m        Movement
		}{
			{false, Movement{Key: "w1", MemberID: m.ID, Kind: Wajib, Amount: rp(100_000), ValueDate: day}},
			{false, Movement{Key: "w2", MemberID: m.ID, Kind: Wajib, Amount: rp(50_000), ValueDate: day}},
			{false, Movement{Key: "s1", MemberID: m.ID, Kind: Sukarela, Amount: rp(300_000), ValueDate: day}},
			{true, Movement{Key: "s2", MemberID: m.ID, Kind: Sukarela, Amount: rp(120_000), ValueDate: day}},
			{false, Movement{Key: "p0", MemberID: m.ID, Kind: Pokok, Amount: rp(100_000), ValueDate: day.AddDate(0, 0, -1)}},
			{false, Movement{Key: "w3", MemberID: m.ID, Kind: Wajib, Amount: rp(70_000), ValueDate: day.AddDate(0, 0, 1)}},
		}
		for _, mv := range moves {
			mv.m.Actor = "test"
			f := Deposit
			if mv.withdraw {
				f = Withdraw
			}
			tx, err := f(ctx, q, mv.m)
			if err != nil {
				return err
			}
			if mv.m.Key == "w2" {
				deposit = tx
			}
		}
		_, err := ledger.Reverse(ctx, q, deposit.ID, "rev-w2", "test", "salah catat", day)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := DayTotals(ctx, db.R, time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	want := map[Kind][6]int64{ // deposits, deposited, withdrawals, withdrawn, reversals, reversed
		Pokok:    {0, 0, 0, 0, 0, 0},
		Wajib:    {2, 150_000, 0, 0, 1, -50_000},
		Sukarela: {1, 300_000, 1, 120_000, 0, 0},
	}
	if len(got) != len(Kinds) {
		t.Fatalf("%d totals, want %d", len(got), len(Kinds))
	}
	for i, g := range got {
		w := want[g.Kind]
		if g.Kind != Kinds[i] || int64(g.Deposits) != w[0] || g.Deposited.IntPart() != w[1] ||
			int64(g.Withdrawals) != w[2] || g.Withdrawn.IntPart() != w[3] || int64(g.Reversals) != w[4] ||
			g.Reversed.IntPart() != w[5] {
			t.Errorf("%s: %+v, want %v", g.Kind, g, w)
		}
	}
}
