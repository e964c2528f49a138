package demo

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/kopmem/kopbot/internal/books"
	"github.com/kopmem/kopbot/internal/duty"
	"github.com/kopmem/kopbot/internal/health"
	"github.com/kopmem/kopbot/internal/kolek"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/shu"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// borrower is one demo loan: whose, when, and how it is repaid.
type borrower struct {
	member int // index of the member, never Siti (0), whose chat the demo plays
	month  int // months after the history's start it is disbursed
	amount int64
	// paid is how many installments are paid on their due date before the
	// member stops paying; -1 pays everything due.
	paid int
}

var borrowers = []borrower{
	{1, 0, 5_000_000, -1}, {2, 0, 4_000_000, -1}, {3, 1, 2_000_000, 4}, {5, 1, 4_000_000, -1},
	{7, 2, 5_000_000, -1}, {8, 4, 1_500_000, 2}, {11, 6, 6_000_000, -1}, {13, 9, 4_000_000, 8},
}

// seedBooks gives the demo cooperative a year of books: loans repaid (a few
// in arrears), the office's monthly income and expenses, the month-end
// allowance, last year closed with its SHU computed and approved, and the
// health questionnaire answered, so /neraca, /kolek, /kesehatan and shu
// show something real.
func seedBooks(ctx context.Context, db *store.DB, rng *rand.Rand, start, now time.Time, months int) error {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	chart := books.DefaultChart()
	kp, err := kolek.Lookup("")
	if err != nil {
		return err
	}
	for _, b := range borrowers {
		if b.month >= months {
			continue
		}
		if err := db.Write(ctx, func(tx *sql.Tx) error { return seedLoan(ctx, tx, b, start, today) }); err != nil {
			return fmt.Errorf("seed loan of member %d: %w", b.member+1, err)
		}
	}
	for m := range months {
		first := start.AddDate(0, m, 0)
		last := first.AddDate(0, 1, -1)
		if !last.Before(today) {
			break
		}
		err := db.Write(ctx, func(tx *sql.Tx) error {
			for _, j := range []struct {
				account string
				amount  int64
				day     int
				memo    string
			}{
				{"4103", 20_000 + 5_000*int64(rng.IntN(4)), 15, "Biaya administrasi dan buku anggota"},
				{"5201", 100_000, 25, "Honor pengelola"},
				{"5202", 25_000 + 5_000*int64(rng.IntN(6)), 20, "Listrik, ATK dan pulsa"},
			} {
				if _, err := books.Record(ctx, tx, chart, books.Journal{Key: fmt.Sprintf("demo:%s:%s", first.Format("2006-01"), j.account),
					Account: j.account, Via: chart.Code(books.RoleCash), Amount: decimal.NewFromInt(j.amount),
					Date: first.AddDate(0, 0, j.day-1), Memo: j.memo, Officer: Actor}, duty.DefaultRules(), now); err != nil {
					return err
				}
			}
			pf, err := kolek.Refresh(ctx, tx, kp, last)
			if err != nil {
				return err
			}
			_, err = kolek.PostAllowance(ctx, tx, chart, pf, Actor)
			return err
		})
		if err != nil {
			return fmt.Errorf("seed books of %s: %w", first.Format("2006-01"), err)
		}
	}
	return db.Write(ctx, func(tx *sql.Tx) error {
		if _, err := kolek.Refresh(ctx, tx, kp, today); err != nil {
			return err
		}
		lastYear := today.Year() - 1
		if start.Year() <= lastYear {
			if _, err := books.Close(ctx, tx, chart, time.Date(lastYear, 12, 1, 0, 0, 0, 0, time.UTC), today, Actor, now); err != nil {
				return err
			}
			if _, err := shu.Compute(ctx, tx, chart, shu.DefaultSettings(), lastYear, nil, Actor, now); err == nil {
				if _, err := shu.Approve(ctx, tx, lastYear, Actor); err != nil {
					return err
				}
			}
		}
		for profile, answers := range map[string]map[string]int{"2021": {"TK1": 8, "TK2": 7, "PR1": 6}, "2016": {"M1": 15, "J1": 7}} {
			p, err := health.Lookup(profile)
			if err != nil {
				return err
			}
			for key, met := range answers {
				in, _ := p.Indicator(key)
				if err := health.SaveAnswer(ctx, tx, p, health.Answer{Indicator: key, Met: met, Of: in.Questions, On: today,
					Officer: Actor, Note: "Isian contoh koperasi demo"}); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func seedLoan(ctx context.Context, tx *sql.Tx, b borrower, start, today time.Time) error {
	m, err := member.ByNumber(ctx, tx, fmt.Sprintf("KMM-%05d", b.member+1))
	if err != nil {
		return err
	}
	on := start.AddDate(0, b.month, 9)
	amount := decimal.NewFromInt(b.amount)
	// Borrowers save a sukarela lump first, so the plafon (three times the
	// savings) covers the loan.
	if _, err := savings.Deposit(ctx, tx, savings.Movement{Key: fmt.Sprintf("demo:%s:plafon", m.Number), MemberID: m.ID,
		Kind: savings.Sukarela, Amount: amount.Div(decimal.NewFromInt(3)).Ceil(), ValueDate: on, Actor: Actor,
		Memo: "Setoran sukarela"}); err != nil {
		return err
	}
	cat, err := loan.NewCatalog(loan.DefaultProducts()...)
	if err != nil {
		return err
	}
	a, err := loan.Apply(ctx, tx, loan.Request{Key: "demo:apply:" + m.Number, MemberID: m.ID, Product: "USAHA",
		Amount: amount, Tenor: 12, Purpose: "modal usaha", Now: on}, cat, loan.DefaultPolicy())
	if err != nil {
		return err
	}
	for _, d := range []loan.Decision{
		{AppRef: a.Ref, OfficerID: "1002", Role: loan.RolePetugas, Verdict: loan.Approve, Now: on},
		{AppRef: a.Ref, OfficerID: "1001", Role: loan.RoleManajer, Verdict: loan.Approve, Now: on},
	} {
		o, err := loan.Decide(ctx, tx, d, loan.DefaultPolicy())
		if err != nil {
			return err
		}
		if o.Final {
			break
		}
	}
	l, _, err := loan.Disburse(ctx, tx, a.Ref, "1001", on)
	if err != nil {
		return err
	}
	chart := books.DefaultChart()
	if _, err := books.Record(ctx, tx, chart, books.Journal{Key: "demo:provisi:" + l.Ref, Account: "4103",
		Via: chart.Code(books.RoleCash), Amount: amount.Div(decimal.NewFromInt(100)).Round(0), Date: on,
		Memo: "Provisi 1% " + l.Ref, Officer: Actor}, duty.DefaultRules(), on); err != nil {
		return err
	}
	st, err := loan.LoanStatusOf(ctx, tx, l.Ref, on)
	if err != nil {
		return err
	}
	for i, in := range st.Schedule {
		if !in.Due.Before(today) || (b.paid >= 0 && i >= b.paid) {
			break
		}
		if _, err := loan.Repay(ctx, tx, loan.Payment{Key: fmt.Sprintf("demo:%s:%d", l.Ref, in.No), LoanRef: l.Ref,
			Amount: in.Principal.Add(in.Interest), On: in.Due, OfficerID: "1002"}); err != nil {
			return err
		}
	}
	return nil
}
