package savings

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
)

// BenchmarkSummary reads one member's savings among 3,000 members who each
// hold all three kinds.
func BenchmarkSummary(b *testing.B) {
	ctx := context.Background()
	db := openTB(b)
	const members = 3000
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		for i := range members {
			m := newMember(ctx, b, tx, i)
			for _, k := range Kinds {
				if _, err := Deposit(ctx, tx, Movement{Key: fmt.Sprintf("seed-%d-%s", i, k), MemberID: m.ID, Kind: k,
					Amount: rp(int64(10000 * (i%50 + 1))), ValueDate: day, Actor: "bench"}); err != nil {
					return err
				}
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	id := int64(0)
	for b.Loop() {
		id = id%members + 1
		if s, err := Summary(ctx, db.R, id); err != nil || s.Total.IsZero() {
			b.Fatalf("summary of %d = %+v, %v", id, s, err)
		}
	}
}
