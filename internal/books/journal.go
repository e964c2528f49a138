package books

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// KindJournal is the ledger kind of an officer's journal entry.
const KindJournal = "journal"

var (
	// ErrSameOfficer is returned when the officer who made a journal entry
	// tries to approve it.
	ErrSameOfficer = errors.New("the second officer must be someone else")
	// ErrNoEntry is returned for a journal entry that does not exist or is
	// already posted.
	ErrNoEntry = errors.New("no journal entry waiting")
	// ErrAmount is returned for an amount that is not a positive whole Rupiah.
	ErrAmount = errors.New("amount must be a positive whole Rupiah")
)

// Journal is an operating income or expense (or any movement of a chart
// account against cash or bank) recorded by an officer.
type Journal struct {
	// Key makes the entry idempotent: the message that carried it.
	Key     string
	Account string // chart code
	// Via is the cash or bank chart account the money moved through.
	Via     string
	Amount  decimal.Decimal
	Date    time.Time
	Memo    string
	Officer string
}

// JournalResult is what became of a journal entry.
type JournalResult struct {
	ID int64
	// Posted is false for an entry waiting for a second officer.
	Posted bool
	TxID   int64
}

// Record records a journal entry. At or below limit it is posted at once;
// above it, it waits for Approve by a second officer. A credit-normal
// account (income, a liability, equity) receives money into Via; any
// other pays it out of Via.
func Record(ctx context.Context, q store.Queryer, c Chart, j Journal, limit decimal.Decimal, now time.Time) (JournalResult, error) {
	if err := c.checkJournal(j); err != nil {
		return JournalResult{}, err
	}
	amount, err := money.ToRupiah(j.Amount)
	if err != nil || amount <= 0 {
		return JournalResult{}, fmt.Errorf("journal %s: %s: %w", j.Key, j.Amount, ErrAmount)
	}
	var id int64
	err = q.QueryRowContext(ctx, `INSERT INTO books_journal (idem_key, account, via, amount, value_date, memo, made_by, made_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idem_key) DO NOTHING RETURNING id`,
		j.Key, j.Account, j.Via, amount, j.Date.Format(ledger.DateLayout), j.Memo, j.Officer, store.Stamp(now)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return journalByKey(ctx, q, j.Key)
	}
	if err != nil {
		return JournalResult{}, fmt.Errorf("journal %s: %w", j.Key, err)
	}
	if j.Amount.GreaterThan(limit) {
		return JournalResult{ID: id}, nil
	}
	return postJournal(ctx, q, c, id, j.Officer)
}

// Approve posts a waiting journal entry as its second officer.
func Approve(ctx context.Context, q store.Queryer, c Chart, id int64, officer string) (JournalResult, error) {
	var madeBy string
	err := q.QueryRowContext(ctx, `SELECT made_by FROM books_journal WHERE id = ? AND tx_id IS NULL`, id).Scan(&madeBy)
	if errors.Is(err, sql.ErrNoRows) {
		return JournalResult{}, fmt.Errorf("journal %d: %w", id, ErrNoEntry)
	}
	if err != nil {
		return JournalResult{}, fmt.Errorf("journal %d: %w", id, err)
	}
	if madeBy == officer {
		return JournalResult{}, fmt.Errorf("journal %d: %w", id, ErrSameOfficer)
	}
	return postJournal(ctx, q, c, id, officer)
}

// Entry reads a journal entry back.
func Entry(ctx context.Context, q store.Queryer, id int64) (Journal, error) {
	var j Journal
	var amount int64
	var date string
	err := q.QueryRowContext(ctx, `SELECT idem_key, account, via, amount, value_date, memo, made_by FROM books_journal WHERE id = ?`, id).
		Scan(&j.Key, &j.Account, &j.Via, &amount, &date, &j.Memo, &j.Officer)
	if errors.Is(err, sql.ErrNoRows) {
		return Journal{}, fmt.Errorf("journal %d: %w", id, ErrNoEntry)
	}
	if err != nil {
		return Journal{}, fmt.Errorf("journal %d: %w", id, err)
	}
	j.Amount = money.FromRupiah(amount)
	j.Date, err = time.Parse(ledger.DateLayout, date)
	return j, err
}

func postJournal(ctx context.Context, q store.Queryer, c Chart, id int64, approver string) (JournalResult, error) {
	j, err := Entry(ctx, q, id)
	if err != nil {
		return JournalResult{}, err
	}
	acct, _ := c.Account(j.Account) // checked when recorded
	via, _ := c.Account(j.Via)
	for _, a := range []Account{acct, via} {
		if _, err := ledger.EnsureAccount(ctx, q, a.Code, a.Name, a.Type); err != nil {
			return JournalResult{}, fmt.Errorf("journal %d: %w", id, err)
		}
	}
	in := j.Amount
	if acct.Type == ledger.Asset || acct.Type == ledger.Expense {
		in = in.Neg()
	}
	tx, err := ledger.Post(ctx, q, ledger.Entry{Key: "journal:" + j.Key, Kind: KindJournal, ValueDate: j.Date,
		Actor: j.Officer, Memo: strings.TrimSpace(acct.Name + ": " + j.Memo),
		Postings: []ledger.Posting{{Account: via.Code, Amount: in}, {Account: acct.Code, Amount: in.Neg()}}})
	if err != nil {
		return JournalResult{}, fmt.Errorf("journal %d: %w", id, closedErr(err))
	}
	if _, err := q.ExecContext(ctx, `UPDATE books_journal SET approved_by = ?, tx_id = ? WHERE id = ?`, approver, tx.ID, id); err != nil {
		return JournalResult{}, fmt.Errorf("journal %d: %w", id, err)
	}
	return JournalResult{ID: id, Posted: true, TxID: tx.ID}, nil
}

func journalByKey(ctx context.Context, q store.Queryer, key string) (JournalResult, error) {
	var r JournalResult
	var tx sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT id, tx_id FROM books_journal WHERE idem_key = ?`, key).Scan(&r.ID, &tx); err != nil {
		return JournalResult{}, fmt.Errorf("journal %s: %w", key, err)
	}
	r.Posted, r.TxID = tx.Valid, tx.Int64
	return r, nil
}

// checkJournal refuses an entry whose account is not in the chart, is cash
// or bank itself, or moves through something other than cash or bank.
func (c Chart) checkJournal(j Journal) error {
	acct, ok := c.Account(j.Account)
	if !ok || acct.Role == RoleCash || acct.Role == RoleBank {
		return fmt.Errorf("journal account %q: %w", j.Account, ErrAccount)
	}
	if c.PerMember(acct.Code) {
		// Members' savings and loans move only through their own commands,
		// which keep the member's own account and history.
		return fmt.Errorf("journal account %s is kept per member: %w", j.Account, ErrAccount)
	}
	via, ok := c.Account(j.Via)
	if !ok || (via.Role != RoleCash && via.Role != RoleBank) {
		return fmt.Errorf("journal via %q: %w", j.Via, ErrAccount)
	}
	return nil
}

// ResolveVia turns "kas" or "bank" into its chart code.
func (c Chart) ResolveVia(word string) (string, bool) {
	switch strings.ToLower(word) {
	case "kas", "tunai", "cash":
		return c.Code(RoleCash), true
	case "bank", "transfer":
		return c.Code(RoleBank), true
	}
	return "", false
}

// closedMarker is what the books_closed_month trigger says.
const closedMarker = "kopbot books: value date in a closed month"

// IsClosed reports whether err is a write refused because its value date is
// inside a closed month, whoever tried it.
func IsClosed(err error) bool {
	return err != nil && (errors.Is(err, ErrClosed) || strings.Contains(err.Error(), closedMarker))
}

func closedErr(err error) error {
	if IsClosed(err) && !errors.Is(err, ErrClosed) {
		return fmt.Errorf("%w: %w", ErrClosed, err)
	}
	return err
}
