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
	"github.com/kopmem/kopbot/internal/savings"
)

// Size is how big a cooperative the load runs against.
type Size struct {
	Members int
	// Postings is the target number of ledger postings; every member gets
	// the same share, rounded down to whole two-leg transactions.
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
	b := &builder{ctx: ctx, db: db, perMember: s.Postings / 2 / s.Members, now: now}
	b.start = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -(b.perMember*3/4 + 2), 0)
	// A thousand members per transaction keep the batch in the page cache
	// without ever holding the whole cooperative in memory.
	const batch = 1000
	if err := b.begin(); err != nil {
		return err
	}
	if _, err := b.tx.ExecContext(ctx, `INSERT INTO ledger_accounts (id, code, name, type) VALUES (1, ?, 'Kas', ?)`,
		savings.Cash, string(ledger.Asset)); err != nil {
		return fmt.Errorf("cash account: %w", err)
	}
	b.nextAccount = 2
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
	perMember int // transactions per member
	now       time.Time
	start     time.Time

	nextAccount, nextTx int64
	// In the order foreign keys need them: flushed together, in this order.
	tables                                            []*rows
	members, accounts, savingsAccounts, txs, postings *rows
}

func (b *builder) begin() error {
	if b.tables == nil {
		b.members = &rows{head: `INSERT INTO members (id, number, name, phone, joined_on) VALUES `, cols: 5}
		b.accounts = &rows{head: `INSERT INTO ledger_accounts (id, code, name, type) VALUES `, cols: 4}
		b.savingsAccounts = &rows{head: `INSERT INTO savings_accounts (member_id, kind, account_id) VALUES `, cols: 3}
		b.txs = &rows{head: `INSERT INTO ledger_transactions (id, idem_key, kind, value_date, actor, memo) VALUES `, cols: 6}
		b.postings = &rows{head: `INSERT INTO ledger_postings (tx_id, account_id, amount) VALUES `, cols: 3}
		b.tables = []*rows{b.members, b.accounts, b.savingsAccounts, b.txs, b.postings}
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
// pokok once, wajib monthly, sukarela some months and the odd withdrawal,
// in the ledger's own tables, so statements and balances read exactly what
// production writes.
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
	move := func(k savings.Kind, date time.Time, amount int64, memo string) {
		if n == b.perMember {
			return
		}
		n++
		b.nextTx++
		kind := savings.KindDeposit
		if amount < 0 {
			kind = savings.KindWithdrawal
		}
		b.txs.add(b.nextTx, fmt.Sprintf("load:%s:%s:%d", number, k, b.nextTx), kind, date.Format(ledger.DateLayout), "load", memo)
		// Deposit: cash debited, savings credited; a withdrawal the reverse.
		b.postings.add(b.nextTx, int64(1), amount)
		b.postings.add(b.nextTx, accounts[k], -amount)
	}
	move(savings.Pokok, b.start, 100_000, "Simpanan pokok")
	var sukarela int64
	for month := 0; n < b.perMember; month++ {
		first := b.start.AddDate(0, month, 0)
		move(savings.Wajib, first.AddDate(0, 0, 4+rng.IntN(10)), 50_000, "Simpanan wajib")
		if rng.IntN(3) == 0 {
			amount := int64(50_000 * (1 + rng.IntN(10)))
			sukarela += amount
			move(savings.Sukarela, first.AddDate(0, 0, 19+rng.IntN(5)), amount, "Setoran sukarela")
		}
		if month%6 == 5 && sukarela >= 100_000 {
			sukarela -= 75_000
			move(savings.Sukarela, first.AddDate(0, 0, 27), -75_000, "Penarikan sukarela")
		}
	}
	if slices.ContainsFunc(b.tables, (*rows).full) {
		return b.flush()
	}
	return nil
}
