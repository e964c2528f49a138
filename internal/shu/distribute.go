package shu

import (
	"context"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/books"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/store"
)

// KindSHU is the ledger kind of the SHU distribution.
const KindSHU = "shu"

// chunk bounds the members' credits in one ledger transaction: a posting
// statement carries three parameters a leg, and SQLite caps them.
const chunk = 2000

// Distribute posts an approved year's SHU out of SHU tahun berjalan: the
// reserve and funds to their chart accounts, each member's share to their
// simpanan sukarela or to SHU terutang. It posts once: its keys are the
// year's, and a distributed year says so.
func Distribute(ctx context.Context, q store.Queryer, c books.Chart, s Settings, year int, officer string, on time.Time) (Result, error) {
	r, err := Load(ctx, q, year)
	if err != nil {
		return Result{}, err
	}
	switch {
	case r.TxID != 0:
		return r, fmt.Errorf("SHU %d: %w", year, ErrDistributed)
	case r.ApprovedBy == "":
		return Result{}, fmt.Errorf("SHU %d: %w", year, ErrNotApproved)
	}
	through, err := books.ClosedThrough(ctx, q)
	if err != nil {
		return Result{}, err
	}
	if through.Before(time.Date(year, 12, 1, 0, 0, 0, 0, time.UTC)) {
		return Result{}, fmt.Errorf("SHU %d: %w", year, ErrYearOpen)
	}
	for _, role := range []books.Role{books.RoleSHUCurrent, books.RoleReserve, books.RoleFunds, books.RoleSHUPayable} {
		a, _ := c.Account(c.Code(role))
		if _, err := ledger.EnsureAccount(ctx, q, a.Code, a.Name, a.Type); err != nil {
			return Result{}, fmt.Errorf("distribute SHU %d: %w", year, err)
		}
	}
	shuAcct := c.Code(books.RoleSHUCurrent)
	var legs []ledger.Posting
	for _, p := range r.Parts {
		part := s.part(p.Key)
		if part.Role == "" || p.Amount == 0 {
			continue
		}
		legs = append(legs, ledger.Posting{Account: c.Code(part.Role), Amount: money.FromRupiah(-p.Amount)})
	}
	var first int64
	post := func(n int, legs []ledger.Posting) error {
		var sum int64
		for _, l := range legs {
			sum -= l.Amount.IntPart()
		}
		if sum == 0 {
			return nil
		}
		legs = append(legs, ledger.Posting{Account: shuAcct, Amount: money.FromRupiah(sum)})
		tx, err := ledger.Post(ctx, q, ledger.Entry{Key: fmt.Sprintf("shu:%d:%d", year, n), Kind: KindSHU, ValueDate: on,
			Actor: officer, Memo: fmt.Sprintf("Pembagian SHU %d", year), Postings: legs})
		if err != nil {
			return fmt.Errorf("distribute SHU %d: %w", year, err)
		}
		if first == 0 {
			first = tx.ID
		}
		return nil
	}
	n := 0
	for _, sh := range r.Shares {
		if sh.Total() == 0 {
			continue
		}
		to := c.Code(books.RoleSHUPayable)
		if s.PayTo == PayToSukarela {
			if to, err = savings.AccountCode(ctx, q, sh.MemberID, savings.Sukarela); err != nil {
				return Result{}, err
			}
		}
		legs = append(legs, ledger.Posting{Account: to, Amount: money.FromRupiah(-sh.Total())})
		if len(legs) >= chunk {
			if err := post(n, legs); err != nil {
				return Result{}, err
			}
			n, legs = n+1, nil
		}
	}
	if err := post(n, legs); err != nil {
		return Result{}, err
	}
	if _, err := q.ExecContext(ctx, `UPDATE shu_years SET tx_id = ? WHERE year = ?`, first, year); err != nil {
		return Result{}, fmt.Errorf("distribute SHU %d: %w", year, err)
	}
	r.TxID = first
	return r, nil
}

// Of returns the member's share of every computed year, newest first, with
// the year's figures that explain it.
func Of(ctx context.Context, q store.Queryer, memberID int64) ([]Statement, error) {
	rows, err := q.QueryContext(ctx, `SELECT year FROM shu_members WHERE member_id = ? ORDER BY year DESC`, memberID)
	if err != nil {
		return nil, fmt.Errorf("SHU of member %d: %w", memberID, err)
	}
	var years []int
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			rows.Close()
			return nil, err
		}
		years = append(years, y)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []Statement
	for _, y := range years {
		r, err := load(ctx, q, y, memberID)
		if err != nil {
			return nil, err
		}
		if len(r.Shares) == 1 {
			out = append(out, Statement{Result: r, Share: r.Shares[0]})
		}
	}
	return out, nil
}

// Statement is one member's share of one year, with the year.
type Statement struct {
	Result
	Share Share
}
