package reminder

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/i18n"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/kopmem/kopbot/internal/store/storetest"
	"github.com/kopmem/kopbot/locales"
	"github.com/shopspring/decimal"
)

var wib = clock.Jakarta()

// TestMain keeps the planner's progress logs out of the test output. Run
// with killChildEnv set, the test binary is instead the process that
// TestKilledWhileSending kills.
func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.DiscardHandler))
	if path := os.Getenv(killChildEnv); path != "" {
		os.Exit(sendAll(path))
	}
	os.Exit(m.Run())
}

// at is a local instant in the cooperative's zone.
func at(m time.Month, d, hour, minute int) time.Time {
	return time.Date(2026, m, d, hour, minute, 0, 0, wib)
}

func rp(n int64) decimal.Decimal { return decimal.NewFromInt(n) }

var officers = member.Address{Channel: channel.Telegram, Chat: "-100777"}

func testConfig() Config {
	return Config{
		OffsetsInstallment: []int{-3, -1, 0, 1, 7},
		OffsetsWajib:       []int{-3, 0, 7},
		WindowStart:        TimeOfDay{Hour: 8},
		WindowEnd:          TimeOfDay{Hour: 20},
		Days:               []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday},
		WajibAmount:        rp(50_000),
		WajibDueDay:        10,
		Location:           wib,
		OfficerGroup:       officers,
	}
}

func openDB(tb testing.TB, extra ...store.Schema) *store.DB {
	return storetest.Open(tb, append(schemas(), extra...)...)
}

// schemas are the tables the planner reads and writes.
func schemas() []store.Schema {
	return []store.Schema{member.Schema, ledger.Schema, savings.Schema, loan.Schema, outbox.Schema, Schema}
}

func bundle(tb testing.TB) *i18n.Bundle {
	tb.Helper()
	b, err := i18n.Load(locales.FS)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func newPlanner(tb testing.TB, db *store.DB, clk clock.Clock) *Planner {
	tb.Helper()
	p, err := NewPlanner(db, bundle(tb), clk, testConfig())
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// write runs fn in its own write transaction and fails the test on error.
func write(tb testing.TB, db *store.DB, fn func(q *sql.Tx) error) {
	tb.Helper()
	if err := db.Write(context.Background(), fn); err != nil {
		tb.Fatal(err)
	}
}

// borrower is a member with one disbursed loan.
type borrower struct {
	member.Member
	loan loan.Loan
}

// newBorrower creates member A<n>, who once wrote to the cooperative's
// WhatsApp number (so reminders may go there), with savings paid in 2025
// (so no month of the test counts as wajib paid), and a 12-month USAHA loan of
// Rp1.200.000 disbursed on disbursed, through the loan package's own steps.
func newBorrower(tb testing.TB, db *store.DB, n int, disbursed time.Time) borrower {
	tb.Helper()
	ctx := context.Background()
	cat, err := loan.NewCatalog(loan.DefaultProducts()...)
	if err != nil {
		tb.Fatal(err)
	}
	pol := loan.DefaultPolicy()
	var b borrower
	write(tb, db, func(q *sql.Tx) error {
		m, err := member.Create(ctx, q, member.Member{Number: fmt.Sprintf("A%04d", n), Name: fmt.Sprintf("Anggota %d", n),
			Phone: fmt.Sprintf("62812%08d", n), JoinedOn: time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return err
		}
		b.Member = m
		if err := member.Touch(ctx, q, m.ID, channel.WhatsApp, m.Phone+"@s.whatsapp.net", disbursed); err != nil {
			return err
		}
		_, err = savings.Deposit(ctx, q, savings.Movement{Key: fmt.Sprintf("pokok-%d", n), MemberID: m.ID, Kind: savings.Pokok,
			Amount: rp(500_000), ValueDate: time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC), Actor: "t"})
		if err != nil {
			return err
		}
		a, err := loan.Apply(ctx, q, loan.Request{Key: fmt.Sprintf("apply-%d", n), MemberID: m.ID, Product: "USAHA",
			Amount: rp(1_200_000), Tenor: 12, Purpose: "modal warung", Now: disbursed}, cat, pol)
		if err != nil {
			return err
		}
		if _, err := loan.Decide(ctx, q, loan.Decision{AppRef: a.Ref, OfficerID: "1001", Role: loan.RolePetugas,
			Verdict: loan.Approve, Now: disbursed}, pol); err != nil {
			return err
		}
		b.loan, _, err = loan.Disburse(ctx, q, a.Ref, "1001", disbursed)
		return err
	})
	return b
}

// installmentTotal is what installment no of b's loan asks, principal and interest.
func (b borrower) installmentTotal(tb testing.TB, db *store.DB, no int) decimal.Decimal {
	tb.Helper()
	s, err := loan.LoanStatusOf(context.Background(), db.R, b.loan.Ref, b.loan.DisbursedOn)
	if err != nil {
		tb.Fatal(err)
	}
	return s.Schedule[no-1].Total
}

func repay(tb testing.TB, db *store.DB, b borrower, amount decimal.Decimal, on time.Time) {
	tb.Helper()
	write(tb, db, func(q *sql.Tx) error {
		_, err := loan.Repay(context.Background(), q, loan.Payment{Key: fmt.Sprintf("pay-%s-%s", b.loan.Ref, on.Format(time.DateOnly)),
			LoanRef: b.loan.Ref, Amount: amount, On: on, OfficerID: "1001"})
		return err
	})
}

func payWajib(tb testing.TB, db *store.DB, m member.Member, amount decimal.Decimal, on time.Time) {
	tb.Helper()
	write(tb, db, func(q *sql.Tx) error {
		_, err := savings.Deposit(context.Background(), q, savings.Movement{Key: fmt.Sprintf("wajib-%s-%s", m.Number, on.Format(time.DateOnly)),
			MemberID: m.ID, Kind: savings.Wajib, Amount: amount, ValueDate: on, Actor: "t"})
		return err
	})
}

// sent records what a sender accepted, by key-less text; the outbox row
// tells which key it was.
type recorder struct {
	sent []channel.Reply
}

func (r *recorder) Send(_ context.Context, rep channel.Reply) error {
	r.sent = append(r.sent, rep)
	return nil
}

// outboxRow is one queued message as the tests read it back.
type outboxRow struct {
	key, channel, chat, text, status, reason string
}

func outboxRows(tb testing.TB, db *store.DB) map[string]outboxRow {
	tb.Helper()
	rows, err := db.R.Query(`SELECT key, channel, chat, text, status, coalesce(last_error, '') FROM outbox WHERE key IS NOT NULL`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	out := map[string]outboxRow{}
	for rows.Next() {
		var r outboxRow
		if err := rows.Scan(&r.key, &r.channel, &r.chat, &r.text, &r.status, &r.reason); err != nil {
			tb.Fatal(err)
		}
		out[r.key] = r
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// newMembers creates n members, numbered from A0001 and not paid up on
// wajib, who last chatted on ch in the chat chat(i) gives.
func newMembers(tb testing.TB, db *store.DB, n int, ch channel.Name, chat func(i int) string) {
	tb.Helper()
	ctx := context.Background()
	write(tb, db, func(q *sql.Tx) error {
		for i := 1; i <= n; i++ {
			m, err := member.Create(ctx, q, member.Member{Number: fmt.Sprintf("A%04d", i), Name: fmt.Sprintf("Anggota %d", i),
				Phone: fmt.Sprintf("62812%08d", i), JoinedOn: time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)})
			if err != nil {
				return err
			}
			if err := member.Touch(ctx, q, m.ID, ch, chat(i), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
				return err
			}
		}
		return nil
	})
}
