package shu

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/books"
	"github.com/kopmem/kopbot/internal/duty"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/ledger/ledgertest"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/kopmem/kopbot/internal/store/storetest"
	"github.com/shopspring/decimal"
)

func rp(n int64) decimal.Decimal { return decimal.NewFromInt(n) }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestSplitSumsToThePoolExactly(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pool    int64
		weights []int64
		want    []int64
	}{
		// 100 / 3: 33,33 each; one Rupiah left goes to the first of the tied fractions.
		{100, []int64{1, 1, 1}, []int64{34, 33, 33}},
		// 1.000.001 by 1:2:4 = 142857,29 / 285714,57 / 571428,71: the two
		// largest fractions (,71 and ,57) take the two Rupiah left.
		{1_000_001, []int64{1, 2, 4}, []int64{142_857, 285_715, 571_429}},
		{7, []int64{0, 5, 0}, []int64{0, 7, 0}},
		{0, []int64{1, 1}, []int64{0, 0}},
		{10, []int64{0, 0}, []int64{0, 0}},
	} {
		w := make([]decimal.Decimal, len(tc.weights))
		for i, x := range tc.weights {
			w[i] = rp(x)
		}
		got := Split(tc.pool, w)
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("Split(%d, %v) = %v, want %v", tc.pool, tc.weights, got, tc.want)
		}
	}
}

func TestSettingsMustTotalOneHundred(t *testing.T) {
	t.Parallel()
	ok := string(defaultSettings)
	for name, text := range map[string]string{
		"99%":        strings.Replace(ok, `percent = "40"`, `percent = "39"`, 1),
		"no usaha":   strings.Replace(ok, `key = "jasa_usaha"`, `key = "usaha"`, 1),
		"bad basis":  strings.Replace(ok, `modal_basis = "year_end"`, `modal_basis = "harian"`, 1),
		"bad pay_to": strings.Replace(ok, `pay_to = "sukarela"`, `pay_to = "tunai"`, 1),
		"no role":    strings.Replace(ok, `role = "reserve"`, ``, 1),
		"duplicate":  ok + "\n[[part]]\nkey = \"sosial\"\nname = \"x\"\npercent = \"0\"\nrole = \"funds\"\n",
	} {
		if _, err := ParseSettings([]byte(text)); !errors.Is(err, ErrSettings) {
			t.Errorf("%s: err = %v, want ErrSettings", name, err)
		}
	}
	if _, err := ParseSettings([]byte(ok)); err != nil {
		t.Fatal(err)
	}
}

// coop is three members with savings and one loan whose interest Budi paid.
type coop struct {
	db      *store.DB
	members []member.Member
}

func newCoop(t *testing.T) *coop {
	t.Helper()
	db := storetest.Open(t, member.Schema, ledger.Schema, savings.Schema, duty.Schema, loan.Schema, books.Schema, Schema)
	ctx := context.Background()
	c := &coop{db: db}
	cat, err := loan.NewCatalog(loan.DefaultProducts()...)
	if err != nil {
		t.Fatal(err)
	}
	_, err = storetest.Write(t, db, func(tx *sql.Tx) (int, error) {
		for i, saved := range []int64{1_000_000, 2_000_000, 3_000_000} {
			m, err := member.Create(ctx, tx, member.Member{Number: fmt.Sprintf("A%d", i+1), Name: fmt.Sprintf("Anggota %d", i+1),
				Phone: fmt.Sprintf("6281200000%03d", i), JoinedOn: day(2025, 1, 1)})
			if err != nil {
				return 0, err
			}
			c.members = append(c.members, m)
			for k, amt := range map[savings.Kind]int64{savings.Pokok: 100_000, savings.Wajib: saved - 100_000} {
				if _, err := savings.Deposit(ctx, tx, savings.Movement{Key: fmt.Sprintf("s%d%s", i, k), MemberID: m.ID, Kind: k,
					Amount: rp(amt), ValueDate: day(2025, 2, 1), Actor: "t"}); err != nil {
					return 0, err
				}
			}
		}
		on := day(2025, 3, 1)
		a, err := loan.Apply(ctx, tx, loan.Request{Key: "a", MemberID: c.members[1].ID, Product: "USAHA", Amount: rp(1_200_000),
			Tenor: 12, Purpose: "warung", Now: on}, cat, loan.DefaultPolicy())
		if err != nil {
			return 0, err
		}
		for _, d := range []loan.Decision{{AppRef: a.Ref, OfficerID: "1", Role: loan.RolePetugas, Verdict: loan.Approve, Now: on},
			{AppRef: a.Ref, OfficerID: "2", Role: loan.RoleManajer, Verdict: loan.Approve, Now: on}} {
			if o, err := loan.Decide(ctx, tx, d, loan.DefaultPolicy()); err != nil || o.Final {
				if err != nil {
					return 0, err
				}
				break
			}
		}
		if _, _, err := loan.Disburse(ctx, tx, a.Ref, "3", on); err != nil {
			return 0, err
		}
		_, err = loan.Repay(ctx, tx, loan.Payment{Key: "r1", LoanRef: a.Ref, Amount: rp(118_000), On: day(2025, 4, 1), OfficerID: "1"})
		return 0, err
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestComputeApproveDistribute(t *testing.T) {
	t.Parallel()
	c := newCoop(t)
	ctx := context.Background()
	chart, s := books.DefaultChart(), DefaultSettings()
	typed := rp(1_000_001) // no percentage of it is a whole Rupiah
	write := func(fn func(tx *sql.Tx) (Result, error)) (Result, error) { return storetest.Write(t, c.db, fn) }
	r, err := write(func(tx *sql.Tx) (Result, error) {
		return Compute(ctx, tx, chart, s, 2025, &typed, "1001", day(2026, 1, 10))
	})
	if err != nil {
		t.Fatal(err)
	}
	var parts, members int64
	for _, p := range r.Parts {
		parts += p.Amount
	}
	for _, sh := range r.Shares {
		members += sh.Total()
	}
	if parts != 1_000_001 || r.ModalPool+r.UsahaPool != members || len(r.Shares) != 3 {
		t.Fatalf("parts sum to %d, members' pools %d+%d but shares %d (%d members)", parts, r.ModalPool, r.UsahaPool, members, len(r.Shares))
	}
	// Jasa modal 20% = 200.000 (rounded from 200.000,2) by 1:2:3 → 33.333,3 / 66.666,7 / 100.000,0.
	if r.ModalPool != 200_000 || r.Shares[0].JasaModal != 33_333 || r.Shares[1].JasaModal != 66_667 || r.Shares[2].JasaModal != 100_000 {
		t.Errorf("jasa modal: pool %d, shares %+v", r.ModalPool, r.Shares)
	}
	// Only member 2 paid interest (18.000): the whole jasa usaha is theirs.
	if !r.Shares[1].Usaha.Equal(rp(18_000)) || r.Shares[1].JasaUsaha != r.UsahaPool || r.Shares[0].JasaUsaha != 0 {
		t.Errorf("jasa usaha: %+v", r.Shares)
	}
	if _, err := write(func(tx *sql.Tx) (Result, error) {
		return Distribute(ctx, tx, chart, s, 2025, "2001", day(2026, 1, 10))
	}); !errors.Is(err, ErrNotApproved) {
		t.Fatalf("distributing before approval: %v", err)
	}
	if _, err := write(func(tx *sql.Tx) (Result, error) { return Approve(ctx, tx, 2025, "2001") }); err != nil {
		t.Fatal(err)
	}
	if _, err := write(func(tx *sql.Tx) (Result, error) {
		return Compute(ctx, tx, chart, s, 2025, &typed, "1001", day(2026, 1, 10))
	}); !errors.Is(err, ErrApproved) {
		t.Fatalf("recomputing an approved year: %v", err)
	}
	if _, err := write(func(tx *sql.Tx) (Result, error) {
		return Distribute(ctx, tx, chart, s, 2025, "2001", day(2026, 1, 10))
	}); !errors.Is(err, ErrYearOpen) {
		t.Fatalf("distributing before the year is closed: %v", err)
	}
	if _, err := storetest.Write(t, c.db, func(tx *sql.Tx) (books.Closing, error) {
		return books.Close(ctx, tx, chart, day(2025, 12, 1), day(2026, 1, 10), "2001", day(2026, 1, 10))
	}); err != nil {
		t.Fatal(err)
	}
	d, err := write(func(tx *sql.Tx) (Result, error) { return Distribute(ctx, tx, chart, s, 2025, "2001", day(2026, 1, 10)) })
	if err != nil || d.TxID == 0 {
		t.Fatalf("distribute: %+v, %v", d, err)
	}
	if _, err := write(func(tx *sql.Tx) (Result, error) { return Distribute(ctx, tx, chart, s, 2025, "2001", day(2026, 1, 11)) }); !errors.Is(err, ErrDistributed) {
		t.Fatalf("second distribution: %v", err)
	}
	for i, m := range c.members {
		bal, err := ledger.Balance(ctx, c.db.R, "SIMP-SUKARELA-"+m.Number)
		if err != nil {
			t.Fatal(err)
		}
		if bal.IntPart() != r.Shares[i].Total() {
			t.Errorf("member %s sukarela %s, share %d", m.Number, bal, r.Shares[i].Total())
		}
	}
	n, err := books.NeracaAt(ctx, c.db.R, chart, day(2026, 1, 10))
	if err != nil {
		t.Fatal(err)
	}
	// SHU tahun berjalan held the year's books result (18.000 of interest) and
	// gave out the typed 1.000.001.
	if !n.Get("3105").Equal(rp(18_000-1_000_001)) || !n.Difference().IsZero() {
		t.Errorf("SHU tahun berjalan %s, difference %s", n.Get("3105"), n.Difference())
	}
	st, err := Of(ctx, c.db.R, c.members[1].ID)
	if err != nil || len(st) != 1 || st[0].Share.JasaModal != 66_667 || st[0].TxID == 0 {
		t.Fatalf("member's SHU: %+v, %v", st, err)
	}
	ledgertest.MustCheck(t, c.db.R)
}

func TestComputeFromTheBooksRefusesALoss(t *testing.T) {
	t.Parallel()
	c := newCoop(t)
	ctx := context.Background()
	r, err := storetest.Write(t, c.db, func(tx *sql.Tx) (Result, error) {
		return Compute(ctx, tx, books.DefaultChart(), DefaultSettings(), 2025, nil, "1001", day(2026, 1, 10))
	})
	if err != nil || r.SHU != 18_000 || !r.FromBooks {
		t.Fatalf("SHU from the books: %+v, %v", r.SHU, err)
	}
	if _, err := storetest.Write(t, c.db, func(tx *sql.Tx) (Result, error) {
		return Compute(ctx, tx, books.DefaultChart(), DefaultSettings(), 2024, nil, "1001", day(2026, 1, 10))
	}); !errors.Is(err, ErrNoSHU) {
		t.Fatalf("a year without SHU: %v", err)
	}
}

func TestAPoolWithoutBasisGoesToTheReserve(t *testing.T) {
	t.Parallel()
	c := newCoop(t)
	ctx := context.Background()
	typed := rp(1_000_000)
	// 2024: savings exist only from 2025 and no interest was paid: neither pool has a basis.
	r, err := storetest.Write(t, c.db, func(tx *sql.Tx) (Result, error) {
		return Compute(ctx, tx, books.DefaultChart(), DefaultSettings(), 2024, &typed, "1001", day(2026, 1, 10))
	})
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, p := range r.Parts {
		sum += p.Amount
	}
	if sum != 1_000_000 {
		t.Errorf("parts sum to %d", sum)
	}
	if r.Unshared != 400_000 || r.Parts[0].Amount != 800_000 || r.ModalPool != 0 || r.UsahaPool != 0 || len(r.Shares) != 0 {
		t.Fatalf("unshared %d, reserve %d, pools %d/%d, %d shares", r.Unshared, r.Parts[0].Amount, r.ModalPool, r.UsahaPool, len(r.Shares))
	}
}
