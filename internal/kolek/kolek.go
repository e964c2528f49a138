// Package kolek judges the loan book the way a supervisor does: each loan's
// days past due, counted from its oldest installment not fully paid, and
// its class (kolektibilitas) under a profile kept as data; the portfolio's
// counts and outstanding per class, NPL, the problem-loan risk (RPM), the
// allowance the classes require and the allowance the books hold; and the
// month-end posting that tops the allowance up. A class is an officer's
// and the board's figure: members never see it.
package kolek

import (
	"embed"
	"errors"
	"fmt"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/kopmem/kopbot/internal/ruleset"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Schema is the class history and the recorded collateral.
var Schema = store.EmbeddedSchema("kolek", migrations, "migrations")

//go:embed profiles.toml
var profilesData []byte

// DefaultProfile is the profile used when the config names none.
const DefaultProfile = "ksp"

// ErrProfile is returned for a profile that is unknown or cannot be used.
var ErrProfile = errors.New("kolektibilitas profile")

// Class is one collectibility class of a profile.
type Class struct {
	Code string `toml:"code"`
	Name string `toml:"name"`
	// MaxDays is the most days past due the class holds; -1 for no limit.
	MaxDays int `toml:"max_days"`
	// MinCollateral, when set, is the share of the outstanding principal
	// the recorded collateral must cover for the class; else the loan
	// falls to the next class.
	MinCollateral decimal.Decimal `toml:"min_collateral"`
	// MaxMonthsUnpaid, when set, sends a loan without any payment for
	// longer than this to the next class.
	MaxMonthsUnpaid int `toml:"max_months_unpaid"`
	// Allowance is the share of the outstanding set aside (PPAP).
	Allowance decimal.Decimal `toml:"allowance"`
	// Risk is the class's weight in the problem-loan risk (RPM).
	Risk decimal.Decimal `toml:"risk"`
	// NPL marks the non-performing classes.
	NPL bool `toml:"npl"`
}

// Profile is a named set of classes.
type Profile struct {
	Key     string
	Name    string  `toml:"name"`
	Source  string  `toml:"source"`
	Classes []Class `toml:"class"`
}

// Profiles returns the embedded profiles by key.
func Profiles() map[string]Profile {
	ps, err := ParseProfiles(profilesData)
	if err != nil {
		panic(err) // embedded and tested
	}
	return ps
}

// Lookup returns the embedded profile key ("" is DefaultProfile).
func Lookup(key string) (Profile, error) {
	return ruleset.Lookup(Profiles(), key, DefaultProfile, ErrProfile)
}

// WithFile is the embedded profiles and, when file is set, the profiles
// in that file (the format of profiles.toml), which replace the embedded
// ones of their keys or add new keys: a Dinas correction needs no rebuild.
func WithFile(file string) (map[string]Profile, error) {
	return ruleset.WithFile(Profiles(), file, ParseProfiles, ErrProfile)
}

// ParseProfiles reads and checks profiles: at least two classes, days in
// increasing order, the last class unbounded, rates between 0 and 1.
func ParseProfiles(b []byte) (map[string]Profile, error) {
	var raw map[string]Profile
	if _, err := toml.Decode(string(b), &raw); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrProfile, err)
	}
	one := decimal.NewFromInt(1)
	for key, p := range raw {
		p.Key = key
		if len(p.Classes) < 2 {
			return nil, fmt.Errorf("%w %s: needs at least two classes", ErrProfile, key)
		}
		prev := -1
		for i, c := range p.Classes {
			last := i == len(p.Classes)-1
			switch {
			case c.Code == "" || c.Name == "":
				return nil, fmt.Errorf("%w %s: class %d has no code or name", ErrProfile, key, i+1)
			case last && c.MaxDays != -1:
				return nil, fmt.Errorf("%w %s: the last class %s must have max_days = -1", ErrProfile, key, c.Code)
			case c.MaxDays != -1 && c.MaxDays <= prev && i > 0:
				return nil, fmt.Errorf("%w %s: class %s: max_days must grow", ErrProfile, key, c.Code)
			case c.Allowance.IsNegative() || c.Allowance.GreaterThan(one) || c.Risk.IsNegative() || c.Risk.GreaterThan(one):
				return nil, fmt.Errorf("%w %s: class %s: rates must be between 0 and 1", ErrProfile, key, c.Code)
			case (c.MinCollateral.IsPositive() || c.MaxMonthsUnpaid > 0) && last:
				return nil, fmt.Errorf("%w %s: the last class %s has nowhere to fall to", ErrProfile, key, c.Code)
			}
			if c.MaxDays != -1 {
				prev = c.MaxDays
			}
		}
		raw[key] = p
	}
	return raw, nil
}

// Facts are what a loan's class is judged on.
type Facts struct {
	DPD         int
	Outstanding decimal.Decimal
	Collateral  decimal.Decimal
	// LastPaid is the latest payment still standing; zero when none.
	LastPaid time.Time
	// Disbursed counts as the last payment for a loan never paid.
	Disbursed time.Time
}

// Classify returns the index of the class f falls in.
func (p Profile) Classify(f Facts, asOf time.Time) int {
	i := 0
	for i < len(p.Classes)-1 && p.Classes[i].MaxDays != -1 && f.DPD > p.Classes[i].MaxDays {
		i++
	}
	for i < len(p.Classes)-1 {
		c := p.Classes[i]
		if c.MinCollateral.IsPositive() && f.Collateral.LessThan(f.Outstanding.Mul(c.MinCollateral)) {
			i++
			continue
		}
		if c.MaxMonthsUnpaid > 0 {
			since := f.LastPaid
			if since.IsZero() {
				since = f.Disbursed
			}
			if since.AddDate(0, c.MaxMonthsUnpaid, 0).Before(asOf) {
				i++
				continue
			}
		}
		break
	}
	return i
}

// index returns the position of the class with code.
func (p Profile) index(code string) int {
	for i, c := range p.Classes {
		if c.Code == code {
			return i
		}
	}
	return -1
}

// Codes lists the class codes in order.
func (p Profile) Codes() []string {
	out := make([]string, len(p.Classes))
	for i, c := range p.Classes {
		out[i] = c.Code
	}
	return out
}
