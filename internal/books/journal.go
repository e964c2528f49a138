package books

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/duty"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// KindJournal is the ledger kind of an officer's journal entry.
const KindJournal = "journal"

var (
	// ErrNoEntry is returned for a proposal that is not a journal entry.
	ErrNoEntry = errors.New("no journal entry waiting")
	// ErrAmount is returned for an amount that is not a positive whole Rupiah.
	ErrAmount = errors.New("amount must be a positive whole Rupiah")
)

// Journal is an operating income or expense (or any movement of a chart
// account against cash or bank) recorded by an officer.
type Journal struct {
	// Key makes the entry idempotent: the message that carried it.
	Key     string `json:"-"`
	Account string `json:"account"` // chart code
	// Via is the cash or bank chart account the money moved through.
	Via     string          `json:"via"`
	Amount  decimal.Decimal `json:"-"`
	Date    time.Time       `json:"-"`
	Memo    string          `json:"memo"`
	Officer string          `json:"-"`
}

// journalDetail is what a waiting entry keeps in its duty proposal's
// detail, beside the amount, maker and key the proposal has anyway.
type journalDetail struct {
	Journal
	Day string `json:"date"`
}

// JournalResult is what became of a journal entry.
type JournalResult struct {
	// Proposal is the duty proposal of an entry that needed a second
	// officer, 0 for one posted alone.
	Proposal int64
	// Posted is false for an entry waiting for a second officer.
	Posted bool
	TxID   int64
	// Replayed is set when the key was recorded already.
	Replayed bool
}

// Record records a journal entry. When rules let one officer post it
// alone it is posted at once; above the journal limit it becomes a duty
// proposal (the shared maker-checker) that Approve posts for a second
// officer. A credit-normal account (income, a liability, equity) receives
// money into Via; any other pays it out of Via. The same key again is the
// same entry.
func Record(ctx context.Context, q store.Queryer, c Chart, j Journal, rules duty.Rules, now time.Time) (JournalResult, error) {
	if err := c.checkJournal(j); err != nil {
		return JournalResult{}, err
	}
	if amount, err := money.ToRupiah(j.Amount); err != nil || amount <= 0 {
		return JournalResult{}, fmt.Errorf("journal %s: %s: %w", j.Key, j.Amount, ErrAmount)
	}
	second, err := rules.JournalNeedsChecker(j.Amount)
	if err != nil {
		return JournalResult{}, fmt.Errorf("journal %s: %w", j.Key, err)
	}
	if !second {
		tx, err := postJournal(ctx, q, c, j, j.Officer)
		return JournalResult{Posted: true, TxID: tx.ID, Replayed: tx.Replayed}, err
	}
	detail, err := json.Marshal(journalDetail{Journal: j, Day: j.Date.Format(ledger.DateLayout)})
	if err != nil {
		return JournalResult{}, fmt.Errorf("journal %s: %w", j.Key, err)
	}
	p, err := duty.Propose(ctx, q, duty.Proposal{Key: journalKey(j.Key), Kind: KindJournal, Amount: j.Amount,
		Detail: string(detail), Maker: j.Officer, MadeAt: now})
	if err != nil {
		return JournalResult{}, fmt.Errorf("journal %s: %w", j.Key, err)
	}
	return JournalResult{Proposal: p.ID, Posted: p.Status == duty.StatusConfirmed, TxID: p.TxID, Replayed: p.Replayed}, nil
}

// Approve has officer, a second officer, confirm the waiting journal entry
// of proposal id and posts it. duty refuses the maker (ErrSameOfficer) and
// a second confirmation (ErrSettled).
func Approve(ctx context.Context, q store.Queryer, c Chart, id int64, officer string, now time.Time) (JournalResult, error) {
	if _, err := Entry(ctx, q, id); err != nil {
		return JournalResult{}, err
	}
	p, err := duty.Confirm(ctx, q, id, officer, now, func(p duty.Proposal) (int64, error) {
		j, err := entryOf(p)
		if err != nil {
			return 0, err
		}
		tx, err := postJournal(ctx, q, c, j, officer)
		return tx.ID, err
	})
	if err != nil {
		return JournalResult{}, fmt.Errorf("journal %d: %w", id, err)
	}
	return JournalResult{Proposal: p.ID, Posted: true, TxID: p.TxID}, nil
}

// Entry reads the journal entry of proposal id back.
func Entry(ctx context.Context, q store.Queryer, id int64) (Journal, error) {
	p, err := duty.ProposalByID(ctx, q, id)
	if errors.Is(err, duty.ErrNotFound) {
		return Journal{}, fmt.Errorf("journal %d: %w", id, ErrNoEntry)
	}
	if err != nil {
		return Journal{}, err
	}
	return entryOf(p)
}

func entryOf(p duty.Proposal) (Journal, error) {
	d, err := duty.DetailOf[journalDetail](p, KindJournal, ErrNoEntry)
	if err != nil {
		return Journal{}, err
	}
	j := d.Journal
	j.Key, j.Amount, j.Officer = strings.TrimPrefix(p.Key, "journal:"), p.Amount, p.Maker
	if j.Date, err = time.Parse(ledger.DateLayout, d.Day); err != nil {
		return Journal{}, fmt.Errorf("journal %d: date: %w", p.ID, err)
	}
	return j, nil
}

// journalKey is both the ledger key of an entry and its proposal's key.
func journalKey(key string) string { return "journal:" + key }

// postJournal posts j; actor is who carried it out: its maker alone, or
// the second officer who confirmed it.
func postJournal(ctx context.Context, q store.Queryer, c Chart, j Journal, actor string) (ledger.Tx, error) {
	acct, _ := c.Account(j.Account) // checked when recorded
	via, _ := c.Account(j.Via)
	for _, a := range []Account{acct, via} {
		if _, err := ledger.EnsureAccount(ctx, q, a.Code, a.Name, a.Type); err != nil {
			return ledger.Tx{}, fmt.Errorf("journal %s: %w", j.Key, err)
		}
	}
	in := j.Amount
	if acct.Type == ledger.Asset || acct.Type == ledger.Expense {
		in = in.Neg()
	}
	tx, err := ledger.Post(ctx, q, ledger.Entry{Key: journalKey(j.Key), Kind: KindJournal, ValueDate: j.Date,
		Actor: actor, Memo: strings.TrimSpace(acct.Name + ": " + j.Memo),
		Postings: []ledger.Posting{{Account: via.Code, Amount: in}, {Account: acct.Code, Amount: in.Neg()}}})
	if err != nil {
		return ledger.Tx{}, fmt.Errorf("journal %s: %w", j.Key, closedErr(err))
	}
	return tx, nil
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
