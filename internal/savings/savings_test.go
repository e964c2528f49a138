package savings

import (
	"context"
	"errors"
	"testing"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/member"
)

func TestParseKind(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Kind
	}{
		{"pokok", Pokok}, {"Wajib", Wajib}, {" SUKARELA ", Sukarela},
		{"principal", Pokok}, {"mandatory", Wajib}, {"voluntary", Sukarela},
		{"simpanan  pokok", Pokok}, {"voluntary savings", Sukarela},
		{"", ""}, {"pinjaman", ""}, {"simpanan", ""},
	}
	for _, tt := range tests {
		got, err := ParseKind(tt.in)
		if got != tt.want || (tt.want == "") != errors.Is(err, ErrKind) {
			t.Errorf("ParseKind(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestDepositWithdrawSummary(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTB(t)
	m := newMember(ctx, t, db.W, 1)
	other := newMember(ctx, t, db.W, 2)
	if b := summary(t, db, m.ID); !b.Total.IsZero() {
		t.Fatalf("new member has %s", b.Total)
	}
	for _, d := range []Movement{
		{Key: "p1", Kind: Pokok, Amount: rp(100000)},
		{Key: "w1", Kind: Wajib, Amount: rp(50000)},
		{Key: "w2", Kind: Wajib, Amount: rp(50000)},
		{Key: "s1", Kind: Sukarela, Amount: rp(300000)},
		{Key: "s1", Kind: Sukarela, Amount: rp(300000)}, // a retry: counted once
	} {
		d.MemberID, d.ValueDate, d.Actor = m.ID, day, "officer:1"
		if _, err := move(t, db, Deposit, d); err != nil {
			t.Fatal(err)
		}
	}
	w := Movement{Key: "out1", MemberID: m.ID, Kind: Sukarela, Amount: rp(120000), ValueDate: day, Actor: "officer:1"}
	if _, err := move(t, db, Withdraw, w); err != nil {
		t.Fatal(err)
	}
	if tx, err := move(t, db, Withdraw, w); err != nil || !tx.Replayed {
		t.Fatalf("retried withdrawal = %+v, %v; want a replay", tx, err)
	}
	refusals := []struct {
		name string
		m    Movement
		want error
	}{
		{"overdraw", Movement{Key: "out2", Kind: Sukarela, Amount: rp(180001)}, ErrInsufficient},
		{"pokok", Movement{Key: "out3", Kind: Pokok, Amount: rp(1)}, ErrNotWithdrawable},
		{"wajib", Movement{Key: "out4", Kind: Wajib, Amount: rp(1)}, ErrNotWithdrawable},
		{"no kind", Movement{Key: "out5", Kind: "", Amount: rp(1)}, ErrKind},
		{"zero", Movement{Key: "out6", Kind: Sukarela}, ErrAmount},
		{"negative", Movement{Key: "out7", Kind: Sukarela, Amount: rp(-5)}, ErrAmount},
		{"other's savings", Movement{Key: "out8", MemberID: other.ID, Kind: Sukarela, Amount: rp(1)}, ErrInsufficient},
	}
	for _, r := range refusals {
		if r.m.MemberID == 0 {
			r.m.MemberID = m.ID
		}
		r.m.ValueDate, r.m.Actor = day, "officer:1"
		if _, err := move(t, db, Withdraw, r.m); !errors.Is(err, r.want) {
			t.Errorf("withdraw %s: err = %v, want %v", r.name, err, r.want)
		}
	}
	if _, err := move(t, db, Deposit, Movement{Key: "x", MemberID: 999, Kind: Wajib, Amount: rp(1), ValueDate: day, Actor: "o"}); !errors.Is(err, member.ErrNotFound) {
		t.Errorf("deposit for an unknown member: err = %v", err)
	}
	b := summary(t, db, m.ID)
	for k, want := range map[Kind]int64{Pokok: 100000, Wajib: 100000, Sukarela: 180000} {
		if got := b.Of(k); got.IntPart() != want {
			t.Errorf("%s = %s, want %d", k, got, want)
		}
	}
	if b.Total.IntPart() != 380000 {
		t.Errorf("total = %s, want 380000", b.Total)
	}
	if _, err := Summary(ctx, db.R, 999); !errors.Is(err, member.ErrNotFound) {
		t.Errorf("summary of an unknown member: err = %v", err)
	}
	mustCheck(t, db)
}

// TestStatement: movements entered out of date order (one sheet per kind)
// read by value date, the running figure being the member's total savings.
func TestStatement(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTB(t)
	m := newMember(ctx, t, db.W, 1)
	steps := []struct {
		key    string
		kind   Kind
		amount int64 // negative: withdrawal
		date   int   // day of March
	}{
		{"a", Pokok, 100000, 1}, {"c", Wajib, 25000, 3}, {"e", Wajib, 25000, 5},
		{"b", Sukarela, 40000, 2}, {"d", Sukarela, -15000, 4}, {"f", Sukarela, 5000, 6},
	}
	for _, s := range steps {
		mv := Movement{Key: s.key, MemberID: m.ID, Kind: s.kind, Amount: rp(s.amount).Abs(),
			ValueDate: day.AddDate(0, 0, s.date-14), Actor: "o", Memo: "memo " + s.key}
		f := Deposit
		if s.amount < 0 {
			f = Withdraw
		}
		if _, err := move(t, db, f, mv); err != nil {
			t.Fatal(err)
		}
	}
	lines, err := Statement(ctx, db.R, m.ID, ledger.Period{}, 4)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		kind            Kind
		amount, running int64
		memo            string
	}{
		{Wajib, 25000, 165000, "memo c"}, {Sukarela, -15000, 150000, "memo d"},
		{Wajib, 25000, 175000, "memo e"}, {Sukarela, 5000, 180000, "memo f"},
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d", len(lines), len(want))
	}
	for i, w := range want {
		l := lines[i]
		if l.Kind != w.kind || l.Amount.IntPart() != w.amount || l.Running.IntPart() != w.running || l.Memo != w.memo {
			t.Errorf("line %d = %s %s running %s %q, want %+v", i, l.Kind, l.Amount, l.Running, l.Memo, w)
		}
	}
	if lines[0].ValueDate.Day() != 3 {
		t.Errorf("first line dated %s, want March 3", lines[0].ValueDate)
	}
	empty := newMember(ctx, t, db.W, 2)
	if lines, err := Statement(ctx, db.R, empty.ID, ledger.Period{}, 10); err != nil || len(lines) != 0 {
		t.Errorf("member without savings: %v, %v", lines, err)
	}
	if _, err := Statement(ctx, db.R, 999, ledger.Period{}, 10); !errors.Is(err, member.ErrNotFound) {
		t.Errorf("unknown member: err = %v", err)
	}
	mustCheck(t, db)
}
