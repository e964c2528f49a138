package books

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/duty"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/ledger/ledgertest"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/kopmem/kopbot/internal/store/storetest"
	"github.com/shopspring/decimal"
)

func rp(n int64) decimal.Decimal { return decimal.NewFromInt(n) }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func open(t *testing.T) *store.DB {
	return storetest.Open(t, member.Schema, ledger.Schema, savings.Schema, duty.Schema, Schema)
}

func write[T any](t *testing.T, db *store.DB, fn func(tx *sql.Tx) (T, error)) T {
	t.Helper()
	v, err := storetest.Write(t, db, fn)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// deposit puts amount of kind into member n's savings on date.
func deposit(t *testing.T, db *store.DB, n int, kind savings.Kind, amount int64, on time.Time) {
	t.Helper()
	ctx := context.Background()
	write(t, db, func(tx *sql.Tx) (ledger.Tx, error) {
		m, err := member.ByNumber(ctx, tx, fmt.Sprintf("A%03d", n))
		if errors.Is(err, member.ErrNotFound) {
			m, err = member.Create(ctx, tx, member.Member{Number: fmt.Sprintf("A%03d", n), Name: "Anggota",
				Phone: fmt.Sprintf("62812%08d", n), JoinedOn: day(2026, 1, 1)})
		}
		if err != nil {
			return ledger.Tx{}, err
		}
		return savings.Deposit(ctx, tx, savings.Movement{Key: fmt.Sprintf("d%d-%s-%s", n, kind, on.Format(time.DateOnly)),
			MemberID: m.ID, Kind: kind, Amount: rp(amount), ValueDate: on, Actor: "test"})
	})
}

func journal(t *testing.T, db *store.DB, key, account string, amount int64, on time.Time) JournalResult {
	t.Helper()
	c := DefaultChart()
	return write(t, db, func(tx *sql.Tx) (JournalResult, error) {
		return Record(context.Background(), tx, c, Journal{Key: key, Account: account, Via: c.Code(RoleCash),
			Amount: rp(amount), Date: on, Memo: key, Officer: "1001"}, duty.DefaultRules(), day(2026, 12, 2))
	})
}

func neraca(t *testing.T, db *store.DB, on time.Time) Neraca {
	t.Helper()
	n, err := NeracaAt(context.Background(), db.R, DefaultChart(), on)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDefaultChartPlacesEveryLedgerAccountKopbotOpens(t *testing.T) {
	t.Parallel()
	c := DefaultChart()
	for code, want := range map[string]string{"KAS": "1101", "PINJ-PJ-2611-0001": "1103", "SIMP-POKOK-A001": "3101",
		"SIMP-WAJIB-A001": "3102", "SIMP-SUKARELA-A001": "2101", "PEND-BUNGA": "4101", "PEND-DENDA": "4102", "5201": "5201"} {
		if got, ok := c.Classify(code); !ok || got != want {
			t.Errorf("Classify(%s) = %s, %v; want %s", code, got, ok, want)
		}
	}
	if _, ok := c.Classify("SOMETHING-ELSE"); ok {
		t.Error("an unknown ledger code was placed")
	}
}

func TestParseChartRefuses(t *testing.T) {
	t.Parallel()
	base := string(defaultChart)
	for name, text := range map[string]string{
		"duplicate code": base + "\n[[account]]\ncode = \"1101\"\nname = \"x\"\ntype = \"asset\"\n",
		"bad type":       base + "\n[[account]]\ncode = \"9\"\nname = \"x\"\ntype = \"aset\"\n",
		"duplicate role": base + "\n[[account]]\ncode = \"9\"\nname = \"x\"\ntype = \"asset\"\nrole = \"cash\"\n",
		"bad pattern":    base + "\n[[account]]\ncode = \"9\"\nname = \"x\"\ntype = \"asset\"\nmatch = [\"[\"]\n",
		"missing role":   "[[account]]\ncode = \"1101\"\nname = \"Kas\"\ntype = \"asset\"\nrole = \"cash\"\n",
	} {
		if _, err := ParseChart([]byte(text)); !errors.Is(err, ErrChart) {
			t.Errorf("%s: err = %v, want ErrChart", name, err)
		}
	}
}

func TestNeracaBalancesAndLabaRugiCountsThePeriod(t *testing.T) {
	t.Parallel()
	db := open(t)
	deposit(t, db, 1, savings.Pokok, 100_000, day(2026, 1, 5))
	deposit(t, db, 1, savings.Wajib, 50_000, day(2026, 1, 5))
	deposit(t, db, 2, savings.Sukarela, 400_000, day(2026, 2, 10))
	journal(t, db, "adm", "4103", 25_000, day(2026, 2, 11))
	journal(t, db, "listrik", "5202", 60_000, day(2026, 3, 1))

	n := neraca(t, db, day(2026, 2, 28))
	if !n.Difference().IsZero() || n.Raw != 0 {
		t.Fatalf("neraca does not balance: %+v", n)
	}
	if got := n.Get("1101"); !got.Equal(rp(575_000)) {
		t.Errorf("kas at 28/02 = %s, want 575000 (cash from savings, admin fee; not March's bill)", got)
	}
	for code, want := range map[string]int64{"3101": 100_000, "3102": 50_000, "2101": 400_000} {
		if got := n.Get(code); !got.Equal(rp(want)) {
			t.Errorf("%s = %s, want %d", code, got, want)
		}
	}
	if !n.Result.Equal(rp(25_000)) {
		t.Errorf("result = %s, want 25000", n.Result)
	}
	lr, err := LabaRugiFor(context.Background(), db.R, DefaultChart(), day(2026, 3, 1), day(2026, 3, 31))
	if err != nil {
		t.Fatal(err)
	}
	if !lr.Income.IsZero() || !lr.Expense.Equal(rp(60_000)) || !lr.SHU().Equal(rp(-60_000)) {
		t.Errorf("March: income %s, expense %s", lr.Income, lr.Expense)
	}
	ledgertest.MustCheck(t, db.R)
}

func TestJournalAboveTheLimitWaitsForASecondOfficer(t *testing.T) {
	t.Parallel()
	db := open(t)
	ctx := context.Background()
	c := DefaultChart()
	if r := journal(t, db, "atk", "5202", 5_000_000, day(2026, 11, 24)); !r.Posted || r.Proposal != 0 {
		t.Fatalf("an entry at the limit = %+v, want posted alone", r)
	}
	r := journal(t, db, "gaji", "5201", 5_000_001, day(2026, 11, 25))
	if r.Posted || r.Proposal == 0 {
		t.Fatalf("an entry above the limit = %+v, want a proposal", r)
	}
	if got := neraca(t, db, day(2026, 11, 30)).Get("1101"); !got.Equal(rp(-5_000_000)) {
		t.Fatalf("a waiting entry moved cash: kas %s", got)
	}
	approve := func(id int64, officer string) (JournalResult, error) {
		return storetest.Write(t, db, func(tx *sql.Tx) (JournalResult, error) {
			return Approve(ctx, tx, c, id, officer, day(2026, 12, 2))
		})
	}
	if _, err := approve(r.Proposal, "1001"); !errors.Is(err, duty.ErrSameOfficer) {
		t.Fatalf("maker approving: err = %v", err)
	}
	deposit(t, db, 1, savings.Pokok, 100_000, day(2026, 11, 1))
	other := write(t, db, func(tx *sql.Tx) (duty.Proposal, error) {
		m, err := member.ByNumber(ctx, tx, "A001")
		if err != nil {
			return duty.Proposal{}, err
		}
		return duty.Propose(ctx, tx, duty.Proposal{Key: "setor", Kind: "deposit", MemberID: m.ID, Amount: rp(20_000_000),
			Detail: "sukarela", Maker: "1001", MadeAt: day(2026, 12, 2)})
	})
	for _, id := range []int64{other.ID, other.ID + 1} {
		if _, err := approve(id, "1002"); !errors.Is(err, ErrNoEntry) {
			t.Errorf("approving proposal %d as a journal: err = %v, want ErrNoEntry", id, err)
		}
	}
	done, err := approve(r.Proposal, "1002")
	if err != nil || !done.Posted || done.TxID == 0 {
		t.Fatalf("approved entry = %+v, %v", done, err)
	}
	if _, err := approve(r.Proposal, "1003"); !errors.Is(err, duty.ErrSettled) {
		t.Fatalf("second approval: err = %v", err)
	}
	if got := neraca(t, db, day(2026, 11, 30)).Get("5201"); !got.Equal(rp(5_000_001)) {
		t.Errorf("gaji = %s", got)
	}
	if again := journal(t, db, "gaji", "5201", 5_000_001, day(2026, 11, 25)); again.Proposal != r.Proposal || !again.Posted {
		t.Errorf("the same message again = %+v, want proposal %d, posted", again, r.Proposal)
	}
	ledgertest.MustCheck(t, db.R)
}

func TestJournalAboveTheCeilingIsRefused(t *testing.T) {
	t.Parallel()
	db := open(t)
	rules := duty.DefaultRules()
	_, err := storetest.Write(t, db, func(tx *sql.Tx) (JournalResult, error) {
		return Record(context.Background(), tx, DefaultChart(), Journal{Key: "k", Account: "5201", Via: "1101",
			Amount: rules.Ceiling.Add(rp(1)), Date: day(2026, 1, 1), Officer: "1001"}, rules, day(2026, 1, 1))
	})
	if !errors.Is(err, duty.ErrAboveCeiling) {
		t.Fatalf("err = %v, want ErrAboveCeiling", err)
	}
}

func TestJournalRefusesAccountsItMustNotTouch(t *testing.T) {
	t.Parallel()
	db := open(t)
	c := DefaultChart()
	for _, j := range []Journal{
		{Account: "9999", Via: "1101"},
		{Account: "1101", Via: "1102"},
		{Account: "3101", Via: "1101"},
		{Account: "5201", Via: "5202"},
	} {
		j.Key, j.Amount, j.Date, j.Officer = "k"+j.Account+j.Via, rp(1000), day(2026, 1, 1), "1001"
		if _, err := storetest.Write(t, db, func(tx *sql.Tx) (JournalResult, error) {
			return Record(context.Background(), tx, c, j, duty.DefaultRules(), day(2026, 1, 1))
		}); !errors.Is(err, ErrAccount) {
			t.Errorf("%s via %s: err = %v, want ErrAccount", j.Account, j.Via, err)
		}
	}
}

func TestClosedMonthRefusesValueDatesInsideIt(t *testing.T) {
	t.Parallel()
	db := open(t)
	ctx := context.Background()
	c := DefaultChart()
	deposit(t, db, 1, savings.Pokok, 100_000, day(2026, 10, 3))
	closeMonth := func(m time.Time) (Closing, error) {
		return storetest.Write(t, db, func(tx *sql.Tx) (Closing, error) {
			return Close(ctx, tx, c, m, day(2026, 12, 2), "1001", day(2026, 12, 2))
		})
	}
	if _, err := closeMonth(day(2026, 12, 1)); !errors.Is(err, ErrNotNext) {
		t.Fatalf("closing a month not ended: %v", err)
	}
	if _, err := closeMonth(day(2026, 10, 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := closeMonth(day(2026, 10, 1)); err != nil {
		t.Fatalf("closing again: %v", err)
	}
	// Any writer is refused, not only the books' own.
	_, err := storetest.Write(t, db, func(tx *sql.Tx) (ledger.Tx, error) {
		m, err := member.ByNumber(ctx, tx, "A001")
		if err != nil {
			return ledger.Tx{}, err
		}
		return savings.Deposit(ctx, tx, savings.Movement{Key: "late", MemberID: m.ID, Kind: savings.Wajib,
			Amount: rp(50_000), ValueDate: day(2026, 10, 31), Actor: "test"})
	})
	if !IsClosed(err) {
		t.Fatalf("deposit dated in a closed month: err = %v", err)
	}
	deposit(t, db, 1, savings.Wajib, 50_000, day(2026, 11, 1))
	if _, err := storetest.Write(t, db, func(tx *sql.Tx) (JournalResult, error) {
		return Record(ctx, tx, c, Journal{Key: "old", Account: "5202", Via: "1101", Amount: rp(1),
			Date: day(2026, 9, 30), Officer: "1001"}, duty.DefaultRules(), day(2026, 12, 2))
	}); !errors.Is(err, ErrClosed) {
		t.Fatalf("journal before a closed month: err = %v", err)
	}
	if _, err := closeMonth(day(2026, 12, 1)); !errors.Is(err, ErrNotNext) {
		t.Fatalf("skipping November: %v", err)
	}
	ledgertest.MustCheck(t, db.R)
}

func TestClosingDecemberMovesTheYearToSHUTahunBerjalan(t *testing.T) {
	t.Parallel()
	db := open(t)
	ctx := context.Background()
	c := DefaultChart()
	deposit(t, db, 1, savings.Pokok, 1_000_000, day(2025, 1, 3))
	journal(t, db, "adm", "4103", 300_000, day(2025, 6, 1))
	journal(t, db, "atk", "5202", 120_000, day(2025, 7, 1))
	journal(t, db, "adm26", "4103", 10_000, day(2026, 1, 5))
	cl := write(t, db, func(tx *sql.Tx) (Closing, error) {
		return Close(ctx, tx, c, day(2025, 12, 1), day(2026, 2, 1), "1001", day(2026, 2, 1))
	})
	if cl.YearTx == 0 || cl.Result != 180_000 {
		t.Fatalf("closing = %+v, want a year entry moving 180000", cl)
	}
	end := neraca(t, db, day(2025, 12, 31))
	if !end.Get("3105").Equal(rp(180_000)) || !end.Result.IsZero() || !end.Difference().IsZero() {
		t.Errorf("after closing: SHU tahun berjalan %s, open result %s, difference %s", end.Get("3105"), end.Result, end.Difference())
	}
	lr, err := LabaRugiFor(ctx, db.R, c, day(2025, 1, 1), day(2025, 12, 31))
	if err != nil {
		t.Fatal(err)
	}
	if !lr.SHU().Equal(rp(180_000)) {
		t.Errorf("the year's laba rugi after closing = %s, want 180000 (the closing entry is no income)", lr.SHU())
	}
	if got := neraca(t, db, day(2026, 1, 31)).Result; !got.Equal(rp(10_000)) {
		t.Errorf("2026's open result = %s, want 10000", got)
	}
	ledgertest.MustCheck(t, db.R)
}

func TestParsePeriod(t *testing.T) {
	t.Parallel()
	for in, want := range map[string][2]time.Time{
		"2026":    {day(2026, 1, 1), day(2026, 12, 31)},
		"2026-02": {day(2026, 2, 1), day(2026, 2, 28)},
		"11/2026": {day(2026, 11, 1), day(2026, 11, 30)},
	} {
		p, err := ParsePeriod(in)
		if err != nil || !p.From.Equal(want[0]) || !p.To.Equal(want[1]) {
			t.Errorf("ParsePeriod(%s) = %v, %v", in, p, err)
		}
	}
	for _, bad := range []string{"", "2026-13", "tahun lalu"} {
		if _, err := ParsePeriod(bad); err == nil {
			t.Errorf("ParsePeriod(%q) accepted", bad)
		}
	}
}
