package shu

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/books"
	"github.com/kopmem/kopbot/internal/ledger"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// Share is one member's SHU.
type Share struct {
	MemberID int64
	// Modal is the member's simpanan pokok + wajib on the basis; Usaha the
	// interest they paid in the year.
	Modal, Usaha         decimal.Decimal
	JasaModal, JasaUsaha int64
}

// Total is the member's whole SHU.
func (s Share) Total() int64 { return s.JasaModal + s.JasaUsaha }

// PartAmount is one part of the SHU in Rupiah.
type PartAmount struct {
	Part
	Amount int64
}

// Result is a year's computation.
type Result struct {
	Year      int
	SHU       int64
	FromBooks bool
	Parts     []PartAmount
	// The members' pools and the totals they are shared by.
	ModalPool, UsahaPool   int64
	ModalTotal, UsahaTotal decimal.Decimal
	ModalPct, UsahaPct     decimal.Decimal
	ModalBasis             string
	// Unshared is a members' pool no member had a basis for, added to
	// the reserve.
	Unshared               int64
	Shares                 []Share
	ComputedBy, ApprovedBy string
	TxID                   int64
}

// Compute divides the year's SHU — from the books (income less expenses of
// the year), or typed when shu is not nil — and stores the computation,
// replacing an earlier one that is not yet approved.
func Compute(ctx context.Context, q store.Queryer, c books.Chart, s Settings, year int, typed *decimal.Decimal,
	officer string, now time.Time) (Result, error) {
	if old, err := Load(ctx, q, year); err == nil && old.ApprovedBy != "" {
		return Result{}, fmt.Errorf("SHU %d: %w", year, ErrApproved)
	} else if err != nil && !errors.Is(err, ErrNotComputed) {
		return Result{}, err
	}
	from, to := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
	r := Result{Year: year, ModalBasis: s.ModalBasis, ComputedBy: officer, ModalPct: s.part(JasaModal).Percent,
		UsahaPct: s.part(JasaUsaha).Percent}
	amount := decimal.Zero
	if typed != nil {
		amount = *typed
	} else {
		lr, err := books.LabaRugiFor(ctx, q, c, from, to)
		if err != nil {
			return Result{}, err
		}
		amount, r.FromBooks = lr.SHU(), true
	}
	shu, err := money.ToRupiah(amount)
	if err != nil || shu <= 0 {
		return Result{}, fmt.Errorf("SHU %d is %s: %w", year, amount, ErrNoSHU)
	}
	r.SHU = shu
	weights := make([]decimal.Decimal, len(s.Parts))
	for i, p := range s.Parts {
		weights[i] = p.Percent
	}
	for i, amt := range Split(shu, weights) {
		r.Parts = append(r.Parts, PartAmount{Part: s.Parts[i], Amount: amt})
		switch s.Parts[i].Key {
		case JasaModal:
			r.ModalPool = amt
		case JasaUsaha:
			r.UsahaPool = amt
		}
	}
	modal, err := modalBases(ctx, q, s.ModalBasis, year)
	if err != nil {
		return Result{}, err
	}
	usaha, err := interestPaid(ctx, q, from, to)
	if err != nil {
		return Result{}, err
	}
	r.Shares = shares(modal, usaha)
	mw, uw := make([]decimal.Decimal, len(r.Shares)), make([]decimal.Decimal, len(r.Shares))
	for i, sh := range r.Shares {
		mw[i], uw[i] = sh.Modal, sh.Usaha
		r.ModalTotal, r.UsahaTotal = r.ModalTotal.Add(sh.Modal), r.UsahaTotal.Add(sh.Usaha)
	}
	for i, v := range Split(r.ModalPool, mw) {
		r.Shares[i].JasaModal = v
	}
	for i, v := range Split(r.UsahaPool, uw) {
		r.Shares[i].JasaUsaha = v
	}
	// A pool no member has a basis for (no interest paid all year) cannot
	// be shared; it goes to the reserve rather than stay unbooked.
	for _, pool := range []struct {
		key    string
		amount *int64
		total  decimal.Decimal
	}{{JasaModal, &r.ModalPool, r.ModalTotal}, {JasaUsaha, &r.UsahaPool, r.UsahaTotal}} {
		if pool.total.IsPositive() || *pool.amount == 0 {
			continue
		}
		r.Unshared += *pool.amount
		for i := range r.Parts {
			switch {
			case r.Parts[i].Key == pool.key:
				r.Parts[i].Amount = 0
			case r.Parts[i].Role == books.RoleReserve:
				r.Parts[i].Amount += *pool.amount
			}
		}
		*pool.amount = 0
	}
	if err := save(ctx, q, r, now); err != nil {
		return Result{}, err
	}
	return r, nil
}

// shares lists every member with savings or paid interest, by member id.
func shares(modal, usaha map[int64]decimal.Decimal) []Share {
	ids := map[int64]bool{}
	for id, v := range modal {
		if v.IsPositive() {
			ids[id] = true
		}
	}
	for id, v := range usaha {
		if v.IsPositive() {
			ids[id] = true
		}
	}
	out := make([]Share, 0, len(ids))
	for id := range ids {
		m, u := modal[id], usaha[id]
		if !m.IsPositive() {
			m = decimal.Zero
		}
		if !u.IsPositive() {
			u = decimal.Zero
		}
		out = append(out, Share{MemberID: id, Modal: m, Usaha: u})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].MemberID < out[j].MemberID })
	return out
}

// modalBases is each member's simpanan pokok + wajib: on 31 December, or
// the average of the twelve month-ends.
func modalBases(ctx context.Context, q store.Queryer, basis string, year int) (map[int64]decimal.Decimal, error) {
	ends := []time.Time{time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)}
	if basis == BasisMonthlyAverage {
		ends = ends[:0]
		for m := time.January; m <= time.December; m++ {
			ends = append(ends, time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC))
		}
	}
	out := map[int64]decimal.Decimal{}
	for _, end := range ends {
		rows, err := q.QueryContext(ctx, `SELECT s.member_id, sum(a.balance - coalesce(later.s, 0)) FROM savings_accounts s
			JOIN ledger_accounts a ON a.id = s.account_id
			LEFT JOIN (SELECT p.account_id, sum(p.amount) AS s FROM ledger_transactions t CROSS JOIN ledger_postings p ON p.tx_id = t.id
				WHERE t.value_date > ? GROUP BY p.account_id) later ON later.account_id = a.id
			WHERE s.kind IN ('pokok', 'wajib') GROUP BY s.member_id`, end.Format(ledger.DateLayout))
		if err != nil {
			return nil, fmt.Errorf("modal of %s: %w", end.Format(ledger.DateLayout), err)
		}
		for rows.Next() {
			var id, raw int64
			if err := rows.Scan(&id, &raw); err != nil {
				rows.Close()
				return nil, fmt.Errorf("modal: %w", err)
			}
			// Savings are credits: the raw balance is negative.
			out[id] = out[id].Add(money.FromRupiah(-raw))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("modal: %w", err)
		}
	}
	if n := decimal.NewFromInt(int64(len(ends))); len(ends) > 1 {
		for id, v := range out {
			out[id] = v.Div(n)
		}
	}
	return out, nil
}

// interestPaid is the loan interest (bunga) each member paid in [from, to],
// net of reversals.
func interestPaid(ctx context.Context, q store.Queryer, from, to time.Time) (map[int64]decimal.Decimal, error) {
	rows, err := q.QueryContext(ctx, `SELECT l.member_id, sum(a.amount) FROM loan_allocations a
		JOIN loan_payments p ON p.id = a.payment_id JOIN loan_loans l ON l.id = a.loan_id
		WHERE a.part = 'bunga' AND p.paid_on BETWEEN ? AND ? GROUP BY l.member_id`,
		from.Format(ledger.DateLayout), to.Format(ledger.DateLayout))
	if err != nil {
		return nil, fmt.Errorf("interest paid: %w", err)
	}
	defer rows.Close()
	out := map[int64]decimal.Decimal{}
	for rows.Next() {
		var id, amount int64
		if err := rows.Scan(&id, &amount); err != nil {
			return nil, fmt.Errorf("interest paid: %w", err)
		}
		out[id] = money.FromRupiah(amount)
	}
	return out, rows.Err()
}

func save(ctx context.Context, q store.Queryer, r Result, now time.Time) error {
	for _, stmt := range []string{`DELETE FROM shu_members WHERE year = ?`, `DELETE FROM shu_years WHERE year = ?`} {
		if _, err := q.ExecContext(ctx, stmt, r.Year); err != nil {
			return fmt.Errorf("store SHU %d: %w", r.Year, err)
		}
	}
	parts := make([]string, len(r.Parts))
	for i, p := range r.Parts {
		parts[i] = p.Key + "=" + strconv.FormatInt(p.Amount, 10)
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO shu_years (year, shu, from_books, modal_pool, usaha_pool, modal_total, usaha_total,
		modal_pct, usaha_pct, modal_basis, parts, computed_by, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.Year, r.SHU, r.FromBooks, r.ModalPool, r.UsahaPool, r.ModalTotal.Round(0).IntPart(), r.UsahaTotal.Round(0).IntPart(),
		r.ModalPct.String(), r.UsahaPct.String(), r.ModalBasis, strings.Join(parts, ";"), r.ComputedBy, store.Stamp(now)); err != nil {
		return fmt.Errorf("store SHU %d: %w", r.Year, err)
	}
	for _, sh := range r.Shares {
		if _, err := q.ExecContext(ctx, `INSERT INTO shu_members (year, member_id, modal, usaha, jasa_modal, jasa_usaha)
			VALUES (?, ?, ?, ?, ?, ?)`, r.Year, sh.MemberID, sh.Modal.Round(0).IntPart(), sh.Usaha.Round(0).IntPart(),
			sh.JasaModal, sh.JasaUsaha); err != nil {
			return fmt.Errorf("store SHU %d: %w", r.Year, err)
		}
	}
	return nil
}

// Load reads a year's computation back.
func Load(ctx context.Context, q store.Queryer, year int) (Result, error) {
	return load(ctx, q, year, 0)
}

// load reads a year's computation with every member's share, or only
// memberID's when it is not 0.
func load(ctx context.Context, q store.Queryer, year int, memberID int64) (Result, error) {
	r := Result{Year: year}
	var modalTotal, usahaTotal int64
	var modalPct, usahaPct, parts string
	var approved sql.NullString
	var tx sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT shu, from_books, modal_pool, usaha_pool, modal_total, usaha_total, modal_pct, usaha_pct,
		modal_basis, parts, computed_by, approved_by, tx_id FROM shu_years WHERE year = ?`, year).
		Scan(&r.SHU, &r.FromBooks, &r.ModalPool, &r.UsahaPool, &modalTotal, &usahaTotal, &modalPct, &usahaPct,
			&r.ModalBasis, &parts, &r.ComputedBy, &approved, &tx)
	if errors.Is(err, sql.ErrNoRows) {
		return Result{}, fmt.Errorf("SHU %d: %w", year, ErrNotComputed)
	}
	if err != nil {
		return Result{}, fmt.Errorf("SHU %d: %w", year, err)
	}
	r.ModalTotal, r.UsahaTotal = money.FromRupiah(modalTotal), money.FromRupiah(usahaTotal)
	r.ModalPct, r.UsahaPct = decimal.RequireFromString(modalPct), decimal.RequireFromString(usahaPct)
	r.ApprovedBy, r.TxID = approved.String, tx.Int64
	for _, kv := range strings.Split(parts, ";") {
		k, v, _ := strings.Cut(kv, "=")
		n, _ := strconv.ParseInt(v, 10, 64) // written by store
		r.Parts = append(r.Parts, PartAmount{Part: Part{Key: k}, Amount: n})
	}
	rows, err := q.QueryContext(ctx, `SELECT member_id, modal, usaha, jasa_modal, jasa_usaha FROM shu_members
		WHERE year = ? AND (? = 0 OR member_id = ?) ORDER BY member_id`, year, memberID, memberID)
	if err != nil {
		return Result{}, fmt.Errorf("SHU %d: %w", year, err)
	}
	defer rows.Close()
	for rows.Next() {
		var sh Share
		var modal, usaha int64
		if err := rows.Scan(&sh.MemberID, &modal, &usaha, &sh.JasaModal, &sh.JasaUsaha); err != nil {
			return Result{}, fmt.Errorf("SHU %d: %w", year, err)
		}
		sh.Modal, sh.Usaha = money.FromRupiah(modal), money.FromRupiah(usaha)
		r.Shares = append(r.Shares, sh)
	}
	return r, rows.Err()
}

// Approve records a manajer's approval of a year's computation.
func Approve(ctx context.Context, q store.Queryer, year int, officer string) (Result, error) {
	r, err := Load(ctx, q, year)
	if err != nil {
		return Result{}, err
	}
	if r.TxID != 0 {
		return Result{}, fmt.Errorf("SHU %d: %w", year, ErrDistributed)
	}
	if r.ApprovedBy == "" {
		if _, err := q.ExecContext(ctx, `UPDATE shu_years SET approved_by = ? WHERE year = ?`, officer, year); err != nil {
			return Result{}, fmt.Errorf("approve SHU %d: %w", year, err)
		}
		r.ApprovedBy = officer
	}
	return r, nil
}
