package loan

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func product(m Method, rate string) Product {
	return Product{Code: "T", Name: "Test", Method: m, RatePerMonth: dec(rate), MinAmount: rp(1), MaxAmount: rp(1e12),
		MinTenor: 1, MaxTenor: 120, PenaltyPerDay: dec("0.001"), GraceDays: 3}
}

func TestScheduleFlatHandChecked(t *testing.T) {
	t.Parallel()
	// Rp5.000.000 over 12 months at 1,5% flat: interest 5.000.000 × 0,015 =
	// 75.000 a month; principal 5.000.000 / 12 = 416.666,67 → 416.667, and the
	// last takes 5.000.000 − 11 × 416.667 = 416.663.
	s, err := Schedule(product(Flat, "0.015"), rp(5_000_000), 12, date(2026, 1, 31))
	if err != nil {
		t.Fatal(err)
	}
	if len(s) != 12 {
		t.Fatalf("%d installments", len(s))
	}
	interest := decimal.Zero
	for _, in := range s {
		wantP, wantT, wantRem := int64(416_667), int64(491_667), 5_000_000-int64(in.No)*416_667
		if in.No == 12 {
			wantP, wantT, wantRem = 416_663, 491_663, 0
		}
		eq(t, "principal", in.Principal, wantP)
		eq(t, "interest", in.Interest, 75_000)
		eq(t, "total", in.Total, wantT)
		eq(t, "remaining", in.Remaining, wantRem)
		interest = interest.Add(in.Interest)
	}
	eq(t, "total interest", interest, 900_000)
	// 31 January: the due day clamps in short months and comes back.
	for i, want := range []time.Time{date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31)} {
		if !s[i].Due.Equal(want) {
			t.Errorf("installment %d due %s, want %s", i+1, s[i].Due.Format(time.DateOnly), want.Format(time.DateOnly))
		}
	}
	if !s[11].Due.Equal(date(2027, 1, 31)) {
		t.Errorf("last due %s", s[11].Due.Format(time.DateOnly))
	}
}

func TestScheduleAnnuityHandChecked(t *testing.T) {
	t.Parallel()
	// Rp10.000.000 over 12 months at 1%: (1,01)^12 = 1,126825030131969720661201,
	// payment = 10.000.000 × 0,01 × 1,1268250301 / 0,1268250301 = 888.487,89 → 888.488.
	// Month 1: interest 100.000, principal 788.488, remaining 9.211.512;
	// month 2: interest round(92.115,12) = 92.115, principal 796.373, 8.415.139.
	// Month 12: interest round(879.688 × 0,01) = 8.797, principal the 879.688
	// left, total 888.485. Total interest 661.853.
	s, err := Schedule(product(Annuity, "0.01"), rp(10_000_000), 12, date(2026, 3, 15))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ p, i, rem int64 }{
		{788_488, 100_000, 9_211_512}, {796_373, 92_115, 8_415_139}, {804_337, 84_151, 7_610_802},
		{812_380, 76_108, 6_798_422}, {820_504, 67_984, 5_977_918}, {828_709, 59_779, 5_149_209},
		{836_996, 51_492, 4_312_213}, {845_366, 43_122, 3_466_847}, {853_820, 34_668, 2_613_027},
		{862_358, 26_130, 1_750_669}, {870_981, 17_507, 879_688}, {879_688, 8_797, 0},
	}
	interest := decimal.Zero
	for i, w := range want {
		in := s[i]
		eq(t, "principal", in.Principal, w.p)
		eq(t, "interest", in.Interest, w.i)
		eq(t, "remaining", in.Remaining, w.rem)
		if i < 11 {
			eq(t, "payment", in.Total, 888_488)
		}
		interest = interest.Add(in.Interest)
	}
	eq(t, "last total", s[11].Total, 888_485)
	eq(t, "total interest", interest, 661_853)
	if !s[0].Due.Equal(date(2026, 4, 15)) {
		t.Errorf("first due %s", s[0].Due)
	}
}

func TestAddMonthsClamps(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		from   time.Time
		months int
		want   time.Time
	}{
		{date(2026, 1, 31), 1, date(2026, 2, 28)},
		{date(2028, 1, 31), 1, date(2028, 2, 29)}, // leap year
		{date(2026, 1, 30), 1, date(2026, 2, 28)},
		{date(2026, 1, 31), 3, date(2026, 4, 30)},
		{date(2026, 12, 15), 1, date(2027, 1, 15)},
		{date(2026, 8, 31), 6, date(2027, 2, 28)},
		{time.Date(2026, 5, 31, 23, 30, 0, 0, time.FixedZone("WIB", 7*3600)), 1, date(2026, 6, 30)},
	} {
		if got := addMonths(c.from, c.months); !got.Equal(c.want) {
			t.Errorf("addMonths(%s, %d) = %s, want %s", c.from, c.months, got.Format(time.DateOnly), c.want.Format(time.DateOnly))
		}
	}
}

func TestScheduleRefuses(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name      string
		p         Product
		principal decimal.Decimal
		tenor     int
		want      error
	}{
		{"zero tenor", product(Flat, "0.01"), rp(1_000_000), 0, ErrTenor},
		{"fraction", product(Flat, "0.01"), dec("1000000.5"), 12, ErrAmount},
		{"negative", product(Annuity, "0.01"), rp(-5), 12, ErrAmount},
		{"too small for the tenor, flat", product(Flat, "0.01"), rp(30), 36, ErrAmount},
		{"too small for the tenor, annuity", product(Annuity, "0.01"), rp(6), 12, ErrAmount},
		{"above the cap", product(Flat, "0.021"), rp(1_000_000), 12, ErrRateCap},
	} {
		if _, err := Schedule(c.p, c.principal, c.tenor, date(2026, 1, 1)); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
}

// TestScheduleProperties: for random loans, principal parts sum to the
// principal exactly, totals to principal + interest, everything is whole
// Rupiah, the balance falls at every step and ends at zero, and due dates
// move forward a month at a time.
func TestScheduleProperties(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 11))
	for i := range 2000 {
		m := Flat
		if i%2 == 1 {
			m = Annuity
		}
		rate := decimal.New(rng.Int64N(200)+1, -4) // 0,01% … 2% a month
		principal := rp(rng.Int64N(100_000_000) + 100_000)
		tenor := rng.IntN(60) + 1
		start := date(2026, time.Month(rng.IntN(12)+1), rng.IntN(31)+1)
		s, err := Schedule(product(m, rate.String()), principal, tenor, start)
		if err != nil {
			t.Fatalf("%s %s %s × %d: %v", m, principal, rate, tenor, err)
		}
		sumP, sumT, sumI := decimal.Zero, decimal.Zero, decimal.Zero
		prev := principal
		for k, in := range s {
			for _, d := range []decimal.Decimal{in.Principal, in.Interest, in.Total, in.Remaining} {
				if !d.IsInteger() || d.IsNegative() {
					t.Fatalf("%s %s × %d: installment %d has %s", m, principal, tenor, in.No, d)
				}
			}
			if !in.Remaining.LessThan(prev) || !in.Total.Equal(in.Principal.Add(in.Interest)) {
				t.Fatalf("%s %s × %d: installment %d: %+v after %s", m, principal, tenor, in.No, in, prev)
			}
			if k > 0 && (in.Due.Sub(s[k-1].Due) < 28*24*time.Hour || in.Due.Sub(s[k-1].Due) > 31*24*time.Hour) {
				t.Fatalf("installment %d due %s after %s", in.No, in.Due, s[k-1].Due)
			}
			prev = in.Remaining
			sumP, sumT, sumI = sumP.Add(in.Principal), sumT.Add(in.Total), sumI.Add(in.Interest)
		}
		if !prev.IsZero() || !sumP.Equal(principal) || !sumT.Equal(principal.Add(sumI)) {
			t.Fatalf("%s %s × %d: ends at %s, Σprincipal %s, Σtotal %s", m, principal, tenor, prev, sumP, sumT)
		}
		if m == Annuity && tenor > 1 && !s[0].Total.Equal(s[tenor-2].Total) {
			t.Fatalf("annuity payment varies: %s vs %s", s[0].Total, s[tenor-2].Total)
		}
	}
}

// TestScheduleFlatInterestRounding: total interest is round(P × r × n), not
// n × round(P × r). 1.234.567 × 1,5% = 18.518,505 → 18.519 a month; × 24 =
// 444.444,12 → 444.444, so the last installment's interest is 444.444 −
// 23 × 18.519 = 18.507 (n × round would give 444.456). Principal
// 1.234.567 / 24 = 51.440,29 → 51.440, the last 1.234.567 − 23 × 51.440 = 51.447.
func TestScheduleFlatInterestRounding(t *testing.T) {
	t.Parallel()
	s, err := Schedule(product(Flat, "0.015"), rp(1_234_567), 24, date(2026, 1, 5))
	if err != nil {
		t.Fatal(err)
	}
	interest, principal := decimal.Zero, decimal.Zero
	for _, in := range s {
		wantP, wantI := int64(51_440), int64(18_519)
		if in.No == 24 {
			wantP, wantI = 51_447, 18_507
		}
		eq(t, "principal", in.Principal, wantP)
		eq(t, "interest", in.Interest, wantI)
		interest, principal = interest.Add(in.Interest), principal.Add(in.Principal)
	}
	eq(t, "total interest", interest, 444_444)
	eq(t, "total principal", principal, 1_234_567)
}

// TestScheduleInstallmentRounding rounds installments up as KSPs print
// them, the last absorbing the difference.
//   - flat Rp5.000.000 / 12 at 1,5% to Rp1.000: 416.667 + 75.000 =
//     491.667 → 492.000 (principal 417.000); the last 5.000.000 − 11 ×
//     417.000 = 413.000 + 75.000 = 488.000.
//   - annuity Rp10.000.000 / 12 at 1% to Rp500: 888.488 → 888.500; month 1
//     interest 100.000, principal 788.500; month 2 interest 92.115,
//     principal 796.385.
func TestScheduleInstallmentRounding(t *testing.T) {
	t.Parallel()
	flat := product(Flat, "0.015")
	flat.Settlement.RoundTo = 1000
	s, err := Schedule(flat, rp(5_000_000), 12, date(2026, 1, 31))
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range s[:11] {
		eq(t, "flat total", in.Total, 492_000)
		eq(t, "flat principal", in.Principal, 417_000)
	}
	eq(t, "flat last", s[11].Total, 488_000)
	eq(t, "flat last principal", s[11].Principal, 413_000)

	ann := product(Annuity, "0.01")
	ann.Settlement.RoundTo = 500
	s, err = Schedule(ann, rp(10_000_000), 12, date(2026, 3, 15))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "annuity month 1 principal", s[0].Principal, 788_500)
	eq(t, "annuity month 2 interest", s[1].Interest, 92_115)
	eq(t, "annuity month 2 principal", s[1].Principal, 796_385)
	principal := decimal.Zero
	for _, in := range s {
		if in.No < 12 {
			eq(t, "annuity total", in.Total, 888_500)
		} else if in.Total.GreaterThan(rp(888_500)) {
			t.Errorf("last installment %s above the rounded payment", in.Total)
		}
		principal = principal.Add(in.Principal)
	}
	eq(t, "annuity principal", principal, 10_000_000)

	bad := product(Flat, "0.015")
	bad.Settlement.RoundTo = 250
	if _, err := Schedule(bad, rp(5_000_000), 12, date(2026, 1, 31)); !errors.Is(err, ErrInvalidProduct) {
		t.Errorf("rounding to 250: err = %v", err)
	}
}
