package withdraw_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/duty"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/ledger/ledgertest"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/kopmem/kopbot/internal/store/storetest"
	"github.com/kopmem/kopbot/internal/withdraw"
)

var now = time.Date(2026, 12, 2, 10, 0, 0, 0, time.FixedZone("WIB", 7*3600))

func rp(n int64) decimal.Decimal { return decimal.NewFromInt(n) }

// rules keep Rp50.000, need a manajer above Rp1.000.000.
var rules = withdraw.Rules{Minimum: rp(50_000), BlockArrears: true, ManagerLimit: rp(1_000_000), BankAccount: "BANK-BRI"}

// fixture is a database with one member holding Rp100.000 pokok, Rp600.000
// wajib and Rp2.000.000 sukarela.
type fixture struct {
	t  *testing.T
	db *store.DB
	m  member.Member
	n  int
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{t: t, db: storetest.Open(t, member.Schema, ledger.Schema, savings.Schema, duty.Schema, loan.Schema,
		withdraw.Schema)}
	f.write(func(q *sql.Tx) error {
		var err error
		f.m, err = member.Create(context.Background(), q, member.Member{Number: "A-0001", Name: "Siti",
			Phone: "6281234567890", JoinedOn: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return err
		}
		for k, amt := range map[savings.Kind]int64{savings.Pokok: 100_000, savings.Wajib: 600_000, savings.Sukarela: 2_000_000} {
			if _, err := savings.Deposit(context.Background(), q, savings.Movement{Key: "seed-" + string(k), MemberID: f.m.ID,
				Kind: k, Amount: rp(amt), ValueDate: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Actor: "seed"}); err != nil {
				return err
			}
		}
		return nil
	})
	return f
}

func (f *fixture) write(fn func(q *sql.Tx) error) error {
	f.t.Helper()
	err := f.db.Write(context.Background(), fn)
	if err != nil && !isDomain(err) {
		f.t.Fatal(err)
	}
	return err
}

// isDomain tells the refusals a test expects from failures of the test.
func isDomain(err error) bool {
	var decided *withdraw.DecidedError
	for _, e := range []error{withdraw.ErrAmount, withdraw.ErrBelowMinimum, withdraw.ErrMethod, withdraw.ErrNeedsManager,
		withdraw.ErrNotApproved, withdraw.ErrNotFound, withdraw.ErrArrears, savings.ErrInsufficient} {
		if errors.Is(err, e) {
			return true
		}
	}
	return errors.As(err, &decided)
}

func (f *fixture) ask(amount int64, method withdraw.Method, account string) (withdraw.Withdrawal, error) {
	f.t.Helper()
	f.n++
	var w withdraw.Withdrawal
	err := f.write(func(q *sql.Tx) error {
		var err error
		w, _, err = withdraw.Ask(context.Background(), q, withdraw.Request{Key: fmt.Sprintf("msg-%d", f.n), MemberID: f.m.ID,
			Amount: rp(amount), Method: method, Account: account, At: now}, rules)
		return err
	})
	return w, err
}

func (f *fixture) sukarela() decimal.Decimal {
	f.t.Helper()
	b, err := savings.Summary(context.Background(), f.db.R, f.m.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return b.Sukarela
}

func (f *fixture) act(fn func(context.Context, store.Queryer, withdraw.Decision, withdraw.Rules) (withdraw.Withdrawal, ledger.Tx, error),
	id int64, officer string, role loan.Role) (withdraw.Withdrawal, error) {
	f.t.Helper()
	var w withdraw.Withdrawal
	err := f.write(func(q *sql.Tx) error {
		var err error
		w, _, err = fn(context.Background(), q, withdraw.Decision{ID: id, OfficerID: officer, Role: role, At: now}, rules)
		return err
	})
	return w, err
}

// TestAsk: only what leaves the minimum, counting open requests, by cash
// or by transfer to an account given.
func TestAsk(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name    string
		before  []int64 // open requests already made, by cash
		amount  int64
		method  withdraw.Method
		account string
		want    error
	}{
		{"cash within the balance", nil, 500_000, withdraw.Cash, "", nil},
		{"transfer with an account", nil, 500_000, withdraw.Transfer, "BRI 1234567890", nil},
		{"all but the minimum", nil, 1_950_000, withdraw.Cash, "", nil},
		{"a rupiah below the minimum", nil, 1_950_001, withdraw.Cash, "", withdraw.ErrBelowMinimum},
		{"open requests count", []int64{1_000_000}, 950_001, withdraw.Cash, "", withdraw.ErrBelowMinimum},
		{"open requests leave the rest", []int64{1_000_000}, 950_000, withdraw.Cash, "", nil},
		{"transfer without an account", nil, 100_000, withdraw.Transfer, " ", withdraw.ErrMethod},
		{"no method", nil, 100_000, "", "", withdraw.ErrMethod},
		{"zero", nil, 0, withdraw.Cash, "", withdraw.ErrAmount},
		{"negative", nil, -5, withdraw.Cash, "", withdraw.ErrAmount},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			for _, b := range c.before {
				if _, err := f.ask(b, withdraw.Cash, ""); err != nil {
					t.Fatal(err)
				}
			}
			w, err := f.ask(c.amount, c.method, c.account)
			if !errors.Is(err, c.want) {
				t.Fatalf("Ask(%d %s %q) = %v, want %v", c.amount, c.method, c.account, err, c.want)
			}
			if err == nil && (w.Status != withdraw.Pending || !w.Amount.Equal(rp(c.amount))) {
				t.Fatalf("recorded %+v", w)
			}
			if got := f.sukarela(); !got.Equal(rp(2_000_000)) {
				t.Fatalf("sukarela %s after a request: nothing moves before an officer", got)
			}
		})
	}
}

// TestAskOncePerMessage: the member's redelivered "ya" finds the request it
// made, even once the balance no longer covers a second.
func TestAskOncePerMessage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	req := withdraw.Request{Key: "wa:ABC", MemberID: f.m.ID, Amount: rp(1_500_000), Method: withdraw.Cash, At: now}
	var ids []int64
	for range 2 {
		f.write(func(q *sql.Tx) error {
			w, _, err := withdraw.Ask(context.Background(), q, req, rules)
			ids = append(ids, w.ID)
			return err
		})
	}
	if ids[0] != ids[1] {
		t.Fatalf("two requests %v from one message", ids)
	}
}

// TestDecisions walks requests through the officers' decisions: transfer
// posted at approval, cash at payout, a manajer above the limit, a press
// twice posting once.
func TestDecisions(t *testing.T) {
	t.Parallel()
	type act struct {
		verb string // approve, pay, reject, cancel
		role loan.Role
		want error
	}
	petugas, manajer := loan.RolePetugas, loan.RoleManajer
	for _, c := range []struct {
		name     string
		amount   int64
		method   withdraw.Method
		acts     []act
		status   withdraw.Status
		sukarela int64
		bank     int64
	}{
		{"transfer posts at approval, once", 300_000, withdraw.Transfer,
			[]act{{"approve", petugas, nil}, {"approve", petugas, &withdraw.DecidedError{}}, {"pay", petugas, &withdraw.DecidedError{}}},
			withdraw.Posted, 1_700_000, -300_000},
		{"cash waits for the payout", 300_000, withdraw.Cash,
			[]act{{"approve", petugas, nil}}, withdraw.Approved, 2_000_000, 0},
		{"cash posts at the payout, once", 300_000, withdraw.Cash,
			[]act{{"approve", petugas, nil}, {"pay", petugas, nil}, {"pay", petugas, &withdraw.DecidedError{}}},
			withdraw.Posted, 1_700_000, 0},
		{"no payout before approval", 300_000, withdraw.Cash,
			[]act{{"pay", petugas, withdraw.ErrNotApproved}}, withdraw.Pending, 2_000_000, 0},
		{"a petugas below the limit", 1_000_000, withdraw.Transfer,
			[]act{{"approve", petugas, nil}}, withdraw.Posted, 1_000_000, -1_000_000},
		{"a petugas above the limit", 1_000_001, withdraw.Transfer,
			[]act{{"approve", petugas, withdraw.ErrNeedsManager}}, withdraw.Pending, 2_000_000, 0},
		{"a manajer above the limit", 1_000_001, withdraw.Transfer,
			[]act{{"approve", manajer, nil}}, withdraw.Posted, 999_999, -1_000_001},
		{"rejected", 300_000, withdraw.Cash,
			[]act{{"reject", petugas, nil}, {"approve", petugas, &withdraw.DecidedError{}}}, withdraw.Rejected, 2_000_000, 0},
		{"cancelled after approval, before payout", 300_000, withdraw.Cash,
			[]act{{"approve", petugas, nil}, {"cancel", "", nil}, {"pay", petugas, &withdraw.DecidedError{}}},
			withdraw.Cancelled, 2_000_000, 0},
		{"no cancel once posted", 300_000, withdraw.Transfer,
			[]act{{"approve", petugas, nil}, {"cancel", "", &withdraw.DecidedError{}}}, withdraw.Posted, 1_700_000, -300_000},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			w, err := f.ask(c.amount, c.method, "BRI 1234567890")
			if err != nil {
				t.Fatal(err)
			}
			for i, a := range c.acts {
				switch a.verb {
				case "approve":
					_, err = f.act(withdraw.Approve, w.ID, "1001", a.role)
				case "pay":
					_, err = f.act(withdraw.PayOut, w.ID, "1002", a.role)
				case "reject":
					err = f.write(func(q *sql.Tx) error {
						_, err := withdraw.Reject(context.Background(), q, withdraw.Decision{ID: w.ID, OfficerID: "1001", At: now}, "data")
						return err
					})
				case "cancel":
					err = f.write(func(q *sql.Tx) error {
						_, err := withdraw.Cancel(context.Background(), q, f.m.ID, w.ID, now)
						return err
					})
				}
				var decided *withdraw.DecidedError
				if _, want := a.want.(*withdraw.DecidedError); want {
					if !errors.As(err, &decided) {
						t.Fatalf("act %d %s: %v, want already decided", i, a.verb, err)
					}
				} else if !errors.Is(err, a.want) {
					t.Fatalf("act %d %s: %v, want %v", i, a.verb, err, a.want)
				}
			}
			got, err := withdraw.ByID(context.Background(), f.db.R, w.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != c.status {
				t.Errorf("status %s, want %s", got.Status, c.status)
			}
			if s := f.sukarela(); !s.Equal(rp(c.sukarela)) {
				t.Errorf("sukarela %s, want %d", s, c.sukarela)
			}
			var bank int64
			f.db.R.QueryRow(`SELECT coalesce(sum(p.amount), 0) FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
				WHERE a.code = ?`, rules.BankAccount).Scan(&bank)
			if bank != c.bank {
				t.Errorf("bank account moved %d, want %d", bank, c.bank)
			}
			if got.Status == withdraw.Posted {
				tx, err := ledger.TxByKey(context.Background(), f.db.R, w.LedgerKey())
				if err != nil || tx.ID != got.TxID {
					t.Errorf("posting by key %s: %+v %v, request says tx %d", w.LedgerKey(), tx, err, got.TxID)
				}
			}
			ledgertest.MustCheck(t, f.db.R)
		})
	}
}

// TestApproveChecksAgain: a balance spent since the request is refused at
// approval, and nothing moves.
func TestApproveChecksAgain(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	w, err := f.ask(1_500_000, withdraw.Transfer, "BRI 1234567890")
	if err != nil {
		t.Fatal(err)
	}
	f.write(func(q *sql.Tx) error {
		_, err := savings.Withdraw(context.Background(), q, savings.Movement{Key: "desk", MemberID: f.m.ID,
			Kind: savings.Sukarela, Amount: rp(1_000_000), ValueDate: now, Actor: "1001"})
		return err
	})
	if _, err := f.act(withdraw.Approve, w.ID, "2001", loan.RoleManajer); !errors.Is(err, withdraw.ErrBelowMinimum) {
		t.Fatalf("approve after the balance was spent: %v", err)
	}
	if s := f.sukarela(); !s.Equal(rp(1_000_000)) {
		t.Fatalf("sukarela %s", s)
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int64{"W-17": 17, "w-3": 3, "#W-9": 9, " W-1 ": 1, "W-0": 0, "BT-2": 0, "W-": 0, "17": 0} {
		if id, ok := withdraw.ParseRef(in); ok != (want > 0) || ok && id != want {
			t.Errorf("ParseRef(%q) = %d, %v; want %d", in, id, ok, want)
		}
	}
	for data, want := range map[string]bool{withdraw.Data(withdraw.VerbApprove, 5): true, withdraw.Data(withdraw.VerbPaid, 5): true,
		"wd:xx:5": false, "wd:ap:-1": false, "ap:W-5": false, "wd:ap:": false} {
		if _, ok := withdraw.ParsePress(data); ok != want {
			t.Errorf("ParsePress(%q) ok %v, want %v", data, ok, want)
		}
	}
	for in, want := range map[string]bool{"BRI 0123 0100 0123 501 a.n. Siti": true, "bca 1234567": true,
		"1234567890": false, "BRI 12345": false, "BRI 1234567890123456789012345": false} {
		if _, ok := withdraw.ReadAccount(in); ok != want {
			t.Errorf("ReadAccount(%q) ok %v, want %v", in, ok, want)
		}
	}
}

func TestRulesValidate(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		r    withdraw.Rules
		ok   bool
	}{
		{"defaults", withdraw.DefaultRules(), true},
		{"no minimum", withdraw.Rules{ManagerLimit: rp(1), BankAccount: "BANK-BRI"}, true},
		{"negative minimum", withdraw.Rules{Minimum: rp(-1), ManagerLimit: rp(1), BankAccount: "BANK-BRI"}, false},
		{"no limit", withdraw.Rules{BankAccount: "BANK-BRI"}, false},
		{"not a bank code", withdraw.Rules{ManagerLimit: rp(1), BankAccount: "KAS"}, false},
	} {
		if err := c.r.Validate(); (err == nil) != c.ok {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
