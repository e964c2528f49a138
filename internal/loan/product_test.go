package loan

import (
	"errors"
	"testing"
)

func TestProductValidate(t *testing.T) {
	t.Parallel()
	base := DefaultProducts()[0]
	for _, c := range []struct {
		name   string
		change func(*Product)
		want   error
	}{
		{"default", func(*Product) {}, nil},
		{"exactly 24% a year", func(p *Product) { p.RatePerMonth = dec("0.02") }, nil},
		{"above the cap", func(p *Product) { p.RatePerMonth = dec("0.0201") }, ErrRateCap},
		{"zero rate", func(p *Product) { p.RatePerMonth = dec("0") }, ErrInvalidProduct},
		{"negative rate", func(p *Product) { p.RatePerMonth = dec("-0.01") }, ErrInvalidProduct},
		{"no code", func(p *Product) { p.Code = " " }, ErrInvalidProduct},
		{"unknown method", func(p *Product) { p.Method = "balloon" }, ErrInvalidProduct},
		{"zero minimum", func(p *Product) { p.MinAmount = rp(0) }, ErrInvalidProduct},
		{"fractional maximum", func(p *Product) { p.MaxAmount = dec("1000000.5") }, ErrInvalidProduct},
		{"min above max", func(p *Product) { p.MinAmount = rp(30_000_000) }, ErrInvalidProduct},
		{"zero tenor", func(p *Product) { p.MinTenor = 0 }, ErrInvalidProduct},
		{"tenors crossed", func(p *Product) { p.MinTenor, p.MaxTenor = 12, 6 }, ErrInvalidProduct},
		{"negative denda", func(p *Product) { p.PenaltyPerDay = dec("-0.001") }, ErrInvalidProduct},
		{"negative grace", func(p *Product) { p.GraceDays = -1 }, ErrInvalidProduct},
		{"no denda at all", func(p *Product) { p.PenaltyPerDay, p.GraceDays = dec("0"), 0 }, nil},
	} {
		p := base
		c.change(&p)
		err := p.Validate()
		if (c.want == nil && err != nil) || !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
}

func TestCatalog(t *testing.T) {
	t.Parallel()
	cat := catalog(t)
	if p, ok := cat.ByCode("usaha"); !ok || p.Name != "Pinjaman Usaha" {
		t.Errorf("ByCode(usaha) = %v, %v", p.Code, ok)
	}
	if p, ok := cat.ByMenu(2); !ok || p.Code != "ANUITAS" {
		t.Errorf("ByMenu(2) = %v, %v", p.Code, ok)
	}
	for _, n := range []int{0, 3, -1} {
		if _, ok := cat.ByMenu(n); ok {
			t.Errorf("ByMenu(%d) found a product", n)
		}
	}
	if _, ok := cat.ByCode("KONSUMTIF"); ok {
		t.Error("ByCode found an unknown product")
	}
	ps := DefaultProducts()
	if _, err := NewCatalog(ps[0], ps[0]); !errors.Is(err, ErrInvalidProduct) {
		t.Errorf("duplicate code: err = %v", err)
	}
	capped := ps[1]
	capped.RatePerMonth = dec("0.025")
	if _, err := NewCatalog(ps[0], capped); !errors.Is(err, ErrRateCap) {
		t.Errorf("capped product: err = %v", err)
	}
	if err := DefaultPolicy().Validate(); err != nil {
		t.Errorf("default policy: %v", err)
	}
	if err := (Policy{PlafonMultiple: rp(0), FirstDueAfterMonths: 1}).Validate(); !errors.Is(err, ErrInvalidProduct) {
		t.Errorf("zero plafon multiple: err = %v", err)
	}
}
