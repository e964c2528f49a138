package loadtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/savings"
)

// Size is how big a cooperative the load runs against.
type Size struct {
	Members int
	// Postings is the number of ledger postings; every member gets the
	// same share, rounded down.
	Postings int
}

// Phone is the phone number of the i-th generated member (from 0).
func Phone(i int) string { return fmt.Sprintf("62812%08d", 34567890+i) }

// Number is the member number of the i-th generated member (from 0).
func Number(i int) string { return fmt.Sprintf("KMM-%06d", i+1) }

var (
	firstNames = []string{"Siti", "Budi", "Dewi", "Agus", "Rina", "Joko", "Sri", "Andi", "Wati", "Hendra",
		"Yuni", "Bambang", "Lestari", "Eko", "Nur", "Slamet", "Ratna", "Dedi", "Fitri", "Rudi"}
	lastNames = []string{"Rahayu", "Santoso", "Lestari", "Wijaya", "Susanti", "Prasetyo", "Handayani",
		"Saputra", "Kurniawan", "Wulandari", "Hidayat", "Setiawan", "Purnama", "Nugroho", "Maharani"}
)

// Build returns the path of a database of size s in dir, building it on
// first use: at a hundred thousand members it takes minutes, and a load
// run only adds chat rows to it (which is why repeated runs share it even
// though each leaves its inbox and outbox rows behind).
func Build(ctx context.Context, dir string, s Size, now time.Time, logf func(string, ...any)) (string, error) {
	if s.Members <= 0 || s.Postings < 2*s.Members {
		return "", fmt.Errorf("build: %d members need at least %d postings, asked %d", s.Members, 2*s.Members, s.Postings)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("build: %w", err)
	}
	path := filepath.Join(dir, fmt.Sprintf("kopbot-load-%dm-%dp-%s.db", s.Members, s.Postings, app.SchemaVersion()))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	tmp := path + ".building"
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		if err := os.Remove(tmp + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("build: %w", err)
		}
	}
	// The schema comes from app.Open itself, so the result is whatever the
	// migrations make today, not a copy of them that could drift.
	a, err := app.Open(ctx, tmp, app.Options{})
	if err != nil {
		return "", fmt.Errorf("build: %w", err)
	}
	if err := a.Close(); err != nil {
		return "", fmt.Errorf("build: %w", err)
	}
	start := time.Now()
	if err := fill(ctx, tmp, s, now); err != nil {
		return "", fmt.Errorf("build %s: %w", tmp, err)
	}
	logf("built %d members, %d postings in %s", s.Members, s.Postings, time.Since(start).Round(time.Second))
	start = time.Now()
	a, err = app.Open(ctx, tmp, app.Options{})
	if err != nil {
		return "", fmt.Errorf("build: reopen: %w", err)
	}
	r, err := ledger.Check(ctx, a.DB.R)
	// Closed before the rename: an open database's WAL would stay behind
	// under the old name.
	if cerr := a.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("build: %w", err)
	}
	if !r.OK() {
		return "", fmt.Errorf("build: the generated ledger is broken: %s", r)
	}
	logf("ledger check %s in %s", r, time.Since(start).Round(time.Second))
	if err := os.Rename(tmp, path); err != nil {
		return "", fmt.Errorf("build: %w", err)
	}
	return path, nil
}

// fill writes the cooperative with its own connection: no fsync and no WAL
// while building, because a half-built file is thrown away, not recovered.
// The posting trigger stays on, so every cached balance is the database's
// own sum, not the builder's claim.
func fill(ctx context.Context, path string, s Size, now time.Time) error {
	q := url.Values{}
	for _, p := range []string{"foreign_keys(1)", "journal_mode(DELETE)", "synchronous(OFF)", "cache_size(-262144)", "temp_store(MEMORY)"} {
		q.Add("_pragma", p)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	b := &builder{ctx: ctx, db: db, perMember: s.Postings / s.Members, now: now}
	b.start = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -(b.perMember*3/8 + 2), 0)
	// A thousand members per transaction keep the batch in the page cache
	// without ever holding the whole cooperative in memory.
	const batch = 1000
	if err := b.begin(); err != nil {
		return err
	}
	if _, err := b.tx.ExecContext(ctx, `INSERT INTO ledger_accounts (id, code, name, type) VALUES
		(1, ?, 'Kas', ?), (2, ?, 'Pendapatan bunga pinjaman', ?)`,
		savings.Cash, string(ledger.Asset), loan.InterestIncome, string(ledger.Income)); err != nil {
		return fmt.Errorf("cash and interest accounts: %w", err)
	}
	b.nextAccount = 3
	for i := range s.Members {
		if i > 0 && i%batch == 0 {
			if err := b.commit(); err != nil {
				return err
			}
			if err := b.begin(); err != nil {
				return err
			}
		}
		if err := b.member(i); err != nil {
			return fmt.Errorf("member %d: %w", i, err)
		}
	}
	return b.commit()
}

// rows batches many rows into one multi-row INSERT: on this driver each
// statement execution costs far more than a row, so fewer, wider ones
// build the file several times faster.
type rows struct {
	head string // INSERT INTO t (a, b, c) VALUES
	cols int
	args []any
}

// maxRows keeps a statement under SQLite's 32766 parameters.
func (r *rows) maxRows() int { return 32000 / r.cols }

func (r *rows) add(args ...any) { r.args = append(r.args, args...) }

func (r *rows) full() bool { return len(r.args) >= r.maxRows()*r.cols }

func (r *rows) flush(ctx context.Context, tx *sql.Tx) error {
	for len(r.args) > 0 {
		n := min(len(r.args)/r.cols, r.maxRows())
		tuple := "(" + strings.TrimSuffix(strings.Repeat("?,", r.cols), ",") + ")"
		stmt := r.head + strings.TrimSuffix(strings.Repeat(tuple+",", n), ",")
		if _, err := tx.ExecContext(ctx, stmt, r.args[:n*r.cols]...); err != nil {
			return fmt.Errorf("%s: %w", r.head, err)
		}
		r.args = r.args[n*r.cols:]
	}
	return nil
}

type builder struct {
	ctx       context.Context
	db        *sql.DB
	tx        *sql.Tx
	perMember int // postings per member
	now       time.Time
	start     time.Time

	nextAccount, nextTx, nextLoan, nextPayment int64
	// In the order foreign keys need them: flushed together, in this order.
	tables                                            []*rows
	members, accounts, savingsAccounts, txs, postings *rows
	applications, loans, installments, current        *rows
	payments, allocations                             *rows
}

func (b *builder) begin() error {
	if b.tables == nil {
		b.members = &rows{head: `INSERT INTO members (id, number, name, phone, joined_on) VALUES `, cols: 5}
		b.accounts = &rows{head: `INSERT INTO ledger_accounts (id, code, name, type) VALUES `, cols: 4}
		b.savingsAccounts = &rows{head: `INSERT INTO savings_accounts (member_id, kind, account_id) VALUES `, cols: 3}
		b.txs = &rows{head: `INSERT INTO ledger_transactions (id, idem_key, kind, value_date, actor, memo) VALUES `, cols: 6}
		b.postings = &rows{head: `INSERT INTO ledger_postings (tx_id, account_id, amount) VALUES `, cols: 3}
		b.applications = &rows{head: `INSERT INTO loan_applications (id, ref, ref_month, ref_seq, idem_key, member_id,
			product, product_name, method, rate_per_month, penalty_per_day, grace_days, first_due_months, amount, tenor,
			purpose, status, applied_at, updated_at) VALUES `, cols: 19}
		b.loans = &rows{head: `INSERT INTO loan_loans (id, application_id, ref, member_id, principal, account_id,
			disbursed_on, tx_id, officer_id, status, closed_on) VALUES `, cols: 11}
		b.installments = &rows{head: `INSERT INTO loan_installments (loan_id, no, due_on, principal, interest) VALUES `, cols: 5}
		b.current = &rows{head: `INSERT INTO loan_current (loan_id, no, due_on, principal, interest) VALUES `, cols: 5}
		b.payments = &rows{head: `INSERT INTO loan_payments (id, loan_id, idem_key, tx_id, paid_on, amount, officer_id) VALUES `, cols: 7}
		b.allocations = &rows{head: `INSERT INTO loan_allocations (payment_id, loan_id, installment_no, part, amount) VALUES `, cols: 5}
		b.tables = []*rows{b.members, b.accounts, b.savingsAccounts, b.txs, b.postings,
			b.applications, b.loans, b.installments, b.current, b.payments, b.allocations}
	}
	var err error
	b.tx, err = b.db.BeginTx(b.ctx, nil)
	return err
}

func (b *builder) flush() error {
	for _, r := range b.tables {
		if err := r.flush(b.ctx, b.tx); err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) commit() error {
	if err := b.flush(); err != nil {
		_ = b.tx.Rollback()
		return err
	}
	return b.tx.Commit()
}

// member writes one member with the savings history demo.Seed would give:
// pokok once, wajib monthly, sukarela some months and the odd withdrawal;
// and every fifth member a loan (see loan). All in the ledger's and the
// loan book's own tables, so statements, balances and the kolektibilitas
// read exactly what production writes.
func (b *builder) member(i int) error {
	rng := rand.New(rand.NewPCG(2026, uint64(i)))
	id, number := int64(i+1), Number(i)
	name := firstNames[i%len(firstNames)] + " " + lastNames[(i/len(firstNames)+i)%len(lastNames)]
	b.members.add(id, number, name, Phone(i), b.start.Format(ledger.DateLayout))
	accounts := map[savings.Kind]int64{}
	for _, k := range []savings.Kind{savings.Pokok, savings.Wajib, savings.Sukarela} {
		accounts[k] = b.nextAccount
		b.nextAccount++
		code := "SIMP-" + strings.ToUpper(string(k)) + "-" + number
		b.accounts.add(accounts[k], code, "Simpanan "+string(k)+" "+number, string(ledger.Liability))
		b.savingsAccounts.add(id, string(k), accounts[k])
	}
	n := 0
	// Not the first of five: kopbot load's simulated members are every
	// stride-th member from the first, and a member with a loan is refused
	// another, which would change what the load asks of kopbot.
	if i%5 == 4 {
		n = b.loan(id, rng)
	}
	move := func(date time.Time, memo string, legs ...leg) {
		if n+1+len(legs) > b.perMember {
			return
		}
		n += 1 + len(legs)
		b.nextTx++
		var total int64
		for _, l := range legs {
			total += l.amount
		}
		kind := savings.KindDeposit
		if total < 0 {
			kind = savings.KindWithdrawal
		}
		b.txs.add(b.nextTx, fmt.Sprintf("load:%s:%d", number, b.nextTx), kind, date.Format(ledger.DateLayout), "load", memo)
		// Deposit: cash debited, savings credited; a withdrawal the reverse.
		b.postings.add(b.nextTx, int64(1), total)
		for _, l := range legs {
			b.postings.add(b.nextTx, accounts[l.kind], -l.amount)
		}
	}
	move(b.start, "Simpanan pokok", leg{savings.Pokok, 100_000})
	var sukarela int64
	for month := 0; n < b.perMember; month++ {
		first := b.start.AddDate(0, month, 0)
		wajib := first.AddDate(0, 0, 4+rng.IntN(10))
		if (b.perMember-n)%2 == 1 {
			// Three legs evens out a share that two-leg entries cannot fill.
			sukarela += 50_000
			move(wajib, "Simpanan wajib dan sukarela", leg{savings.Wajib, 50_000}, leg{savings.Sukarela, 50_000})
		} else {
			move(wajib, "Simpanan wajib", leg{savings.Wajib, 50_000})
		}
		if rng.IntN(3) == 0 {
			amount := int64(50_000 * (1 + rng.IntN(10)))
			sukarela += amount
			move(first.AddDate(0, 0, 19+rng.IntN(5)), "Setoran sukarela", leg{savings.Sukarela, amount})
		}
		if month%6 == 5 && sukarela >= 100_000 {
			sukarela -= 75_000
			move(first.AddDate(0, 0, 27), "Penarikan sukarela", leg{savings.Sukarela, -75_000})
		}
	}
	if slices.ContainsFunc(b.tables, (*rows).full) {
		return b.flush()
	}
	return nil
}

// builtApplication starts the key of every loan application Build writes,
// so a run counts only the requests its members made.
const builtApplication = "load:apply:"

// leg is money into (positive) or out of one of a member's savings.
type leg struct {
	kind   savings.Kind
	amount int64
}

// loan gives the member a twelve-month flat loan as loan.Disburse and
// loan.Repay would write it, and returns the postings it took: a loan
// disbursed some months before now, its installments paid on their due
// days; one in eight stops paying one to eight installments before now, so
// the book has every class from lancar to macet; one fully paid is closed.
// It leaves the member at least a pokok entry of their share of postings.
func (b *builder) loan(memberID int64, rng *rand.Rand) int {
	const tenor = 12
	maxPaid := min(tenor, (b.perMember-6)/3)
	if maxPaid < 0 {
		return 0
	}
	k := int64(1 + rng.IntN(4))
	amount, principal, interest := 1_200_000*k, 100_000*k, 18_000*k
	paid := rng.IntN(maxPaid + 1)
	due := paid
	if rng.IntN(8) == 0 && paid < tenor {
		due = min(tenor, paid+1+rng.IntN(8))
	}
	// Installment j falls on the disbursement day j months later; exactly
	// due of them by now.
	today := time.Date(b.now.Year(), b.now.Month(), b.now.Day(), 0, 0, 0, 0, time.UTC)
	day := 1 + rng.IntN(28)
	back := due
	if day > today.Day() {
		back++
	}
	disbursed := time.Date(today.Year(), today.Month()-time.Month(back), day, 0, 0, 0, 0, time.UTC)
	b.nextLoan++
	id := b.nextLoan
	ref := fmt.Sprintf("PJ-%s-%06d", disbursed.Format("0601"), id)
	applied := disbursed.AddDate(0, 0, -3).Format("2006-01-02T15:04:05.000Z")
	b.applications.add(id, ref, disbursed.Format("0601"), id, builtApplication+ref, memberID, "reguler", "Pinjaman reguler",
		"flat", "0.015", "0.001", 3, 1, amount, tenor, "Modal usaha", string(loan.StatusDisbursed), applied, applied)
	account := b.nextAccount
	b.nextAccount++
	b.accounts.add(account, loan.Loan{Ref: ref}.AccountCode(), "Piutang pinjaman "+ref, string(ledger.Asset))
	b.nextTx++
	b.txs.add(b.nextTx, "disburse:"+ref, loan.KindDisbursement, disbursed.Format(ledger.DateLayout), "load", "Pencairan "+ref)
	b.postings.add(b.nextTx, account, amount)
	b.postings.add(b.nextTx, int64(1), -amount)
	var closed any
	status := "open"
	if paid == tenor {
		status, closed = "closed", disbursed.AddDate(0, tenor, 0).Format(ledger.DateLayout)
	}
	b.loans.add(id, id, ref, memberID, amount, account, disbursed.Format(ledger.DateLayout), b.nextTx, "load", status, closed)
	for j := 1; j <= tenor; j++ {
		dueOn := disbursed.AddDate(0, j, 0).Format(ledger.DateLayout)
		b.installments.add(id, j, dueOn, principal, interest)
		b.current.add(id, j, dueOn, principal, interest)
		if j > paid {
			continue
		}
		b.nextTx++
		b.nextPayment++
		key := fmt.Sprintf("load:%s:%d", ref, j)
		b.txs.add(b.nextTx, "repay:"+key, loan.KindRepayment, dueOn, "load", "Angsuran "+ref)
		b.postings.add(b.nextTx, int64(1), principal+interest)
		b.postings.add(b.nextTx, account, -principal)
		b.postings.add(b.nextTx, int64(2), -interest)
		b.payments.add(b.nextPayment, id, key, b.nextTx, dueOn, principal+interest, "load")
		b.allocations.add(b.nextPayment, id, j, "bunga", interest)
		b.allocations.add(b.nextPayment, id, j, "pokok", principal)
	}
	return 2 + 3*paid
}
