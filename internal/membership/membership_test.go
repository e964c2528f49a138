package membership_test

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"maps"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/ledger/ledgertest"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/membership"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/kopmem/kopbot/internal/store/storetest"
	"github.com/kopmem/kopbot/internal/withdraw"
)

var (
	wib      = time.FixedZone("WIB", 7*3600)
	at       = time.Date(2026, 12, 2, 10, 0, 0, 0, wib)
	settings = membership.Settings{FirstNumber: "KMM-00001", Pokok: decimal.NewFromInt(100_000)}
)

func rp(n int64) decimal.Decimal { return decimal.NewFromInt(n) }

func open(t *testing.T) *store.DB {
	t.Helper()
	return storetest.Open(t, member.Schema, ledger.Schema, savings.Schema, loan.Schema, withdraw.Schema, membership.Schema)
}

func write(t *testing.T, db *store.DB, fn func(q *sql.Tx) error) error {
	t.Helper()
	return db.Write(context.Background(), fn)
}

func register(t *testing.T, db *store.DB, phone, name string) (membership.Registered, error) {
	t.Helper()
	var r membership.Registered
	err := write(t, db, func(q *sql.Tx) error {
		var err error
		r, err = membership.Register(context.Background(), q, settings, membership.Registration{Phone: phone, Name: name,
			Officer: "1001", At: at})
		return err
	})
	return r, err
}

func TestRegister(t *testing.T) {
	t.Parallel()
	db := open(t)
	// An imported member with the prefix and one without: numbering counts
	// on from the highest with the prefix, as wide as the first number.
	if err := write(t, db, func(q *sql.Tx) error {
		for _, m := range []member.Member{{Number: "KMM-00041", Name: "Lama", Phone: "6281100000041"},
			{Number: "A-9999", Name: "Lain", Phone: "6281100009999"}, {Number: "KMM-0004x", Name: "Salah", Phone: "6281100000049"}} {
			m.JoinedOn = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
			if _, err := member.Create(context.Background(), q, m); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		phone, name string
		number      string
		err         error
	}{
		{"0812-3456-7890", "  Siti   Aminah ", "KMM-00042", nil},
		{"+62 812 3456 7891", "Budi Santoso", "KMM-00043", nil},
		{"081234567890", "Siti Lain", "", nil}, // taken: TakenError
		{"12345", "Tono", "", membership.ErrPhone},
		{"081234567892", "x", "", membership.ErrName},
		{"081234567892", "Tono <script>", "", membership.ErrName},
		{"081234567892", "Nur'aini Al-Fatih, S.Pd.", "KMM-00044", nil},
	} {
		r, err := register(t, db, c.phone, c.name)
		var taken *membership.TakenError
		switch {
		case c.name == "Siti Lain":
			if !errors.As(err, &taken) || taken.Member.Number != "KMM-00042" {
				t.Errorf("%s: %v, want taken by KMM-00042", c.phone, err)
			}
		case c.err != nil:
			if !errors.Is(err, c.err) {
				t.Errorf("%s %q: %v, want %v", c.phone, c.name, err, c.err)
			}
		case err != nil:
			t.Errorf("%s: %v", c.phone, err)
		case r.Member.Number != c.number || !r.Pokok.Equal(settings.Pokok):
			t.Errorf("%s: %s owing %s, want %s owing %s", c.phone, r.Member.Number, r.Pokok, c.number, settings.Pokok)
		}
	}
	m, err := member.ByPhone(context.Background(), db.R, "6281234567890")
	if err != nil || m.Name != "Siti Aminah" || m.JoinedOn.Format(time.DateOnly) != "2026-12-02" {
		t.Fatalf("registered %+v, %v", m, err)
	}
	owed := func(m member.Member) decimal.Decimal {
		t.Helper()
		d, err := membership.PokokOwed(context.Background(), db.R, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	if got := owed(m); !got.Equal(rp(100_000)) {
		t.Fatalf("pokok owed %s", got)
	}
	imported, err := member.ByNumber(context.Background(), db.R, "KMM-00041")
	if err != nil || !owed(imported).IsZero() {
		t.Fatalf("an imported member owes %s (%v)", owed(imported), err)
	}
	if err := deposit(t, db, m, savings.Pokok, 100_000, "pokok"); err != nil {
		t.Fatal(err)
	}
	if got := owed(m); !got.IsZero() {
		t.Fatalf("pokok owed %s once paid", got)
	}
}

func TestNextNumberFirstAndBadSettings(t *testing.T) {
	t.Parallel()
	db := open(t)
	for first, want := range map[string]string{"KMM-00001": "KMM-00001", "A7": "A7", "2026.001": "2026.001"} {
		got, err := membership.NextNumber(context.Background(), db.R, first)
		if err != nil || got != want {
			t.Errorf("first %s: %q, %v", first, got, err)
		}
	}
	for _, bad := range []membership.Settings{{FirstNumber: "KMM-", Pokok: rp(1)}, {FirstNumber: "", Pokok: rp(1)},
		{FirstNumber: "K1", Pokok: rp(0)}, {FirstNumber: "K1", Pokok: decimal.RequireFromString("0.5")}} {
		if bad.Validate() == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

// A number whose member left is released from them when someone registers
// it again; the old member keeps their record but not the number.
func TestRegisterRecycledNumber(t *testing.T) {
	t.Parallel()
	db := open(t)
	old, err := register(t, db, "081234567890", "Pemilik Lama")
	if err != nil {
		t.Fatal(err)
	}
	if err := write(t, db, func(q *sql.Tx) error {
		return member.MarkLeft(context.Background(), q, old.Member.ID, at)
	}); err != nil {
		t.Fatal(err)
	}
	r, err := register(t, db, "081234567890", "Pemilik Baru")
	if err != nil {
		t.Fatal(err)
	}
	if r.Released.ID != old.Member.ID || r.Member.Number != "KMM-00002" {
		t.Fatalf("registered %+v", r)
	}
	m, err := member.ByID(context.Background(), db.R, old.Member.ID)
	if err != nil || m.Phone == "6281234567890" || !m.Left() {
		t.Fatalf("old member %+v, %v", m, err)
	}
}

func TestProspects(t *testing.T) {
	t.Parallel()
	db := open(t)
	ask := func(chat, name string, when time.Time) membership.Asked {
		t.Helper()
		var out membership.Asked
		if err := write(t, db, func(q *sql.Tx) error {
			var err error
			out, err = membership.Record(context.Background(), q, membership.Ask{Channel: channel.WhatsApp, Chat: chat,
				Phone: chat, Name: name, Day: when.Format(time.DateOnly), At: when})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	const a, b = "6289900000001", "6289900000002"
	for i, c := range []struct {
		chat, name    string
		answer, named bool
	}{
		{a, "", true, false},
		{a, "Rudi", true, true},
		{a, "Rudi", true, false}, // the same name again: the officers know it
		{a, "Rudi Hartono", true, true},
		{a, "Rudi H", false, false}, // past AnswersPerDay: not answered, not stored
		{b, "Ani", true, true},
	} {
		if got := ask(c.chat, c.name, at.Add(time.Duration(i)*time.Minute)); got.Answer != c.answer || got.Named != c.named {
			t.Errorf("ask %d %q: %+v, want answer %v named %v", i, c.name, got, c.answer, c.named)
		}
	}
	var name string
	if err := db.R.QueryRow(`SELECT name FROM membership_prospects WHERE chat = ?`, a).Scan(&name); err != nil || name != "Rudi Hartono" {
		t.Fatalf("kept name %q, %v", name, err)
	}
	if got := ask(a, "", at.Add(24*time.Hour)); !got.Answer {
		t.Fatal("the next day not answered")
	}
	// b registers; a is pruned after the keep time without a word.
	if _, err := register(t, db, "+"+b, "Ani"); err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := write(t, db, func(q *sql.Tx) error {
		var err error
		n, err = membership.Prune(context.Background(), q, at.Add(24*time.Hour+membership.DefaultProspectKeep))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := db.R.QueryRow(`SELECT count(*) FROM membership_prospects`).Scan(&left); err != nil || n != 1 || left != 0 {
		t.Fatalf("pruned %d, %d left (%v)", n, left, err)
	}
}

func deposit(t *testing.T, db *store.DB, m member.Member, k savings.Kind, amt int64, key string) error {
	t.Helper()
	return write(t, db, func(q *sql.Tx) error {
		_, err := savings.Deposit(context.Background(), q, savings.Movement{Key: key, MemberID: m.ID, Kind: k,
			Amount: rp(amt), ValueDate: at, Actor: "test"})
		return err
	})
}

func leave(t *testing.T, db *store.DB, m member.Member, expect int64, checker string) (membership.Left, error) {
	t.Helper()
	var l membership.Left
	err := write(t, db, func(q *sql.Tx) error {
		var err error
		l, err = membership.Leave(context.Background(), q, membership.Leaving{MemberID: m.ID, Expect: rp(expect),
			Maker: "1001", Checker: checker, At: at.Add(time.Hour)})
		return err
	})
	return l, err
}

// saver registers Siti Aminah holding held.
func saver(t *testing.T, db *store.DB, held map[savings.Kind]int64) member.Member {
	t.Helper()
	r, err := register(t, db, "081234567890", "Siti Aminah")
	if err != nil {
		t.Fatal(err)
	}
	for k, amt := range held {
		if err := deposit(t, db, r.Member, k, amt, "seed-"+string(k)); err != nil {
			t.Fatal(err)
		}
	}
	return r.Member
}

func TestLeave(t *testing.T) {
	t.Parallel()
	db := open(t)
	m := saver(t, db, map[savings.Kind]int64{savings.Pokok: 100_000, savings.Wajib: 150_000, savings.Sukarela: 250_000})
	// A request in progress blocks leaving.
	cat, err := loan.NewCatalog(loan.DefaultProducts()...)
	if err != nil {
		t.Fatal(err)
	}
	var app loan.Application
	if err := write(t, db, func(q *sql.Tx) error {
		app, err = loan.Apply(context.Background(), q, loan.Request{Key: "apply-1", MemberID: m.ID, Product: "USAHA",
			Amount: rp(1_000_000), Tenor: 6, Purpose: "warung", Now: at}, cat, loan.DefaultPolicy())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var blocked *membership.BlockedError
	if _, err := leave(t, db, m, 500_000, "2001"); !errors.As(err, &blocked) || len(blocked.Settlement.Requests) != 1 {
		t.Fatalf("leave with a request in progress: %v", err)
	}
	if err := write(t, db, func(q *sql.Tx) error {
		_, err := loan.Cancel(context.Background(), q, app.Ref, m.ID, at)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// So does a withdrawal of sukarela not yet paid out.
	var w withdraw.Withdrawal
	if err := write(t, db, func(q *sql.Tx) error {
		w, _, err = withdraw.Ask(context.Background(), q, withdraw.Request{Key: "tarik-1", MemberID: m.ID, Amount: rp(100_000),
			Method: withdraw.Cash, At: at}, withdraw.DefaultRules())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := leave(t, db, m, 500_000, "2001"); !errors.As(err, &blocked) || len(blocked.Settlement.Withdrawals) != 1 {
		t.Fatalf("leave with a withdrawal in progress: %v", err)
	}
	if err := write(t, db, func(q *sql.Tx) error {
		_, err := withdraw.Cancel(context.Background(), q, m.ID, w.ID, at)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// The figure confirmed must be the figure held.
	if _, err := leave(t, db, m, 400_000, "2001"); !errors.Is(err, membership.ErrChanged) {
		t.Fatalf("leave confirming another figure: %v", err)
	}
	l, err := leave(t, db, m, 500_000, "2001")
	if err != nil {
		t.Fatal(err)
	}
	if l.Tx.ID == 0 || !l.Settlement.Net.Equal(rp(500_000)) || l.Tx.Key != membership.LeaveKey(m.ID) {
		t.Fatalf("left %+v", l)
	}
	b, err := savings.Summary(context.Background(), db.R, m.ID)
	if err != nil || !b.Total.IsZero() {
		t.Fatalf("savings after leaving %+v, %v", b, err)
	}
	ledgertest.MustCheck(t, db.R)
	// Twice: refused, nothing posted again; deposits refused.
	var txs int
	count := func() int {
		if err := db.R.QueryRow(`SELECT count(*) FROM ledger_transactions`).Scan(&txs); err != nil {
			t.Fatal(err)
		}
		return txs
	}
	before := count()
	if _, err := leave(t, db, m, 0, "2001"); !errors.Is(err, member.ErrLeft) {
		t.Fatalf("leaving twice: %v", err)
	}
	if err := deposit(t, db, m, savings.Sukarela, 10_000, "after"); !errors.Is(err, member.ErrLeft) {
		t.Fatalf("deposit after leaving: %v", err)
	}
	if count() != before {
		t.Fatal("something posted after leaving")
	}
	// A member holding nothing leaves without a transaction.
	r2, err := register(t, db, "081234567891", "Budi Kosong")
	if err != nil {
		t.Fatal(err)
	}
	if l, err := leave(t, db, r2.Member, 0, "2001"); err != nil || l.Tx.ID != 0 {
		t.Fatalf("empty leave %+v, %v", l, err)
	}
	ledgertest.MustCheck(t, db.R)
}

// TestLeaveByTransfer: a payout by transfer leaves the bank account named,
// not the cash box, goes only to the account on file the manajer confirmed,
// and is paid once.
func TestLeaveByTransfer(t *testing.T) {
	t.Parallel()
	db := open(t)
	m := saver(t, db, map[savings.Kind]int64{savings.Pokok: 100_000, savings.Sukarela: 400_000})
	shown := member.BankAccount{Bank: "BCA", Number: "1234567890", Holder: "Siti Aminah"}
	now := member.BankAccount{Bank: "BNI", Number: "5555555555", Holder: "Siti Aminah"}
	if err := write(t, db, func(q *sql.Tx) error { return member.SetBankAccount(context.Background(), q, m.ID, now) }); err != nil {
		t.Fatal(err)
	}
	byTransfer := func(to member.BankAccount) (membership.Left, error) {
		var l membership.Left
		err := write(t, db, func(q *sql.Tx) error {
			var err error
			l, err = membership.Leave(context.Background(), q, membership.Leaving{MemberID: m.ID, Expect: rp(500_000),
				To: to, From: "BANK-BRI", Maker: "1001", Checker: "2001", At: at.Add(time.Hour)})
			return err
		})
		return l, err
	}
	if _, err := byTransfer(shown); !errors.Is(err, membership.ErrAccountChanged) {
		t.Fatalf("transfer to an account no longer on file: %v", err)
	}
	l, err := byTransfer(now)
	if err != nil || l.To != now || l.Tx.Key != membership.LeaveKey(m.ID) {
		t.Fatalf("left %+v, %v", l, err)
	}
	moved := map[string]int64{}
	rows, err := db.R.Query(`SELECT a.code, p.amount FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id WHERE p.tx_id = ?`, l.Tx.ID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var code string
		var amt int64
		if err := rows.Scan(&code, &amt); err != nil {
			t.Fatal(err)
		}
		moved[code] += amt
	}
	rows.Close()
	if moved["BANK-BRI"] != -500_000 || moved[savings.Cash] != 0 {
		t.Fatalf("payout postings %v, want Rp500.000 out of BANK-BRI and nothing from the cash box", moved)
	}
	var method string
	if err := db.R.QueryRow(`SELECT method FROM membership_leaves WHERE member_id = ?`, m.ID).Scan(&method); err != nil || method != "transfer" {
		t.Fatalf("recorded %q, %v", method, err)
	}
	if _, err := byTransfer(now); !errors.Is(err, member.ErrLeft) {
		t.Fatalf("a second payout: %v", err)
	}
	ledgertest.MustCheck(t, db.R)
}

// borrower registers Siti Aminah holding held, with a loan of amount
// disbursed, and returns her and the loan's pelunasan on the day she
// leaves.
func borrower(t *testing.T, db *store.DB, held map[savings.Kind]int64, amount int64) (member.Member, loan.Quote) {
	t.Helper()
	m := saver(t, db, held)
	cat, err := loan.NewCatalog(loan.DefaultProducts()...)
	if err != nil {
		t.Fatal(err)
	}
	var q loan.Quote
	if err := write(t, db, func(tx *sql.Tx) error {
		ctx := context.Background()
		app, err := loan.Apply(ctx, tx, loan.Request{Key: "apply-1", MemberID: m.ID, Product: "USAHA", Amount: rp(amount),
			Tenor: 6, Purpose: "warung", Now: at}, cat, loan.DefaultPolicy())
		if err != nil {
			return err
		}
		for _, d := range []loan.Decision{{AppRef: app.Ref, OfficerID: "1001", Role: loan.RolePetugas, Verdict: loan.Approve, Now: at},
			{AppRef: app.Ref, OfficerID: "2001", Role: loan.RoleManajer, Verdict: loan.Approve, Now: at}} {
			o, err := loan.Decide(ctx, tx, d, loan.DefaultPolicy())
			if err != nil {
				return err
			}
			if o.Final {
				break
			}
		}
		if _, _, err := loan.Disburse(ctx, tx, app.Ref, "1001", at); err != nil {
			return err
		}
		q, err = loan.Settle(ctx, tx, app.Ref, at.Add(time.Hour))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return m, q
}

func hasLeft(t *testing.T, db *store.DB, id int64) bool {
	t.Helper()
	m, err := member.ByID(context.Background(), db.R, id)
	if err != nil {
		t.Fatal(err)
	}
	return m.Left()
}

// TestLeaveSetsTheLoansOff: a leaving member's open loan is paid off from
// their savings, sukarela first, then wajib, then pokok, and only the rest
// is paid out; savings short of the pelunasan, or a pelunasan other than
// the one confirmed, refuse it and post nothing.
func TestLeaveSetsTheLoansOff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		held map[savings.Kind]int64
		// setOff[k] is what kind k pays of the pelunasan, -1 the rest of it.
		setOff map[savings.Kind]int64
		// confirmed changes the pelunasan the manajer confirmed by this much.
		confirmed int64
		want      error
	}{
		{name: "sukarela covers it", held: map[savings.Kind]int64{savings.Pokok: 100_000, savings.Wajib: 150_000, savings.Sukarela: 2_000_000},
			setOff: map[savings.Kind]int64{savings.Sukarela: -1}},
		{name: "then wajib", held: map[savings.Kind]int64{savings.Pokok: 100_000, savings.Wajib: 900_000, savings.Sukarela: 300_000},
			setOff: map[savings.Kind]int64{savings.Sukarela: 300_000, savings.Wajib: -1}},
		{name: "then pokok", held: map[savings.Kind]int64{savings.Pokok: 100_000, savings.Wajib: 950_000},
			setOff: map[savings.Kind]int64{savings.Wajib: 950_000, savings.Pokok: -1}},
		{name: "savings short", held: map[savings.Kind]int64{savings.Pokok: 100_000, savings.Wajib: 250_000}, want: membership.ErrBlocked},
		{name: "another pelunasan confirmed", held: map[savings.Kind]int64{savings.Pokok: 100_000, savings.Sukarela: 2_000_000},
			confirmed: -1, want: membership.ErrChanged},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := open(t)
			m, qt := borrower(t, db, tc.held, 1_000_000)
			held := int64(0)
			for _, v := range tc.held {
				held += v
			}
			before, err := savings.Summary(ctx, db.R, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			var l membership.Left
			err = write(t, db, func(q *sql.Tx) error {
				var err error
				l, err = membership.Leave(ctx, q, membership.Leaving{MemberID: m.ID, Expect: rp(held),
					SetOff: qt.Total.Add(rp(tc.confirmed)), Maker: "1001", Checker: "2001", At: at.Add(time.Hour)})
				return err
			})
			if tc.want != nil {
				var blocked *membership.BlockedError
				if !errors.Is(err, tc.want) {
					t.Fatalf("leave: %v, want %v", err, tc.want)
				}
				if errors.As(err, &blocked) && !blocked.Settlement.Short().Equal(qt.Total.Sub(rp(held))) {
					t.Fatalf("short %s, want the pelunasan %s less the savings %d", blocked.Settlement.Short(), qt.Total, held)
				}
				after, err := savings.Summary(ctx, db.R, m.ID)
				if err != nil || !after.Total.Equal(before.Total) || hasLeft(t, db, m.ID) {
					t.Fatalf("a refused leaving moved savings %s → %s or closed the member (%v)", before.Total, after.Total, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(l.SetOffs) != 1 || !l.SetOffs[0].Closed || l.SetOffs[0].Key != membership.SetOffKey(m.ID, qt.Ref) {
				t.Fatalf("set-offs %+v, want the loan closed under its key", l.SetOffs)
			}
			rows, err := db.R.Query(`SELECT a.code, p.amount FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
				WHERE p.tx_id = ? AND p.amount > 0`, l.SetOffs[0].TxID)
			if err != nil {
				t.Fatal(err)
			}
			taken := map[string]int64{}
			for rows.Next() {
				var code string
				var amt int64
				if err := rows.Scan(&code, &amt); err != nil {
					t.Fatal(err)
				}
				taken[code] = amt
			}
			rows.Close()
			want := map[string]int64{}
			rest := qt.Total.IntPart()
			for _, v := range tc.setOff {
				if v > 0 {
					rest -= v
				}
			}
			for k, v := range tc.setOff {
				code, err := savings.AccountCode(ctx, db.R, m.ID, k)
				if err != nil {
					t.Fatal(err)
				}
				want[code] = cmp.Or(max(v, 0), rest)
			}
			if !maps.Equal(taken, want) {
				t.Fatalf("the pelunasan %s took %v, want %v", qt.Total, taken, want)
			}
			if net := rp(held).Sub(qt.Total); !l.Settlement.Net.Equal(net) || (l.Tx.ID == 0) != net.IsZero() {
				t.Fatalf("paid out %s in tx %d, want %s", l.Settlement.Net, l.Tx.ID, net)
			}
			after, err := savings.Summary(ctx, db.R, m.ID)
			if err != nil || !after.Total.IsZero() || !hasLeft(t, db, m.ID) {
				t.Fatalf("after leaving: savings %s, %v", after.Total, err)
			}
			ledgertest.MustCheck(t, db.R)
		})
	}
}
