package loan

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Method is how a product computes interest.
type Method string

// The two methods.
const (
	// Flat charges interest on the original principal every month.
	Flat Method = "flat"
	// Annuity (efektif/anuitas) charges interest on the remaining principal
	// with an equal monthly payment.
	Annuity Method = "annuity"
)

// Valid reports whether m is one of the two methods.
func (m Method) Valid() bool { return m == Flat || m == Annuity }

// MaxRatePerYear is the regulator's cap on loan interest.
var MaxRatePerYear = decimal.RequireFromString("0.24")

// Product is a loan product offered to members.
type Product struct {
	Code         string
	Name         string
	Method       Method
	RatePerMonth decimal.Decimal // 0.015 is 1,5% per month
	MinAmount    decimal.Decimal
	MaxAmount    decimal.Decimal
	MinTenor     int // months
	MaxTenor     int // months
	// PenaltyPerDay is the denda: a fraction of the overdue part of an
	// installment charged per day late beyond GraceDays (0.001 is 0,1%/day).
	// Zero means the product charges no denda.
	PenaltyPerDay decimal.Decimal
	GraceDays     int
	// Settlement is how paying early is charged and re-planned; the zero
	// value is the method's defaults.
	Settlement Settlement
}

// Validate refuses a product above the interest cap (ErrRateCap) or with a
// missing, non-positive or inconsistent value (ErrInvalidProduct). Denda and
// grace days may be zero, not negative.
func (p Product) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("product %q: %s: %w", p.Code, fmt.Sprintf(format, args...), ErrInvalidProduct)
	}
	switch {
	case strings.TrimSpace(p.Code) == "" || strings.TrimSpace(p.Name) == "":
		return bad("code and name are required")
	case !p.Method.Valid():
		return bad("method %q", p.Method)
	case !p.RatePerMonth.IsPositive():
		return bad("rate %s per month", p.RatePerMonth)
	case p.RatePerMonth.Mul(decimal.NewFromInt(12)).GreaterThan(MaxRatePerYear):
		return fmt.Errorf("product %q: %s per month is %s per year: %w", p.Code, p.RatePerMonth,
			p.RatePerMonth.Mul(decimal.NewFromInt(12)), ErrRateCap)
	case !wholePositive(p.MinAmount) || !wholePositive(p.MaxAmount):
		return bad("amounts %s–%s must be positive whole Rupiah", p.MinAmount, p.MaxAmount)
	case p.MinAmount.GreaterThan(p.MaxAmount):
		return bad("minimum amount %s above maximum %s", p.MinAmount, p.MaxAmount)
	case p.MinTenor < 1 || p.MinTenor > p.MaxTenor:
		return bad("tenor %d–%d months", p.MinTenor, p.MaxTenor)
	case p.PenaltyPerDay.IsNegative() || p.GraceDays < 0:
		return bad("denda %s per day after %d grace days", p.PenaltyPerDay, p.GraceDays)
	}
	if err := p.Settlement.Validate(); err != nil {
		return bad("%v", err)
	}
	return nil
}

func wholePositive(d decimal.Decimal) bool { return d.IsPositive() && d.IsInteger() }

// Catalog is the products on offer, in menu order.
type Catalog struct {
	products []Product
}

// NewCatalog validates each product and refuses two with the same code
// (compared without case, as members type them).
func NewCatalog(products ...Product) (Catalog, error) {
	seen := map[string]bool{}
	for _, p := range products {
		if err := p.Validate(); err != nil {
			return Catalog{}, fmt.Errorf("catalog: %w", err)
		}
		k := strings.ToUpper(p.Code)
		if seen[k] {
			return Catalog{}, fmt.Errorf("catalog: product %q twice: %w", p.Code, ErrInvalidProduct)
		}
		seen[k] = true
	}
	return Catalog{products: append([]Product(nil), products...)}, nil
}

// Products returns the products in menu order.
func (c Catalog) Products() []Product { return append([]Product(nil), c.products...) }

// ByCode finds a product by its code, ignoring case.
func (c Catalog) ByCode(code string) (Product, bool) {
	for _, p := range c.products {
		if strings.EqualFold(p.Code, strings.TrimSpace(code)) {
			return p, true
		}
	}
	return Product{}, false
}

// ByMenu finds the product a member picked by its number in the menu,
// counting from 1.
func (c Catalog) ByMenu(n int) (Product, bool) {
	if n < 1 || n > len(c.products) {
		return Product{}, false
	}
	return c.products[n-1], true
}

// DefaultProducts are the demo cooperative's two products.
func DefaultProducts() []Product {
	rp := func(n int64) decimal.Decimal { return decimal.NewFromInt(n) }
	denda := decimal.RequireFromString("0.001")
	settle := func(m Method) Settlement {
		return Settlement{FeeRate: decimal.Zero, DiscountRate: decimal.Zero}.resolved(m)
	}
	return []Product{
		{Code: "USAHA", Name: "Pinjaman Usaha", Method: Flat, RatePerMonth: decimal.RequireFromString("0.015"),
			MinAmount: rp(500_000), MaxAmount: rp(20_000_000), MinTenor: 1, MaxTenor: 24,
			PenaltyPerDay: denda, GraceDays: 3, Settlement: settle(Flat)},
		{Code: "ANUITAS", Name: "Pinjaman Anuitas", Method: Annuity, RatePerMonth: decimal.RequireFromString("0.0125"),
			MinAmount: rp(1_000_000), MaxAmount: rp(50_000_000), MinTenor: 3, MaxTenor: 36,
			PenaltyPerDay: denda, GraceDays: 3, Settlement: settle(Annuity)},
	}
}

// Policy is the cooperative's lending policy across products.
type Policy struct {
	// PlafonMultiple caps a loan at this many times the member's total
	// savings (pokok + wajib + sukarela), rounded down to whole Rupiah.
	PlafonMultiple decimal.Decimal
	// TwoOfficersAbove is the maker-checker threshold: a loan of more than
	// this needs a second approval, by a manajer.
	TwoOfficersAbove decimal.Decimal
	// FirstDueAfterMonths puts the first installment this many months after
	// disbursement. It shifts the due dates only, not the amounts.
	FirstDueAfterMonths int
}

// DefaultPolicy is 3× savings, two officers above Rp10.000.000, first
// installment one month after disbursement.
func DefaultPolicy() Policy {
	return Policy{PlafonMultiple: decimal.NewFromInt(3), TwoOfficersAbove: decimal.NewFromInt(10_000_000),
		FirstDueAfterMonths: 1}
}

// Validate refuses a policy the rules cannot work with.
func (p Policy) Validate() error {
	if !p.PlafonMultiple.IsPositive() || p.TwoOfficersAbove.IsNegative() || p.FirstDueAfterMonths < 1 {
		return fmt.Errorf("policy: plafon ×%s, two officers above %s, first due after %d months: %w",
			p.PlafonMultiple, p.TwoOfficersAbove, p.FirstDueAfterMonths, ErrInvalidProduct)
	}
	return nil
}
