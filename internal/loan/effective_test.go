package loan

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestEffectiveAnnualRate(t *testing.T) {
	t.Parallel()
	flat := Product{Code: "F", Name: "F", Method: Flat, RatePerMonth: decimal.RequireFromString("0.02"), MinAmount: rp(1),
		MaxAmount: rp(100_000_000), MinTenor: 1, MaxTenor: 60}
	sched, err := Schedule(flat, rp(12_000_000), 12, time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if got := EffectiveAnnualRate(rp(12_000_000), sched); got.LessThan(dec("0.4165")) || got.GreaterThan(dec("0.4175")) {
		t.Errorf("2%% flat over 12 months: %s a year, want about 41,7%%", got)
	}
	ann := flat
	ann.Method = Annuity
	sched, err = Schedule(ann, rp(12_000_000), 12, time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if got := EffectiveAnnualRate(rp(12_000_000), sched); got.LessThan(dec("0.2395")) || got.GreaterThan(dec("0.2405")) {
		t.Errorf("2%% anuitas: %s a year, want 24%% (its own rate)", got)
	}
}
