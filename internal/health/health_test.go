package health

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestBothProfilesLoad(t *testing.T) {
	t.Parallel()
	for _, key := range []string{"2021", "2016"} {
		p, err := Lookup(key)
		if err != nil || len(p.Aspects) == 0 {
			t.Fatalf("%s: %v", key, err)
		}
	}
	if p, _ := Lookup("2016"); len(p.Aspects) != 7 {
		t.Errorf("2016 has %d aspects, want 7", len(p.Aspects))
	}
	if _, err := Lookup("2030"); !errors.Is(err, ErrProfile) {
		t.Error("an unknown profile was found")
	}
}

func TestParseProfileRefuses(t *testing.T) {
	t.Parallel()
	b, _ := profileFiles.ReadFile("profiles/2021.toml")
	ok := string(b)
	for name, text := range map[string]string{
		"weights":        strings.Replace(ok, `weight = "30"`, `weight = "31"`, 1),
		"unknown metric": strings.Replace(ok, `metric = "bopo"`, `metric = "bopoo"`, 1),
		"no catch-all":   strings.Replace(ok, "  { nilai = 4 },\n]\n\n[[aspect.indicator]]\nkey = \"KK2\"", "]\n\n[[aspect.indicator]]\nkey = \"KK2\"", 1),
	} {
		if name != "weights" && text == ok {
			t.Fatalf("%s: the edit did not apply", name)
		}
		if _, err := ParseProfile([]byte(text)); !errors.Is(err, ErrProfile) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func TestThresholdBoundaries(t *testing.T) {
	t.Parallel()
	p, _ := Lookup("2021")
	for _, tc := range []struct {
		key, value string
		want       int
	}{
		{"PM1", "30.01", 1}, {"PM1", "30.00", 2}, {"PM1", "20.00", 2}, {"PM1", "19.99", 3}, {"PM1", "10.00", 3}, {"PM1", "9.99", 4},
		{"KK1", "79.99", 1}, {"KK1", "80.00", 2}, {"KK1", "89.99", 2}, {"KK1", "90.00", 3}, {"KK1", "99.99", 3}, {"KK1", "100.00", 4},
		{"KK2", "15.00", 1}, {"KK2", "14.99", 2},
		{"KK3", "10.00", 1}, {"KK3", "9.99", 2},
		{"KK4", "120.00", 1}, {"KK4", "119.99", 2},
		{"KK5", "75.00", 1}, {"KK5", "75.01", 2},
	} {
		in, _ := p.Indicator(tc.key)
		if got := rate(in.Bands, d(tc.value)); got != tc.want {
			t.Errorf("%s (%s) at %s: nilai %d, want %d", tc.key, in.Name, tc.value, got, tc.want)
		}
	}
	for _, tc := range []struct {
		ratio string
		want  int
	}{{"75.01", 1}, {"75.00", 2}, {"51.00", 2}, {"50.00", 3}, {"26.00", 3}, {"25.00", 4}, {"0", 4}} {
		if got := rate(p.Questionnaire.Bands, d(tc.ratio)); got != tc.want {
			t.Errorf("questionnaire %s%%: nilai %d, want %d", tc.ratio, got, tc.want)
		}
	}
}

func TestBands(t *testing.T) {
	t.Parallel()
	for _, key := range []string{"2021", "2016"} {
		p, _ := Lookup(key)
		for score, want := range map[string]string{
			"100": "Sehat", "80.00": "Sehat", "79.99": "Cukup Sehat", "66.00": "Cukup Sehat", "65.99": "Dalam Pengawasan",
			"51.00": "Dalam Pengawasan", "50.99": "Dalam Pengawasan Khusus", "0": "Dalam Pengawasan Khusus",
		} {
			if got := p.Band(d(score)); got != want {
				t.Errorf("%s: score %s is %q, want %q", key, score, got, want)
			}
		}
	}
}

// healthy are inputs that rate nilai 1 on every ratio of the 2021 profile.
func healthy() Inputs {
	return Inputs{"aset": d("1000"), "ekuitas": d("400"), "ekuitas_lalu": d("350"), "kenaikan_ekuitas": d("50"),
		"pendapatan": d("200"), "beban": d("150"), "shu": d("50"), "pinjaman": d("700"), "aset_produktif": d("1000"),
		"kas_bank": d("300"), "kewajiban": d("600"), "baki_debet": d("700"), "npl": d("7"), "rpm": d("5"), "cadangan": d("10")}
}

func TestAssessWithoutAnswersIsPartialAndHasNoBand(t *testing.T) {
	t.Parallel()
	p, _ := Lookup("2021")
	r := Assess(p, time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), healthy(), nil)
	if !r.Partial || r.Band != "" {
		t.Fatalf("partial %v, band %q", r.Partial, r.Band)
	}
	// Tata Kelola has no answer at all; the other aspects rate nilai 1 everywhere.
	if !r.Score.Equal(d("100")) {
		t.Errorf("partial score %s, want 100 over the financial aspects", r.Score)
	}
}

func TestAssessWithAnswersGivesABandAndTheCostliest(t *testing.T) {
	t.Parallel()
	p, _ := Lookup("2021")
	in := healthy()
	in["beban"] = d("186") // BOPO 93% → nilai 3
	in["shu"] = d("14")    // NPM 7% → nilai 3
	answers := map[string]Answer{
		"TK1": {Indicator: "TK1", Met: 8, Of: 10}, "TK2": {Indicator: "TK2", Met: 6, Of: 10}, "PR1": {Indicator: "PR1", Met: 3, Of: 10},
	}
	r := Assess(p, time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), in, answers)
	if r.Partial || r.Band == "" {
		t.Fatalf("complete report: partial %v, band %q", r.Partial, r.Band)
	}
	// BOPO 93%, NPM 7% and kemandirian 107,53% each rate nilai 3 and cost
	// (4 − 2) × 40 / (5 × 4) = 4 points; PR1 (30% of points) costs
	// (4 − 2) × 15 / (2 × 4) = 3,75.
	var kk AspectScore
	for _, a := range r.Aspects {
		if a.Key == "kinerja_keuangan" {
			kk = a
		}
	}
	nilai := map[string]int{}
	for _, rt := range kk.Rated {
		nilai[rt.Key] = rt.Nilai
	}
	if nilai["KK1"] != 3 || nilai["KK2"] != 3 || nilai["KK4"] != 3 || nilai["KK3"] != 1 {
		t.Errorf("kinerja nilai %v", nilai)
	}
	if len(r.Costliest) != 3 || r.Costliest[0].Key != "KK1" || r.Costliest[2].Key != "KK4" || !r.Costliest[0].Lost.Equal(d("4")) {
		t.Fatalf("costliest %+v", r.Costliest)
	}
	for _, rt := range r.Costliest {
		if rt.Next == nil || rt.Next.Describe() == "" {
			t.Errorf("%s: no way up named", rt.Key)
		}
	}
	if got := r.Costliest[0]; got.Next.Describe() != "< 90" {
		t.Errorf("costliest %s, next %s", got.Key, got.Next.Describe())
	}
}
