package savings

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/kopmem/kopbot/internal/ledger"
)

func TestPokokOnceAtTheAmount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTB(t)
	var m1, m2 int64
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		m1, m2 = newMember(ctx, t, tx, 1).ID, newMember(ctx, t, tx, 2).ID
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := move(t, db, Deposit, Movement{Key: "p1", MemberID: m1, Kind: Pokok, Amount: rp(100_000), ValueDate: day,
		Actor: "t"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		member int64
		amount int64
		want   error
	}{
		{"first, right amount", m2, 100_000, nil},
		{"first, too little", m2, 50_000, ErrPokokAmount},
		{"first, too much", m2, 100_001, ErrPokokAmount},
		{"second", m1, 100_000, ErrPokokPaid},
	} {
		if err := CheckPokok(ctx, db.R, c.member, rp(c.amount), rp(100_000)); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

// A reversal of a deposit whose money was withdrawn meanwhile would leave
// the savings negative: CheckReversal refuses it, and Negative reports a
// balance that got there anyway (a reversal posted without the check).
func TestReversalAndNegativeSavings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTB(t)
	var m int64
	if err := db.Write(ctx, func(tx *sql.Tx) error { m = newMember(ctx, t, tx, 1).ID; return nil }); err != nil {
		t.Fatal(err)
	}
	dep, err := move(t, db, Deposit, Movement{Key: "d", MemberID: m, Kind: Sukarela, Amount: rp(200_000), ValueDate: day, Actor: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckReversal(ctx, db.R, dep); err != nil {
		t.Fatalf("covered reversal refused: %v", err)
	}
	if _, err := move(t, db, Withdraw, Movement{Key: "w", MemberID: m, Kind: Sukarela, Amount: rp(150_000), ValueDate: day,
		Actor: "t"}); err != nil {
		t.Fatal(err)
	}
	if err := CheckReversal(ctx, db.R, dep); !errors.Is(err, ErrWouldGoNegative) {
		t.Fatalf("uncovered reversal: %v, want ErrWouldGoNegative", err)
	}
	if neg, err := Negative(ctx, db.R); err != nil || len(neg) != 0 {
		t.Fatalf("before: %v %v", neg, err)
	}
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := ledger.Reverse(ctx, tx, dep.ID, "rev", "t", "unchecked", day)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	neg, err := Negative(ctx, db.R)
	if err != nil || len(neg) != 1 || !strings.Contains(neg[0], "SIMP-SUKARELA-A0001") || !strings.Contains(neg[0], "-150000") {
		t.Fatalf("negative savings %q %v, want SIMP-SUKARELA-A0001 at -150000", neg, err)
	}
}
