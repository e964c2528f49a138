// Package demo fills a database with a small, believable cooperative, so a
// newcomer can chat with kopbot at once, and with a large one for benchmarks.
// The data is generated from a fixed seed: the same size gives the same
// cooperative every time.
package demo

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/kopmem/kopbot/internal/config"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// Phone is the demo member's number; `kopbot demo` chats as her.
const Phone = "6281234567890"

// Size says how big a cooperative to make.
type Size struct {
	Members int
	// Months of simpanan wajib history before now.
	Months int
	// Books adds loans, the office's income and expenses, closings, the
	// SHU and the health questionnaire: the demo's, not the benchmarks'.
	Books bool
}

// Small is the demo cooperative.
var Small = Size{Members: 25, Months: 14, Books: true}

// Actor is who the generated transactions are booked by.
const Actor = "demo"

var (
	firstNames = []string{"Siti", "Budi", "Dewi", "Agus", "Rina", "Joko", "Sri", "Andi", "Wati", "Hendra",
		"Yuni", "Bambang", "Lestari", "Eko", "Nur", "Slamet", "Ratna", "Dedi", "Fitri", "Rudi"}
	lastNames = []string{"Rahayu", "Santoso", "Lestari", "Wijaya", "Susanti", "Prasetyo", "Handayani",
		"Saputra", "Kurniawan", "Wulandari", "Hidayat", "Setiawan", "Purnama", "Nugroho", "Maharani"}
)

// Seed creates the cooperative in db unless it already has members, marks
// the file as the demo's, and reports whether it did. Histories end the month before now.
func Seed(ctx context.Context, db *store.DB, size Size, now time.Time) (bool, error) {
	var n int
	if err := db.R.QueryRowContext(ctx, `SELECT count(*) FROM members`).Scan(&n); err != nil {
		return false, fmt.Errorf("seed: count members: %w", err)
	}
	if n > 0 {
		return false, nil
	}
	rng := rand.New(rand.NewPCG(2026, uint64(size.Members)))
	start := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -size.Months, 0)
	// Batches keep each transaction short enough for chat traffic to
	// interleave, yet amortise the fsync over many members.
	const batch = 250
	for first := 0; first < size.Members; first += batch {
		err := db.Write(ctx, func(tx *sql.Tx) error {
			for i := first; i < min(first+batch, size.Members); i++ {
				if err := seedMember(ctx, tx, rng, i, start, size.Months); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return false, fmt.Errorf("seed members from %d: %w", first, err)
		}
	}
	if err := mark(ctx, db); err != nil {
		return false, fmt.Errorf("seed: mark as demo: %w", err)
	}
	if size.Books {
		if err := seedBooks(ctx, db, rng, start, now, size.Months); err != nil {
			return false, fmt.Errorf("seed books: %w", err)
		}
	}
	return true, nil
}

func seedMember(ctx context.Context, tx *sql.Tx, rng *rand.Rand, i int, start time.Time, months int) error {
	m := member.Member{
		Number:   fmt.Sprintf("KMM-%05d", i+1),
		Name:     firstNames[i%len(firstNames)] + " " + lastNames[(i/len(firstNames)+i)%len(lastNames)],
		Phone:    fmt.Sprintf("62812%08d", 34567890+i),
		JoinedOn: start,
	}
	if i == 0 {
		m.Name, m.Phone = "Siti Rahayu", Phone
	}
	m, err := member.Create(ctx, tx, m)
	if err != nil {
		return err
	}
	move := func(kind savings.Kind, month, day int, amount int64, memo string) error {
		mv := savings.Movement{
			Key:      fmt.Sprintf("demo:%s:%s:%d:%d", m.Number, kind, month, day),
			MemberID: m.ID, Kind: kind, Amount: decimal.NewFromInt(amount),
			ValueDate: start.AddDate(0, month, day-1), Actor: Actor, Memo: memo,
		}
		if amount < 0 {
			mv.Amount = mv.Amount.Neg()
			_, err := savings.Withdraw(ctx, tx, mv)
			return err
		}
		_, err := savings.Deposit(ctx, tx, mv)
		return err
	}
	if err := move(savings.Pokok, 0, 1, 100_000, "Simpanan pokok"); err != nil {
		return err
	}
	var sukarela int64
	for month := range months {
		if err := move(savings.Wajib, month, 5+rng.IntN(10), 50_000, "Simpanan wajib"); err != nil {
			return err
		}
		if rng.IntN(3) == 0 {
			amount := int64(50_000 * (1 + rng.IntN(10)))
			sukarela += amount
			if err := move(savings.Sukarela, month, 20+rng.IntN(5), amount, "Setoran sukarela"); err != nil {
				return err
			}
		}
		if month%6 == 5 && sukarela >= 100_000 {
			sukarela -= 75_000
			if err := move(savings.Sukarela, month, 28, -75_000, "Penarikan sukarela"); err != nil {
				return err
			}
		}
	}
	return nil
}

// Officers are the demo cooperative's staff: a manajer and a petugas, so the
// maker-checker rule can be played through, and a pengawas, for a related
// party's loan. The terminal seats the last one.
var Officers = []config.Officer{
	{TelegramID: 1001, Name: "Bu Rina", Role: loan.RoleManajer},
	{TelegramID: 1003, Name: "Bu Sri", Role: loan.RolePengawas},
	{TelegramID: 1002, Name: "Pak Budi", Role: loan.RolePetugas},
}
