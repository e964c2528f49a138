package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/kopmem/kopbot/internal/money"
	"github.com/shopspring/decimal"
)

// model is the ledger as the test believes it to be. The single writer
// connection runs db.Write callbacks one at a time, so updating the model
// inside the callback keeps it in step with what commits.
type model struct {
	mu       sync.Mutex
	raw      map[string]int64 // raw balance by account code
	posted   []Tx
	reversed map[int64]bool
}

func (m *model) apply(tx Tx) {
	for _, p := range tx.Postings {
		m.raw[p.Account] += p.Amount.IntPart()
	}
	m.posted = append(m.posted, tx)
	if tx.Reverses != 0 {
		m.reversed[tx.Reverses] = true
	}
}

// randomEntry returns a balanced entry over 2 to 4 random accounts.
func randomEntry(rng *rand.Rand, key string, codes []string) Entry {
	n := 2 + rng.IntN(3)
	ps := make([]Posting, n)
	var sum int64
	for i := range n - 1 {
		a := rng.Int64N(2_000_000) + 1
		if rng.IntN(2) == 0 {
			a = -a
		}
		ps[i] = Posting{Account: codes[rng.IntN(len(codes))], Amount: rp(a)}
		sum += a
	}
	if sum == 0 { // the closing leg must not be zero
		ps[0].Amount = ps[0].Amount.Add(rp(1))
		sum++
	}
	ps[n-1] = Posting{Account: codes[rng.IntN(len(codes))], Amount: rp(-sum)}
	return Entry{Key: key, Kind: "random", ValueDate: day, Actor: "prop", Postings: ps}
}

// spoil makes e invalid in one of several ways and says which error to expect.
func spoil(rng *rand.Rand, e Entry) (Entry, error) {
	e.Postings = append([]Posting(nil), e.Postings...)
	switch rng.IntN(4) {
	case 0:
		e.Postings[0].Amount = e.Postings[0].Amount.Add(rp(1))
		return e, ErrUnbalanced
	case 1:
		e.Postings[1].Account = "GHOST"
		return e, ErrUnknownAccount
	case 2:
		e.Postings = append(e.Postings, Posting{Account: e.Postings[0].Account, Amount: decimal.Zero})
		return e, ErrZeroAmount
	default:
		half := decimal.RequireFromString("0.5")
		e.Postings[0].Amount = e.Postings[0].Amount.Add(half)
		e.Postings[1].Amount = e.Postings[1].Amount.Sub(half)
		return e, money.ErrNotWhole
	}
}

func TestPropertyRandomLedger(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTB(t)
	types := []AccountType{Asset, Liability, Equity, Income, Expense}
	var codes []string
	for i := range 12 {
		code := fmt.Sprintf("ACC-%02d", i)
		mustEnsure(t, db, code, types[i%len(types)])
		codes = append(codes, code)
	}
	m := &model{raw: map[string]int64{}, reversed: map[int64]bool{}}
	workers, ops := 4, 600
	if testing.Short() || raceEnabled {
		ops = 200
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(20260314, uint64(w)))
			for i := range ops {
				key := fmt.Sprintf("w%d-%d", w, i)
				if err := db.Write(ctx, func(q *sql.Tx) error { return step(ctx, q, rng, m, key, codes) }); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	mustCheck(t, db)
	accounts, err := Balances(ctx, db.R, codes...)
	if err != nil {
		t.Fatal(err)
	}
	for i, code := range codes {
		if want := types[i%len(types)].Natural(m.raw[code]); !accounts[code].Equal(want) {
			t.Errorf("%s = %s, model says %s", code, accounts[code], want)
		}
	}
	var n int
	if err := db.R.QueryRowContext(ctx, `SELECT count(*) FROM ledger_transactions`).Scan(&n); err != nil || n != len(m.posted) {
		t.Errorf("transactions = %d, %v; model has %d", n, err, len(m.posted))
	}
}

// step performs one random operation inside a write transaction and checks
// its outcome against the model. Expected refusals return nil, so the
// transaction commits nothing and the run goes on.
func step(ctx context.Context, q *sql.Tx, rng *rand.Rand, m *model, key string, codes []string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch r := rng.IntN(100); {
	case r < 10 && len(m.posted) > 0: // replay an earlier transaction
		old := m.posted[rng.IntN(len(m.posted))]
		if old.Reverses != 0 {
			return nil
		}
		tx, err := Post(ctx, q, Entry{Key: old.Key, Kind: old.Kind, ValueDate: old.ValueDate, Actor: "prop", Postings: old.Postings})
		if err != nil || !tx.Replayed || tx.ID != old.ID {
			return fmt.Errorf("replay of %s = %+v, %v", old.Key, tx, err)
		}
	case r < 20 && len(m.posted) > 0:
		old := m.posted[rng.IntN(len(m.posted))]
		tx, err := Reverse(ctx, q, old.ID, "rev-"+key, "prop", "", day)
		var want error
		switch {
		case old.Reverses != 0:
			want = ErrNotReversible
		case m.reversed[old.ID]:
			want = ErrAlreadyReversed
		}
		if want != nil {
			if !errors.Is(err, want) {
				return fmt.Errorf("reverse %d: err = %v, want %v", old.ID, err, want)
			}
			return nil
		}
		if err != nil {
			return err
		}
		m.apply(tx)
	case r < 28:
		e, want := spoil(rng, randomEntry(rng, key, codes))
		if _, err := Post(ctx, q, e); !errors.Is(err, want) {
			return fmt.Errorf("invalid entry %+v: err = %v, want %v", e, err, want)
		}
	default:
		tx, err := Post(ctx, q, randomEntry(rng, key, codes))
		if err != nil {
			return err
		}
		m.apply(tx)
	}
	return nil
}
