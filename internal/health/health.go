// Package health is the pemeriksaan kesehatan KSP: rule profiles kept as
// data (the current Permenkop 9/2020 with Juknis 15/2021, and the older
// Per.Dep 06/2016 seven aspects), the ratios computed from the books for a
// date, the manajer's questionnaire answers, and the score, band and the
// indicators that cost the most. Where a threshold is uncertain it is a
// value in the profile file for a Dinas to correct, never a Go constant.
package health

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"

	"github.com/BurntSushi/toml"
	"github.com/kopmem/kopbot/internal/ruleset"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Schema is the questionnaire answers.
var Schema = store.EmbeddedSchema("health", migrations, "migrations")

//go:embed profiles/*.toml
var profileFiles embed.FS

// DefaultProfile is the current rules.
const DefaultProfile = "2021"

// ErrProfile is returned for a profile that is unknown or cannot be used.
var ErrProfile = errors.New("health profile")

// Bound is a band of values: each bound that is set must hold.
type Bound struct {
	Nilai int              `toml:"nilai"`
	Name  string           `toml:"name"`
	GT    *decimal.Decimal `toml:"gt"`
	GE    *decimal.Decimal `toml:"ge"`
	LT    *decimal.Decimal `toml:"lt"`
	LE    *decimal.Decimal `toml:"le"`
}

// Holds reports whether v is inside the band.
func (b Bound) Holds(v decimal.Decimal) bool {
	return (b.GT == nil || v.GreaterThan(*b.GT)) && (b.GE == nil || v.GreaterThanOrEqual(*b.GE)) &&
		(b.LT == nil || v.LessThan(*b.LT)) && (b.LE == nil || v.LessThanOrEqual(*b.LE))
}

// Indicator is one rated item: a ratio from the books (Metric) or a
// questionnaire of Questions points.
type Indicator struct {
	Key       string  `toml:"key"`
	Name      string  `toml:"name"`
	Metric    string  `toml:"metric"`
	Unit      string  `toml:"unit"`
	Better    string  `toml:"better"`
	Bands     []Bound `toml:"bands"`
	Questions int     `toml:"questions"`
	// Confirm marks thresholds that are kopbot's reading of the rules.
	Confirm bool `toml:"confirm"`
}

// Aspect is a weighted group of indicators.
type Aspect struct {
	Key        string          `toml:"key"`
	Name       string          `toml:"name"`
	Weight     decimal.Decimal `toml:"weight"`
	Indicators []Indicator     `toml:"indicator"`
}

// Profile is one set of rules.
type Profile struct {
	Key           string   `toml:"key"`
	Name          string   `toml:"name"`
	Source        string   `toml:"source"`
	Bands         []Bound  `toml:"band"`
	Aspects       []Aspect `toml:"aspect"`
	Questionnaire struct {
		Bands []Bound `toml:"bands"`
	} `toml:"questionnaire"`
}

// Profiles returns the embedded profiles by key.
func Profiles() map[string]Profile {
	out := map[string]Profile{}
	files, _ := fs.Glob(profileFiles, "profiles/*.toml") // embedded: the pattern is valid
	for _, f := range files {
		b, _ := fs.ReadFile(profileFiles, f) // embedded: listed files exist
		p, err := ParseProfile(b)
		if err != nil {
			panic(fmt.Sprintf("%s: %v", f, err)) // embedded and tested
		}
		out[p.Key] = p
	}
	return out
}

// Lookup returns the embedded profile key ("" is DefaultProfile).
func Lookup(key string) (Profile, error) {
	return ruleset.Lookup(Profiles(), key, DefaultProfile, ErrProfile)
}

// WithFile is the embedded profiles and, when file is set, the profile in
// that file, which replaces the embedded one of its key or adds a new key:
// a Dinas correction of a threshold needs no rebuild.
func WithFile(file string) (map[string]Profile, error) {
	return ruleset.WithFile(Profiles(), file, func(b []byte) (map[string]Profile, error) {
		p, err := ParseProfile(b)
		return map[string]Profile{p.Key: p}, err
	}, ErrProfile)
}

// ParseProfile reads and checks a profile: weights total 100, every
// indicator either a known metric with bands or a questionnaire, every
// band list ending in a catch-all.
func ParseProfile(b []byte) (Profile, error) {
	var p Profile
	if _, err := toml.Decode(string(b), &p); err != nil {
		return Profile{}, fmt.Errorf("%w: %w", ErrProfile, err)
	}
	if p.Key == "" || len(p.Aspects) == 0 || len(p.Bands) == 0 {
		return Profile{}, fmt.Errorf("%w: needs a key, aspects and bands", ErrProfile)
	}
	if err := catchAll("bands", p.Bands); err != nil {
		return Profile{}, err
	}
	if err := catchAll("questionnaire", p.Questionnaire.Bands); err != nil {
		return Profile{}, err
	}
	total := decimal.Zero
	seen := map[string]bool{}
	for _, a := range p.Aspects {
		total = total.Add(a.Weight)
		if len(a.Indicators) == 0 {
			return Profile{}, fmt.Errorf("%w: aspect %s has no indicators", ErrProfile, a.Key)
		}
		for _, in := range a.Indicators {
			if seen[in.Key] {
				return Profile{}, fmt.Errorf("%w: indicator %s appears twice", ErrProfile, in.Key)
			}
			seen[in.Key] = true
			switch {
			case in.Questions > 0 && in.Metric != "":
				return Profile{}, fmt.Errorf("%w: indicator %s is both a metric and a questionnaire", ErrProfile, in.Key)
			case in.Questions > 0:
			case !knownMetric(in.Metric):
				return Profile{}, fmt.Errorf("%w: indicator %s: unknown metric %q", ErrProfile, in.Key, in.Metric)
			default:
				if err := catchAll(in.Key, in.Bands); err != nil {
					return Profile{}, err
				}
			}
		}
	}
	if !total.Equal(decimal.NewFromInt(100)) {
		return Profile{}, fmt.Errorf("%w: aspect weights total %s, not 100", ErrProfile, total)
	}
	return p, nil
}

func catchAll(what string, bands []Bound) error {
	if len(bands) == 0 {
		return fmt.Errorf("%w: %s has no bands", ErrProfile, what)
	}
	last := bands[len(bands)-1]
	if last.GT != nil || last.GE != nil || last.LT != nil || last.LE != nil {
		return fmt.Errorf("%w: %s: the last band must take every value", ErrProfile, what)
	}
	return nil
}

// Band names the band a total score falls in.
func (p Profile) Band(score decimal.Decimal) string {
	for _, b := range p.Bands {
		if b.Holds(score) {
			return b.Name
		}
	}
	return "" // unreachable: the last band takes every value
}

// questionnaires lists the questionnaire indicators, in profile order.
func (p Profile) questionnaires() []Indicator {
	var out []Indicator
	for _, a := range p.Aspects {
		for _, in := range a.Indicators {
			if in.Questions > 0 {
				out = append(out, in)
			}
		}
	}
	return out
}

// Indicator returns the indicator with key.
func (p Profile) Indicator(key string) (Indicator, bool) {
	for _, a := range p.Aspects {
		for _, in := range a.Indicators {
			if in.Key == key {
				return in, true
			}
		}
	}
	return Indicator{}, false
}

// rate returns the nilai of value by bands.
func rate(bands []Bound, v decimal.Decimal) int {
	for _, b := range bands {
		if b.Holds(v) {
			return b.Nilai
		}
	}
	return 4
}

func sortedBy[T any](xs []T, less func(a, b T) bool) {
	sort.SliceStable(xs, func(i, j int) bool { return less(xs[i], xs[j]) })
}
