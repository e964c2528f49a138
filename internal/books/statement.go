package books

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// KindYearClose is the kind of the entry that moves a year's result to SHU
// tahun berjalan; a period's laba rugi leaves it out.
const KindYearClose = "year-close"

// Line is one account of a statement in its natural sign.
type Line struct {
	Code   string
	Name   string
	Type   ledger.AccountType
	Amount decimal.Decimal
	// Placed is false for a ledger account the chart does not place; it is
	// shown under its own code so nothing is left out of a total.
	Placed bool
}

// Balances are every chart account's balance, and the ledger accounts the
// chart does not place, at the end of a day.
type Balances struct {
	Date  time.Time
	Lines []Line
	// Raw is the sum of all raw balances; zero whenever the ledger balances.
	Raw int64
}

// Get returns the amount of the line with code, zero when absent.
func (b Balances) Get(code string) decimal.Decimal {
	for _, l := range b.Lines {
		if l.Code == code {
			return l.Amount
		}
	}
	return decimal.Zero
}

// Total sums the lines of type t.
func (b Balances) Total(t ledger.AccountType) decimal.Decimal {
	sum := decimal.Zero
	for _, l := range b.Lines {
		if l.Type == t {
			sum = sum.Add(l.Amount)
		}
	}
	return sum
}

// ledgerAccount is a ledger account as the books read it.
type ledgerAccount struct {
	code, name string
	typ        ledger.AccountType
	raw        int64
}

// BalancesAt returns the balances at the end of date: the latest stored
// month end on or before it (StoreMonthEnds) plus the postings dated since,
// so the cost is at most a month of postings. Without a stored month end it
// starts from the ledger's cached balances and takes off what is dated after
// date, which reads every ledger account. Run it in one read transaction for
// a consistent answer.
func BalancesAt(ctx context.Context, q store.Queryer, c Chart, date time.Time) (Balances, error) {
	p, ok, err := positionAt(ctx, q, c, date, allTypes)
	if err != nil {
		return Balances{}, err
	}
	if !ok {
		accts, err := accountsAt(ctx, q, "", date)
		if err != nil {
			return Balances{}, err
		}
		p = c.positionOf(accts)
	}
	b := c.balances(p, func(s sums) int64 { return s.raw })
	b.Date = date
	return b, nil
}

// accountsAt reads ledger accounts (where filters them) with their raw
// balances at the end of date.
func accountsAt(ctx context.Context, q store.Queryer, where string, date time.Time) (map[int64]ledgerAccount, error) {
	accts, err := ledgerAccounts(ctx, q, where)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT p.account_id, sum(p.amount) FROM ledger_transactions t
		CROSS JOIN ledger_postings p ON p.tx_id = t.id WHERE t.value_date > ? GROUP BY p.account_id`, date.Format(ledger.DateLayout))
	if err != nil {
		return nil, fmt.Errorf("balances at %s: %w", date.Format(ledger.DateLayout), err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, later int64
		if err := rows.Scan(&id, &later); err != nil {
			return nil, fmt.Errorf("balances at: %w", err)
		}
		if a, ok := accts[id]; ok {
			a.raw -= later
			accts[id] = a
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("balances at: %w", err)
	}
	return accts, nil
}

// Flows returns what moved on the income and expense accounts with value
// dates in [from, to], leaving out year-end closing entries: the
// perhitungan hasil usaha of the period. With month ends stored it is the
// difference of two positions; without, it reads the income and expense
// accounts' postings.
func Flows(ctx context.Context, q store.Queryer, c Chart, from, to time.Time) (Balances, error) {
	b, ok, err := flowsFromMonthEnds(ctx, q, c, from, to)
	if err != nil || ok {
		return b, err
	}
	accts, err := ledgerAccounts(ctx, q, `WHERE type IN ('income', 'expense')`)
	if err != nil {
		return Balances{}, err
	}
	for id, a := range accts {
		a.raw = 0
		accts[id] = a
	}
	// Driven from the income and expense accounts (CROSS JOIN fixes the
	// order): their postings are a small part of a ledger that is mostly
	// members' savings, which a scan by date would read in full.
	rows, err := q.QueryContext(ctx, `SELECT p.account_id, sum(p.amount) FROM ledger_accounts a
		CROSS JOIN ledger_postings p ON p.account_id = a.id
		CROSS JOIN ledger_transactions t ON t.id = p.tx_id
		WHERE a.type IN ('income', 'expense') AND t.value_date BETWEEN ? AND ? AND t.kind <> ? GROUP BY p.account_id`,
		from.Format(ledger.DateLayout), to.Format(ledger.DateLayout), KindYearClose)
	if err != nil {
		return Balances{}, fmt.Errorf("flows %s..%s: %w", from.Format(ledger.DateLayout), to.Format(ledger.DateLayout), err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, sum int64
		if err := rows.Scan(&id, &sum); err != nil {
			return Balances{}, fmt.Errorf("flows: %w", err)
		}
		if a, ok := accts[id]; ok {
			a.raw = sum
			accts[id] = a
		}
	}
	if err := rows.Err(); err != nil {
		return Balances{}, fmt.Errorf("flows: %w", err)
	}
	b = c.balances(c.positionOf(accts), func(s sums) int64 { return s.raw })
	b.Date = to
	return b, nil
}

func ledgerAccounts(ctx context.Context, q store.Queryer, where string) (map[int64]ledgerAccount, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, code, name, type, balance FROM ledger_accounts `+where)
	if err != nil {
		return nil, fmt.Errorf("ledger accounts: %w", err)
	}
	defer rows.Close()
	out := map[int64]ledgerAccount{}
	for rows.Next() {
		var id int64
		var a ledgerAccount
		if err := rows.Scan(&id, &a.code, &a.name, &a.typ, &a.raw); err != nil {
			return nil, fmt.Errorf("ledger accounts: %w", err)
		}
		out[id] = a
	}
	return out, rows.Err()
}

// lineKey is where the books put a ledger account: its chart line (or its
// own code when the chart does not place it) and its ledger type.
type lineKey struct {
	line string
	typ  ledger.AccountType
}

// sums are raw amounts (debit positive): all postings, and of them the
// year-end closing entries'.
type sums struct{ raw, closing int64 }

// position is the ledger summed by where the books put each account.
type position struct {
	lines map[lineKey]sums
	// names of the ledger accounts the chart does not place, by code.
	names map[string]string
}

func newPosition() position {
	return position{lines: map[lineKey]sums{}, names: map[string]string{}}
}

// add puts an account's sums on its chart line.
func (c Chart) add(p position, code, name string, typ ledger.AccountType, s sums) {
	line, ok := c.Classify(code)
	if !ok {
		line = code
		p.names[code] = name
	}
	k := lineKey{line, typ}
	old := p.lines[k]
	p.lines[k] = sums{old.raw + s.raw, old.closing + s.closing}
}

func (c Chart) positionOf(accts map[int64]ledgerAccount) position {
	p := newPosition()
	for _, a := range accts {
		c.add(p, a.code, a.name, a.typ, sums{raw: a.raw})
	}
	return p
}

// balances lists the chart lines in chart order, then the unplaced ledger
// accounts, each amount taken from its sums by amount. A chart account's
// natural sign follows its own type: a member's simpanan pokok is a ledger
// liability (the member's claim) but the cooperative's equity, and both are
// credit-normal.
func (c Chart) balances(p position, amount func(sums) int64) Balances {
	raw := map[string]int64{}
	var unplaced []lineKey
	var b Balances
	for k, s := range p.lines {
		b.Raw += amount(s)
		if _, ok := c.Account(k.line); ok {
			raw[k.line] += amount(s)
			continue
		}
		unplaced = append(unplaced, k)
	}
	for _, a := range c.Accounts {
		b.Lines = append(b.Lines, Line{Code: a.Code, Name: a.Name, Type: a.Type, Amount: a.Type.Natural(raw[a.Code]), Placed: true})
	}
	slices.SortFunc(unplaced, func(x, y lineKey) int {
		return cmp.Or(strings.Compare(x.line, y.line), strings.Compare(string(x.typ), string(y.typ)))
	})
	for _, k := range unplaced {
		// An account the chart does not place is shown while it holds
		// something: one at zero leaves no total short.
		if amount(p.lines[k]) == 0 {
			continue
		}
		b.Lines = append(b.Lines, Line{Code: k.line, Name: p.names[k.line], Type: k.typ, Amount: k.typ.Natural(amount(p.lines[k]))})
	}
	return b
}

// Neraca is the balance sheet at a date. Result is income less expenses
// not yet closed into SHU tahun berjalan, shown within equity, so that
// assets = liabilities + equity + result.
type Neraca struct {
	Balances
	Assets, Liabilities, Equity, Result decimal.Decimal
}

// Difference is assets − liabilities − equity − result: zero for books
// that balance.
func (n Neraca) Difference() decimal.Decimal {
	return n.Assets.Sub(n.Liabilities).Sub(n.Equity).Sub(n.Result)
}

// NeracaAt builds the balance sheet at the end of date.
func NeracaAt(ctx context.Context, q store.Queryer, c Chart, date time.Time) (Neraca, error) {
	b, err := BalancesAt(ctx, q, c, date)
	if err != nil {
		return Neraca{}, err
	}
	return Neraca{Balances: b, Assets: b.Total(ledger.Asset), Liabilities: b.Total(ledger.Liability),
		Equity: b.Total(ledger.Equity), Result: b.Total(ledger.Income).Sub(b.Total(ledger.Expense))}, nil
}

// LabaRugi is the perhitungan hasil usaha of a period.
type LabaRugi struct {
	Balances
	From, To        time.Time
	Income, Expense decimal.Decimal
}

// SHU is the period's result before tax: income less expenses.
func (l LabaRugi) SHU() decimal.Decimal { return l.Income.Sub(l.Expense) }

// LabaRugiFor computes the perhitungan hasil usaha of [from, to].
func LabaRugiFor(ctx context.Context, q store.Queryer, c Chart, from, to time.Time) (LabaRugi, error) {
	b, err := Flows(ctx, q, c, from, to)
	if err != nil {
		return LabaRugi{}, err
	}
	return LabaRugi{Balances: b, From: from, To: to, Income: b.Total(ledger.Income), Expense: b.Total(ledger.Expense)}, nil
}

// Period is a month ("2026-11") or a year ("2026") as people ask for it.
type Period struct {
	From, To time.Time
	Label    string
}

// ParsePeriod reads "2026", "2026-11", "11/2026" or "11-2026".
func ParsePeriod(s string) (Period, error) {
	for _, layout := range []string{"2006-01", "01/2006", "01-2006", "1/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return Period{From: t, To: t.AddDate(0, 1, -1), Label: t.Format("2006-01")}, nil
		}
	}
	if t, err := time.Parse("2006", s); err == nil {
		return Period{From: t, To: t.AddDate(1, 0, -1), Label: s}, nil
	}
	return Period{}, fmt.Errorf("period %q: want YYYY or YYYY-MM", s)
}

func sortedAccounts(m map[string]ledgerAccount) []ledgerAccount {
	out := make([]ledgerAccount, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, m[k])
	}
	return out
}
