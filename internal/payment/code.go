package payment

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/store"
)

// MaxCode is the largest unique code: three digits, so the transfer is at
// most Rp999 more than what is due.
const MaxCode = 999

// DefaultCodeDays is how many days after today a code stays valid when the
// config sets none.
const DefaultCodeDays = 3

// ErrNoCode is a base amount whose 999 codes are all taken on the day.
var ErrNoCode = errors.New("every unique code of this amount is taken")

// Code is a payment code: pay Amount (Base + Code) by ValidUntil.
type Code struct {
	ID       int64
	MemberID int64
	// LoanRef, Installment and Wajib are what the base pays; the code's own
	// Rupiah go to the member's sukarela.
	LoanRef     string
	Installment decimal.Decimal
	Wajib       decimal.Decimal
	Base        decimal.Decimal
	Code        int
	Amount      decimal.Decimal
	IssuedOn    time.Time
	ValidUntil  time.Time
	Status      string
}

// Extra is the code's Rupiah, booked to sukarela.
func (c Code) Extra() decimal.Decimal { return money.FromRupiah(int64(c.Code)) }

// CodeFor returns the member's payment code for what is due: the one they
// were given already when it is still valid today and for the same amounts,
// else a new one valid through today plus days. The code is chosen at
// random among those whose transfer amount no other valid code has, so an
// amount on a statement names one member. Run it in a write transaction.
func CodeFor(ctx context.Context, q store.Queryer, memberID int64, due Due, now time.Time, days int) (Code, error) {
	c, err := codeFor(ctx, q, memberID, due, now, days)
	if err != nil {
		return Code{}, fmt.Errorf("payment code for member %d: %w", memberID, err)
	}
	return c, nil
}

func codeFor(ctx context.Context, q store.Queryer, memberID int64, due Due, now time.Time, days int) (Code, error) {
	today := now.Format(ledger.DateLayout)
	c := Code{MemberID: memberID, Installment: due.Installment, Wajib: due.Wajib, Base: due.Installment.Add(due.Wajib)}
	if due.Loan != nil && due.Installment.IsPositive() {
		c.LoanRef = due.Loan.Ref
	}
	if !c.Base.IsPositive() || !c.Base.IsInteger() {
		return Code{}, fmt.Errorf("base %s: %w", c.Base, ErrAmount)
	}
	old, err := codeWhere(ctx, q, `member_id = ? AND status = 'open' AND valid_until >= ? AND loan_ref = ? AND installment = ?
		AND wajib = ? ORDER BY id DESC LIMIT 1`, memberID, today, c.LoanRef, c.Installment.IntPart(), c.Wajib.IntPart())
	if err == nil || !errors.Is(err, errNoCodeRow) {
		return old, err
	}
	rows, err := q.QueryContext(ctx, `SELECT amount - ? FROM payment_codes WHERE amount BETWEEN ? AND ?
		AND valid_until >= ? AND status IN ('open', 'matched')`, c.Base.IntPart(), c.Base.IntPart()+1,
		c.Base.IntPart()+MaxCode, today)
	if err != nil {
		return Code{}, err
	}
	taken := map[int]bool{}
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return Code{}, err
		}
		taken[n] = true
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return Code{}, err
	}
	free := make([]int, 0, MaxCode-len(taken))
	for n := 1; n <= MaxCode; n++ {
		if !taken[n] {
			free = append(free, n)
		}
	}
	if len(free) == 0 {
		return Code{}, fmt.Errorf("base %s: %w", c.Base, ErrNoCode)
	}
	c.Code = free[rand.IntN(len(free))]
	c.Amount = c.Base.Add(c.Extra())
	c.IssuedOn = dayOf(now)
	c.ValidUntil = c.IssuedOn.AddDate(0, 0, days)
	c.Status = "open"
	if err := q.QueryRowContext(ctx, `INSERT INTO payment_codes (member_id, loan_ref, installment, wajib, base, code, amount,
		issued_on, valid_until, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, memberID, c.LoanRef,
		c.Installment.IntPart(), c.Wajib.IntPart(), c.Base.IntPart(), c.Code, c.Amount.IntPart(), today,
		c.ValidUntil.Format(ledger.DateLayout), store.Stamp(now)).Scan(&c.ID); err != nil {
		return Code{}, fmt.Errorf("insert: %w", err)
	}
	return c, nil
}

// dayOf is the calendar day of t in t's zone, at midnight.
func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// CodeByID returns a payment code.
func CodeByID(ctx context.Context, q store.Queryer, id int64) (Code, error) {
	c, err := codeWhere(ctx, q, `id = ?`, id)
	if err != nil {
		return Code{}, fmt.Errorf("payment code %d: %w", id, err)
	}
	return c, nil
}

// errNoCodeRow is a look-up that found no code.
var errNoCodeRow = errors.New("no such payment code")

const codeColumns = `id, member_id, loan_ref, installment, wajib, base, code, amount, issued_on, valid_until, status`

func codeWhere(ctx context.Context, q store.Queryer, where string, args ...any) (Code, error) {
	var c Code
	var installment, wajib, base, amount int64
	var issued, until string
	err := q.QueryRowContext(ctx, `SELECT `+codeColumns+` FROM payment_codes WHERE `+where, args...).Scan(&c.ID, &c.MemberID,
		&c.LoanRef, &installment, &wajib, &base, &c.Code, &amount, &issued, &until, &c.Status)
	if errors.Is(err, sql.ErrNoRows) {
		return Code{}, errNoCodeRow
	}
	if err != nil {
		return Code{}, err
	}
	c.Installment, c.Wajib, c.Base, c.Amount = money.FromRupiah(installment), money.FromRupiah(wajib),
		money.FromRupiah(base), money.FromRupiah(amount)
	for _, f := range []struct {
		s string
		t *time.Time
	}{{issued, &c.IssuedOn}, {until, &c.ValidUntil}} {
		if *f.t, err = time.Parse(ledger.DateLayout, f.s); err != nil {
			return Code{}, fmt.Errorf("code %d: date %q: %w", c.ID, f.s, err)
		}
	}
	return c, nil
}

// CodeRef is how officers name a code on a card: KU-12 (kode unik).
func (c Code) Ref() string { return "KU-" + strconv.FormatInt(c.ID, 10) }
