// Package shu divides a year's sisa hasil usaha as the AD/ART says: the
// parts (cadangan, jasa modal, jasa usaha, the funds) by percentage, and
// the members' jasa modal and jasa usaha by each member's share of the
// savings and of the interest paid. Every split is floored to the Rupiah
// and the remainders given by largest fraction, so the parts sum to the
// pool exactly. A computation is replaced until a manajer approves it and
// posted once; each member can read their own, in plain words.
package shu

import (
	"embed"
	"errors"
	"fmt"
	"os"
	"sort"

	"github.com/BurntSushi/toml"
	"github.com/kopmem/kopbot/internal/books"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Schema is the SHU computations.
var Schema = store.EmbeddedSchema("shu", migrations, "migrations")

//go:embed shu.toml
var defaultSettings []byte

var (
	// ErrSettings is returned for SHU settings that cannot be used.
	ErrSettings = errors.New("SHU settings")
	// ErrNotComputed is returned for a year with no computation.
	ErrNotComputed = errors.New("SHU not computed for that year")
	// ErrApproved is returned when recomputing an approved year.
	ErrApproved = errors.New("SHU already approved")
	// ErrNotApproved is returned when distributing before approval.
	ErrNotApproved = errors.New("SHU not approved")
	// ErrDistributed is returned when changing a distributed year.
	ErrDistributed = errors.New("SHU already distributed")
	// ErrYearOpen is returned when distributing a year whose books are
	// not closed: its SHU is not yet in SHU tahun berjalan.
	ErrYearOpen = errors.New("the year's books are not closed")
	// ErrNoSHU is returned for a year without a positive SHU.
	ErrNoSHU = errors.New("no SHU to divide")
)

// The part keys with a meaning of their own.
const (
	JasaModal = "jasa_modal"
	JasaUsaha = "jasa_usaha"
)

// The modal bases and payment targets.
const (
	BasisYearEnd        = "year_end"
	BasisMonthlyAverage = "monthly_average"
	PayToSukarela       = "sukarela"
	PayToTerutang       = "terutang"
)

// Part is one share of the SHU.
type Part struct {
	Key     string          `toml:"key"`
	Name    string          `toml:"name"`
	Percent decimal.Decimal `toml:"percent"`
	// Role is the chart account the part is credited to; empty for the
	// members' parts.
	Role books.Role `toml:"role"`
}

// Settings are the AD/ART's rules.
type Settings struct {
	ModalBasis string `toml:"modal_basis"`
	PayTo      string `toml:"pay_to"`
	Parts      []Part `toml:"part"`
}

// DefaultSettings are the embedded ones.
func DefaultSettings() Settings {
	s, err := ParseSettings(defaultSettings)
	if err != nil {
		panic(err) // embedded and tested
	}
	return s
}

// LoadSettings reads a settings file; "" means the default.
func LoadSettings(file string) (Settings, error) {
	if file == "" {
		return DefaultSettings(), nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return Settings{}, fmt.Errorf("%w: %w", ErrSettings, err)
	}
	s, err := ParseSettings(b)
	if err != nil {
		return Settings{}, fmt.Errorf("%s: %w", file, err)
	}
	return s, nil
}

// ParseSettings reads and checks settings: percentages that total exactly
// 100, both members' parts present, the other parts placed by a role.
func ParseSettings(b []byte) (Settings, error) {
	var s Settings
	if _, err := toml.Decode(string(b), &s); err != nil {
		return Settings{}, fmt.Errorf("%w: %w", ErrSettings, err)
	}
	if s.ModalBasis != BasisYearEnd && s.ModalBasis != BasisMonthlyAverage {
		return Settings{}, fmt.Errorf("%w: modal_basis %q: want year_end or monthly_average", ErrSettings, s.ModalBasis)
	}
	if s.PayTo != PayToSukarela && s.PayTo != PayToTerutang {
		return Settings{}, fmt.Errorf("%w: pay_to %q: want sukarela or terutang", ErrSettings, s.PayTo)
	}
	total := decimal.Zero
	seen := map[string]bool{}
	for _, p := range s.Parts {
		switch {
		case p.Key == "" || p.Name == "":
			return Settings{}, fmt.Errorf("%w: a part has no key or name", ErrSettings)
		case seen[p.Key]:
			return Settings{}, fmt.Errorf("%w: part %s appears twice", ErrSettings, p.Key)
		case p.Percent.IsNegative():
			return Settings{}, fmt.Errorf("%w: part %s: negative percent", ErrSettings, p.Key)
		case p.Key != JasaModal && p.Key != JasaUsaha && p.Role != books.RoleReserve && p.Role != books.RoleFunds:
			return Settings{}, fmt.Errorf("%w: part %s: role must be reserve or funds", ErrSettings, p.Key)
		}
		seen[p.Key] = true
		total = total.Add(p.Percent)
	}
	if !seen[JasaModal] || !seen[JasaUsaha] {
		return Settings{}, fmt.Errorf("%w: the parts must include jasa_modal and jasa_usaha", ErrSettings)
	}
	if !total.Equal(decimal.NewFromInt(100)) {
		return Settings{}, fmt.Errorf("%w: the parts total %s%%, not 100%%", ErrSettings, total)
	}
	return s, nil
}

// part returns the part with key.
func (s Settings) part(key string) Part {
	for _, p := range s.Parts {
		if p.Key == key {
			return p
		}
	}
	return Part{}
}

// Split divides pool (whole Rupiah, ≥ 0) by weights: each share floored,
// then the remaining Rupiah given one each to the largest fractions (the
// earlier index first on a tie), so the shares sum to pool exactly. All
// weights zero gives all shares zero.
func Split(pool int64, weights []decimal.Decimal) []int64 {
	out := make([]int64, len(weights))
	total := decimal.Zero
	for _, w := range weights {
		total = total.Add(w)
	}
	if pool <= 0 || !total.IsPositive() {
		return out
	}
	type rest struct {
		i    int
		frac decimal.Decimal
	}
	rests := make([]rest, len(weights))
	left := pool
	p := decimal.NewFromInt(pool)
	for i, w := range weights {
		// Exact: the integer quotient of pool × weight by the total, and
		// its remainder as the fraction, with no division rounding.
		q, r := p.Mul(w).QuoRem(total, 0)
		out[i] = q.IntPart()
		left -= out[i]
		rests[i] = rest{i, r}
	}
	sort.SliceStable(rests, func(a, b int) bool { return rests[a].frac.GreaterThan(rests[b].frac) })
	for k := 0; left > 0; k++ {
		out[rests[k].i]++
		left--
	}
	return out
}
