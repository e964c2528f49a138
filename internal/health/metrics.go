package health

import (
	"context"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/books"
	"github.com/kopmem/kopbot/internal/kolek"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// metric is a ratio of two inputs, in percent. IfZero is its value when
// the denominator is zero: no loans means no bad loans, no risk means the
// allowance covers it, no income means the worst efficiency.
type metric struct {
	Num, Den string
	IfZero   decimal.Decimal
}

var (
	worst = decimal.NewFromInt(999)
	none  = decimal.Zero
)

// metrics are the ratios a profile may rate, by name.
var metrics = map[string]metric{
	"ekuitas_aset":            {"ekuitas", "aset", none},
	"bopo":                    {"beban", "pendapatan", worst},
	"npm":                     {"shu", "pendapatan", none},
	"pertumbuhan_ekuitas":     {"kenaikan_ekuitas", "ekuitas_lalu", none},
	"kemandirian_operasional": {"pendapatan", "beban", worst},
	"pinjaman_aset_produktif": {"pinjaman", "aset_produktif", none},
	"npl":                     {"npl", "baki_debet", none},
	"cadangan_rpm":            {"cadangan", "rpm", worst},
	"likuiditas":              {"kas_bank", "kewajiban", worst},
	"rentabilitas_aset":       {"shu", "aset", none},
}

func knownMetric(name string) bool { _, ok := metrics[name]; return ok }

// Input names and what they are, in the order a worksheet lists them.
var inputOrder = []string{"aset", "kewajiban", "ekuitas", "ekuitas_lalu", "kenaikan_ekuitas", "pendapatan", "beban", "shu",
	"pinjaman", "aset_produktif", "kas_bank", "baki_debet", "npl", "rpm", "cadangan"}

// InputNames says each input in the Dinas's words.
var InputNames = map[string]string{
	"aset":             "Total aset (neraca)",
	"kewajiban":        "Total kewajiban",
	"ekuitas":          "Ekuitas (termasuk SHU berjalan)",
	"ekuitas_lalu":     "Ekuitas setahun sebelumnya",
	"kenaikan_ekuitas": "Kenaikan ekuitas setahun",
	"pendapatan":       "Pendapatan sejak awal tahun",
	"beban":            "Beban sejak awal tahun",
	"shu":              "SHU sejak awal tahun",
	"pinjaman":         "Pinjaman anggota",
	"aset_produktif":   "Aset produktif (pinjaman + bank)",
	"kas_bank":         "Kas dan bank",
	"baki_debet":       "Baki debet pinjaman",
	"npl":              "Pinjaman bermasalah (KL + D + M)",
	"rpm":              "Risiko pinjaman bermasalah (RPM)",
	"cadangan":         "Cadangan kerugian piutang dibukukan",
}

// Inputs are the figures the ratios are computed from, whole Rupiah.
type Inputs map[string]decimal.Decimal

// Value computes a metric in percent, two decimals.
func (in Inputs) Value(name string) decimal.Decimal {
	m := metrics[name]
	den := in[m.Den]
	if den.IsZero() {
		return m.IfZero
	}
	return in[m.Num].Mul(decimal.NewFromInt(100)).DivRound(den, 2)
}

// Gather reads the inputs at the end of date from the books and the loan
// book judged by the kolektibilitas profile kp. Run it in one read
// transaction.
func Gather(ctx context.Context, q store.Queryer, c books.Chart, kp kolek.Profile, date time.Time) (Inputs, error) {
	n, err := books.NeracaAt(ctx, q, c, date)
	if err != nil {
		return nil, fmt.Errorf("health inputs: %w", err)
	}
	before, err := books.NeracaAt(ctx, q, c, date.AddDate(-1, 0, 0))
	if err != nil {
		return nil, fmt.Errorf("health inputs: %w", err)
	}
	lr, err := books.LabaRugiFor(ctx, q, c, time.Date(date.Year(), 1, 1, 0, 0, 0, 0, time.UTC), date)
	if err != nil {
		return nil, fmt.Errorf("health inputs: %w", err)
	}
	pf, err := kolek.At(ctx, q, kp, date)
	if err != nil {
		return nil, fmt.Errorf("health inputs: %w", err)
	}
	equity := n.Equity.Add(n.Result)
	prior := before.Equity.Add(before.Result)
	loans, bank := n.Get(c.Code(books.RoleLoans)), n.Get(c.Code(books.RoleBank))
	return Inputs{
		"aset": n.Assets, "kewajiban": n.Liabilities, "ekuitas": equity, "ekuitas_lalu": prior,
		"kenaikan_ekuitas": equity.Sub(prior), "pendapatan": lr.Income, "beban": lr.Expense, "shu": lr.SHU(),
		"pinjaman": loans, "aset_produktif": loans.Add(bank), "kas_bank": n.Get(c.Code(books.RoleCash)).Add(bank),
		"baki_debet": pf.Outstanding, "npl": pf.NPL, "rpm": pf.Risk,
		"cadangan": n.Get(c.Code(books.RoleAllowance)).Neg(),
	}, nil
}
