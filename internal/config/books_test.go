package config

import (
	"os"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// edited is the file at from with old replaced by new once, failing when
// old is not there (the test would prove nothing).
func edited(t *testing.T, from, old, new string) string {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s has no %q", from, old)
	}
	return writeFile(t, "rules.toml", strings.Replace(string(b), old, new, 1))
}

// TestBooksRuleFiles: each of the books' rules comes from its file when
// one is set, and a file that cannot be used stops the start naming the
// setting and the reason.
func TestBooksRuleFiles(t *testing.T) {
	t.Parallel()
	t.Run("files replace the embedded rules", func(t *testing.T) {
		t.Parallel()
		c := mustLoad(t, "", map[string]string{
			"KOPBOT_BOOKS_CHART_FILE":     edited(t, "../books/chart.toml", `name = "Kas"`, `name = "Kas kantor pusat"`),
			"KOPBOT_BOOKS_KOLEK_FILE":     edited(t, "../kolek/profiles.toml", "max_days = 90", "max_days = 60"),
			"KOPBOT_BOOKS_SHU_FILE":       edited(t, "../shu/shu.toml", `modal_basis = "year_end"`, `modal_basis = "monthly_average"`),
			"KOPBOT_BOOKS_HEALTH_FILE":    edited(t, "../health/profiles/2021.toml", `key = "2021"`, `key = "dinas-jabar"`),
			"KOPBOT_BOOKS_HEALTH_PROFILE": "dinas-jabar",
		})
		if a, _ := c.Chart().Account("1101"); a.Name != "Kas kantor pusat" {
			t.Errorf("chart 1101 = %q", a.Name)
		}
		if k := c.Kolek(); k.Key != "ksp" || k.Classes[0].MaxDays != 60 {
			t.Errorf("kolek profile %s, Lancar up to %d days", k.Key, k.Classes[0].MaxDays)
		}
		if c.SHU().ModalBasis != "monthly_average" {
			t.Errorf("SHU modal basis %q", c.SHU().ModalBasis)
		}
		if _, ok := c.Health()["dinas-jabar"]; !ok || len(c.Health()) != 3 {
			t.Errorf("health profiles %d, dinas-jabar missing", len(c.Health()))
		}
	})
	t.Run("the embedded rules by default", func(t *testing.T) {
		t.Parallel()
		c := mustLoad(t, "", nil)
		if k := c.Kolek(); k.Key != "ksp" || k.Classes[0].MaxDays != 90 {
			t.Errorf("kolek %s %d", k.Key, k.Classes[0].MaxDays)
		}
		if a, _ := c.Chart().Account("1101"); a.Name != "Kas" || !c.SHU().Parts[0].Percent.Equal(decimal.NewFromInt(40)) {
			t.Errorf("chart %q, SHU %+v", a.Name, c.SHU().Parts[0])
		}
	})
	for _, tc := range []struct {
		name string
		env  func(t *testing.T) map[string]string
		key  string
		want string
	}{
		{"a chart without kas", func(t *testing.T) map[string]string {
			return map[string]string{"KOPBOT_BOOKS_CHART_FILE": edited(t, "../books/chart.toml", `role = "cash"`, "")}
		}, "books.chart_file", "no account has role cash"},
		{"a chart file that is not there", func(*testing.T) map[string]string {
			return map[string]string{"KOPBOT_BOOKS_CHART_FILE": "/no/such/chart.toml"}
		}, "books.chart_file", "no such file"},
		{"SHU parts that total 95", func(t *testing.T) map[string]string {
			return map[string]string{"KOPBOT_BOOKS_SHU_FILE": edited(t, "../shu/shu.toml", `percent = "40"`, `percent = "35"`)}
		}, "books.shu_file", "100"},
		{"an unknown kolek profile", func(*testing.T) map[string]string {
			return map[string]string{"KOPBOT_BOOKS_KOLEK_PROFILE": "ojk"}
		}, "books.kolek_profile", `unknown profile "ojk": want one of bank5, ksp`},
		{"kolek classes out of order", func(t *testing.T) map[string]string {
			return map[string]string{"KOPBOT_BOOKS_KOLEK_FILE": edited(t, "../kolek/profiles.toml", "max_days = 180", "max_days = 30")}
		}, "books.kolek_file", "max_days must grow"},
		{"health weights that total 105", func(t *testing.T) map[string]string {
			return map[string]string{"KOPBOT_BOOKS_HEALTH_FILE": edited(t, "../health/profiles/2016.toml", `weight = "15"`, `weight = "20"`)}
		}, "books.health_file", "not 100"},
		{"an unknown health profile", func(*testing.T) map[string]string {
			return map[string]string{"KOPBOT_BOOKS_HEALTH_PROFILE": "2009"}
		}, "books.health_profile", `want one of 2016, 2021`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Load("", envOf(tc.env(t)))
			if err == nil || !strings.Contains(err.Error(), tc.key) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %s: …%s", err, tc.key, tc.want)
			}
		})
	}
}
