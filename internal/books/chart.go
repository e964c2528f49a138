package books

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/kopmem/kopbot/internal/ledger"
)

//go:embed chart.toml
var defaultChart []byte

// Role is what kopbot itself uses a chart account for.
type Role string

// The roles kopbot posts to or reads.
const (
	RoleCash             Role = "cash"
	RoleBank             Role = "bank"
	RoleLoans            Role = "loans"
	RoleAllowance        Role = "allowance"
	RoleAllowanceExpense Role = "allowance_expense"
	RoleSHUCurrent       Role = "shu_current"
	RoleReserve          Role = "reserve"
	RoleSHUPayable       Role = "shu_payable"
	RoleFunds            Role = "funds"
	RoleInterestIncome   Role = "interest_income"
	RolePenaltyIncome    Role = "penalty_income"
	RoleSavingsInterest  Role = "savings_interest"
)

// requiredRoles must each be held by exactly one account.
var requiredRoles = []Role{RoleCash, RoleBank, RoleLoans, RoleAllowance, RoleAllowanceExpense, RoleSHUCurrent,
	RoleReserve, RoleSHUPayable, RoleFunds, RoleInterestIncome, RolePenaltyIncome, RoleSavingsInterest}

// Account is one line of the chart.
type Account struct {
	Code  string             `toml:"code"`
	Name  string             `toml:"name"`
	Type  ledger.AccountType `toml:"type"`
	Role  Role               `toml:"role"`
	Match []string           `toml:"match"`
}

// Chart is the chart of accounts, in code order.
type Chart struct {
	Accounts []Account `toml:"account"`
	byCode   map[string]int
	byRole   map[Role]string
	// key tells charts that place ledger accounts differently apart: the
	// stored month ends are kept per key.
	key string
}

// DefaultChart is the chart embedded in kopbot.
func DefaultChart() Chart {
	c, err := ParseChart(defaultChart)
	if err != nil {
		panic(err) // embedded and tested
	}
	return c
}

// LoadChart reads a chart file; "" means the default.
func LoadChart(file string) (Chart, error) {
	if file == "" {
		return DefaultChart(), nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return Chart{}, fmt.Errorf("%w: %w", ErrChart, err)
	}
	c, err := ParseChart(b)
	if err != nil {
		return Chart{}, fmt.Errorf("%s: %w", file, err)
	}
	return c, nil
}

// ParseChart reads and checks a chart: unique codes, known types, valid
// patterns, and every role kopbot needs held by one account.
func ParseChart(b []byte) (Chart, error) {
	var c Chart
	if _, err := toml.Decode(string(b), &c); err != nil {
		return Chart{}, fmt.Errorf("%w: %w", ErrChart, err)
	}
	c.byCode, c.byRole = map[string]int{}, map[Role]string{}
	sort.SliceStable(c.Accounts, func(i, j int) bool { return c.Accounts[i].Code < c.Accounts[j].Code })
	for i, a := range c.Accounts {
		switch {
		case a.Code == "" || a.Name == "":
			return Chart{}, fmt.Errorf("%w: account %d has no code or name", ErrChart, i+1)
		case !a.Type.Valid():
			return Chart{}, fmt.Errorf("%w: account %s: type %q is not asset, liability, equity, income or expense", ErrChart, a.Code, a.Type)
		}
		if _, dup := c.byCode[a.Code]; dup {
			return Chart{}, fmt.Errorf("%w: code %s appears twice", ErrChart, a.Code)
		}
		c.byCode[a.Code] = i
		for _, m := range a.Match {
			if _, err := path.Match(m, ""); err != nil {
				return Chart{}, fmt.Errorf("%w: account %s: pattern %q: %w", ErrChart, a.Code, m, err)
			}
		}
		if a.Role != "" {
			if other, dup := c.byRole[a.Role]; dup {
				return Chart{}, fmt.Errorf("%w: role %s held by %s and %s", ErrChart, a.Role, other, a.Code)
			}
			c.byRole[a.Role] = a.Code
		}
	}
	for _, r := range requiredRoles {
		if _, ok := c.byRole[r]; !ok {
			return Chart{}, fmt.Errorf("%w: no account has role %s", ErrChart, r)
		}
	}
	c.key = placement(c.Accounts)
	return c, nil
}

// placement fingerprints what decides where a ledger account goes: the
// codes, their types and patterns, in order. Names and roles do not.
func placement(accts []Account) string {
	h := sha256.New()
	for _, a := range accts {
		fmt.Fprintf(h, "%q %q %q\n", a.Code, a.Type, a.Match)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Code returns the code of the account holding role.
func (c Chart) Code(r Role) string { return c.byRole[r] }

// Account returns the chart account with code.
func (c Chart) Account(code string) (Account, bool) {
	i, ok := c.byCode[code]
	if !ok {
		return Account{}, false
	}
	return c.Accounts[i], true
}

// PerMember reports whether the chart account rolls up ledger accounts
// kept per member or per loan (its patterns have wildcards): those move
// only through the members' own commands and imports.
func (c Chart) PerMember(code string) bool {
	a, _ := c.Account(code)
	for _, m := range a.Match {
		if strings.ContainsAny(m, "*?[") {
			return true
		}
	}
	return false
}

// Classify returns the chart code a ledger account rolls up into: its own
// code when it is a chart account, else the first account whose pattern
// matches. ok is false for a ledger account the chart does not place.
func (c Chart) Classify(ledgerCode string) (string, bool) {
	if _, ok := c.byCode[ledgerCode]; ok {
		return ledgerCode, true
	}
	for _, a := range c.Accounts {
		for _, m := range a.Match {
			if ok, _ := path.Match(m, ledgerCode); ok {
				return a.Code, true
			}
		}
	}
	return "", false
}
