package loan

import "github.com/shopspring/decimal"

// EffectiveAnnualRate is the yearly rate (monthly rate × 12) at which the
// installments repay amount on a declining balance: what a flat rate costs
// when stated the way an anuitas rate is. 2% a month flat over 12 months is
// about 41,7% a year. It bisects the monthly rate to four decimals of a
// percent; decimals throughout, no floats.
func EffectiveAnnualRate(amount decimal.Decimal, sched []Installment) decimal.Decimal {
	if !amount.IsPositive() || len(sched) == 0 {
		return decimal.Zero
	}
	one := decimal.NewFromInt(1)
	// pv is the installments' present value at monthly rate r.
	pv := func(r decimal.Decimal) decimal.Decimal {
		sum, factor := decimal.Zero, one
		step := one.Add(r)
		for _, in := range sched {
			factor = factor.Div(step)
			sum = sum.Add(in.Total.Mul(factor))
		}
		return sum
	}
	lo, hi := decimal.Zero, one
	for range 60 {
		mid := lo.Add(hi).Div(decimal.NewFromInt(2))
		if pv(mid).GreaterThan(amount) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo.Mul(decimal.NewFromInt(12)).Round(4)
}
