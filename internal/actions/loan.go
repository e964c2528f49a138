package actions

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kopmem/kopbot/internal/dialog"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/understand"
	"github.com/shopspring/decimal"
)

// Outcomes the loan actions branch on.
const (
	outcomeInvalid = "invalid"
	outcomeRefused = "refused"
	outcomeNone    = "none"
)

// Slots the loan flows fill.
const (
	slotProductIn = "product_in"
	slotProduct   = "product"
	slotAmount    = "amount"
	slotTenor     = "tenor"
	slotPurpose   = "purpose"
	slotRef       = "ref"
	slotInfo      = "info"
)

type loanActions struct {
	msgs     Localizer
	cat      loan.Catalog
	pol      loan.Policy
	officers Announcer
}

func (d Deps) registerLoan(reg *dialog.Registry) {
	a := loanActions{msgs: d.Msgs, cat: d.Catalog, pol: d.Policy, officers: d.Officers}
	reg.Register("loan.products", a.products)
	reg.Register("loan.pick_product", a.pickProduct, outcomeInvalid)
	reg.Register("loan.limits", a.limits)
	reg.Register("loan.check_terms", a.checkTerms, outcomeInvalid)
	reg.Register("loan.check_eligibility", a.checkEligibility, outcomeInvalid)
	reg.Register("loan.can_apply", a.canApply, outcomeRefused)
	reg.Register("loan.simulate", a.simulate)
	reg.Register("loan.submit", a.submit, outcomeRefused)
	reg.Register("loan.overview", a.overview, outcomeNone)
	reg.Register("loan.schedule", a.schedule, outcomeNone)
	reg.Register("loan.info_question", a.infoQuestion, outcomeNone)
	reg.Register("loan.add_info", a.addInfo, outcomeNone)
	reg.Register("loan.pending_application", a.pendingApplication, outcomeNone)
	reg.Register("loan.cancel", a.cancel, outcomeNone)
}

// products lists the catalog as a numbered menu.
func (a loanActions) products(_ context.Context, env *dialog.Env) (dialog.Outcome, error) {
	lines := make([]string, 0, len(a.cat.Products()))
	for i, p := range a.cat.Products() {
		lines = append(lines, a.msgs.T(env.Lang, "loan.product.line", map[string]any{
			"No": i + 1, "Name": p.Name, "Method": a.methodName(env.Lang, p.Method), "Rate": money.Percent(p.RatePerMonth, env.Lang),
			"Min": money.Format(p.MinAmount, env.Lang), "Max": money.Format(p.MaxAmount, env.Lang),
			"MinTenor": p.MinTenor, "MaxTenor": p.MaxTenor,
		}))
	}
	return dialog.Outcome{Data: map[string]any{"Products": strings.Join(lines, "\n")}}, nil
}

// pickProduct reads the member's pick: its number ("2", "yang kedua",
// "no 1"), its code, or a word of its name, typos forgiven ("usha").
func (a loanActions) pickProduct(_ context.Context, env *dialog.Env) (dialog.Outcome, error) {
	in := strings.TrimSpace(env.Slots[slotProductIn])
	p, ok := a.cat.ByCode(in)
	if n := understand.Ordinal(in); !ok && n > 0 {
		p, ok = a.cat.ByMenu(n)
	}
	if !ok {
		p, ok = a.byName(in)
	}
	if !ok {
		return dialog.Outcome{Name: outcomeInvalid}, nil
	}
	env.Slots[slotProduct] = p.Code
	return dialog.Outcome{Data: map[string]any{"ProductName": p.Name}}, nil
}

// byName finds the one product whose name or code has a word the member
// typed; a word every product shares ("pinjaman") tells none apart.
func (a loanActions) byName(in string) (loan.Product, bool) {
	var found loan.Product
	hits := 0
	for _, cand := range a.cat.Products() {
		if nameMatches(understand.Words(in), understand.Words(cand.Name+" "+cand.Code), a.cat.Products()) {
			found = cand
			hits++
		}
	}
	return found, hits == 1
}

func nameMatches(typed, name []string, all []loan.Product) bool {
	for _, w := range typed {
		for _, n := range name {
			if (w == n || understand.Near(w, n)) && !sharedWord(n, all) {
				return true
			}
		}
	}
	return false
}

func sharedWord(w string, all []loan.Product) bool {
	for _, p := range all {
		if !slices.Contains(understand.Words(p.Name+" "+p.Code), w) {
			return false
		}
	}
	return true
}

// limits tells the member the amounts and tenors they may ask for; for an
// application the plafon narrows the product's maximum. The plafon is said
// as it is, the smaller of the two apart: a plafon above the product's
// maximum called "your plafon" would be wrong.
func (a loanActions) limits(ctx context.Context, env *dialog.Env) (dialog.Outcome, error) {
	c, err := loan.Eligibility(ctx, env.Q, env.Member.ID, env.Slots[slotProduct], decimal.Zero, 0, env.Now, a.cat, a.pol)
	if err != nil {
		return dialog.Outcome{}, err
	}
	return dialog.Outcome{Data: map[string]any{
		"ProductName": c.Product.Name,
		"Min":         money.Format(c.Product.MinAmount, env.Lang),
		"Max":         money.Format(c.Product.MaxAmount, env.Lang),
		"Plafon":      money.Format(c.Plafon, env.Lang),
		"Allowed":     money.Format(c.MaxAmount, env.Lang),
		"MinTenor":    c.Product.MinTenor,
		"MaxTenor":    c.Product.MaxTenor,
	}}, nil
}

// memberRules are the refusals that stop an application before any figure
// is asked.
var memberRules = []loan.Reason{loan.ReasonPendingRequest, loan.ReasonArrears, loan.ReasonOpenLoan}

// checkTerms checks a simulation's figures against the product's own
// limits: the member's standing is for applying, and those limits need
// no database.
func (a loanActions) checkTerms(_ context.Context, env *dialog.Env) (dialog.Outcome, error) {
	amount, tenor, err := terms(env)
	if err != nil {
		return dialog.Outcome{}, err
	}
	p, ok := a.cat.ByCode(env.Slots[slotProduct])
	if !ok {
		return dialog.Outcome{}, nil // pick_product let no unknown product through
	}
	return a.verdict(env.Lang, p.Refusals(amount, tenor)), nil
}

// checkEligibility runs every eligibility rule on what the member has
// answered so far.
func (a loanActions) checkEligibility(ctx context.Context, env *dialog.Env) (dialog.Outcome, error) {
	amount, tenor, err := terms(env)
	if err != nil {
		return dialog.Outcome{}, err
	}
	c, err := loan.Eligibility(ctx, env.Q, env.Member.ID, env.Slots[slotProduct], amount, tenor, env.Now, a.cat, a.pol)
	if err != nil {
		return dialog.Outcome{}, err
	}
	return a.verdict(env.Lang, c.Refusals), nil
}

// verdict takes a check's "invalid" branch, explaining why, when anything
// is refused.
func (a loanActions) verdict(lang string, refusals []loan.Refusal) dialog.Outcome {
	if why := a.explain(lang, refusals, nil); why != "" {
		return dialog.Outcome{Name: outcomeInvalid, Data: map[string]any{"Why": why}}
	}
	return dialog.Outcome{}
}

func (a loanActions) canApply(ctx context.Context, env *dialog.Env) (dialog.Outcome, error) {
	first := a.cat.Products()[0].Code
	c, err := loan.Eligibility(ctx, env.Q, env.Member.ID, first, decimal.Zero, 0, env.Now, a.cat, a.pol)
	if err != nil {
		return dialog.Outcome{}, err
	}
	if why := a.explain(env.Lang, c.Refusals, memberRules); why != "" {
		return dialog.Outcome{Name: outcomeRefused, Data: map[string]any{"Why": why}}, nil
	}
	return dialog.Outcome{}, nil
}

// terms reads the amount and tenor slots; an unanswered one is zero.
func terms(env *dialog.Env) (decimal.Decimal, int, error) {
	amount := decimal.Zero
	if s := env.Slots[slotAmount]; s != "" {
		var err error
		if amount, err = decimal.NewFromString(s); err != nil {
			return decimal.Zero, 0, fmt.Errorf("amount slot %q: %w", s, err)
		}
	}
	tenor := 0
	if s := env.Slots[slotTenor]; s != "" {
		var err error
		if tenor, err = strconv.Atoi(s); err != nil {
			return decimal.Zero, 0, fmt.Errorf("tenor slot %q: %w", s, err)
		}
	}
	return amount, tenor, nil
}

// explain renders each refusal (of the listed reasons; nil: all) as the
// sentence that explains it.
func (a loanActions) explain(lang string, refusals []loan.Refusal, only []loan.Reason) string {
	var out []string
	for _, r := range refusals {
		if only != nil && !contains(only, r.Reason) {
			continue
		}
		out = append(out, a.msgs.T(lang, r.Reason.MessageID(), map[string]any{
			"Product": r.Product, "Amount": money.Format(r.Amount, lang), "Limit": money.Format(r.Limit, lang),
			"Tenor": r.Tenor, "MinTenor": r.MinTenor, "MaxTenor": r.MaxTenor,
			"Savings": money.Format(r.Savings, lang), "Multiple": r.Multiple.String(),
			"Ref": r.Ref, "Status": a.statusName(lang, r.Status),
			"Outstanding": money.Format(r.Outstanding, lang), "Days": r.Days,
		}))
	}
	return strings.Join(out, "\n")
}

func contains(rs []loan.Reason, r loan.Reason) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// simulate computes the schedule of what the member has answered; the
// same figures serve the simulation and the review before applying.
func (a loanActions) simulate(_ context.Context, env *dialog.Env) (dialog.Outcome, error) {
	p, ok := a.cat.ByCode(env.Slots[slotProduct])
	if !ok {
		return dialog.Outcome{}, fmt.Errorf("simulate: product %q left the catalog", env.Slots[slotProduct])
	}
	amount, tenor, err := terms(env)
	if err != nil {
		return dialog.Outcome{}, err
	}
	sched, err := loan.Schedule(p, amount, tenor, env.Now)
	if err != nil {
		return dialog.Outcome{}, fmt.Errorf("simulate %s %s×%d: %w", p.Code, amount, tenor, err)
	}
	interest := decimal.Zero
	rows := make([][]string, 0, len(sched)+1)
	rows = append(rows, strings.Fields(a.msgs.T(env.Lang, "loan.schedule.header", nil)))
	for _, in := range sched {
		interest = interest.Add(in.Interest)
		rows = append(rows, []string{strconv.Itoa(in.No), money.FormatPlain(in.Principal, env.Lang),
			money.FormatPlain(in.Interest, env.Lang), money.FormatPlain(in.Total, env.Lang), money.FormatPlain(in.Remaining, env.Lang)})
	}
	return dialog.Outcome{Data: map[string]any{
		"ProductName":   p.Name,
		"Method":        a.methodName(env.Lang, p.Method),
		"Rate":          money.Percent(p.RatePerMonth, env.Lang),
		"Amount":        money.Format(amount, env.Lang),
		"Tenor":         tenor,
		"Installment":   money.Format(sched[0].Total, env.Lang),
		"TotalInterest": money.Format(interest, env.Lang),
		"TotalPayment":  money.Format(amount.Add(interest), env.Lang),
		"Table":         table(rows),
		// A flat rate reads cheaper than it is: say what it costs a year
		// on the declining balance, as an anuitas rate would be stated.
		"Effective": effective(p, amount, sched, env.Lang),
	}}, nil
}

func effective(p loan.Product, amount decimal.Decimal, sched []loan.Installment, lang string) string {
	if p.Method != loan.Flat {
		return ""
	}
	return money.Percent(loan.EffectiveAnnualRate(amount, sched).Round(3), lang)
}

// submit stores the application, keyed by the confirming message so a
// redelivered "ya" makes no second request, and tells the officers.
func (a loanActions) submit(ctx context.Context, env *dialog.Env) (dialog.Outcome, error) {
	amount, tenor, err := terms(env)
	if err != nil {
		return dialog.Outcome{}, err
	}
	app, err := loan.Apply(ctx, env.Q, loan.Request{Key: env.MessageID, MemberID: env.Member.ID, Product: env.Slots[slotProduct],
		Amount: amount, Tenor: tenor, Purpose: env.Slots[slotPurpose], Now: env.Now}, a.cat, a.pol)
	var refused *loan.RefusedError
	if errors.As(err, &refused) {
		return dialog.Outcome{Name: outcomeRefused, Data: map[string]any{"Why": a.explain(env.Lang, refused.Check.Refusals, nil)}}, nil
	}
	if err != nil {
		return dialog.Outcome{}, err
	}
	if !app.Replayed {
		if err := a.officers.Announce(ctx, env.Q, app, env.Member, env.Now); err != nil {
			return dialog.Outcome{}, fmt.Errorf("announce %s: %w", app.Ref, err)
		}
	}
	return dialog.Outcome{Data: map[string]any{"Ref": app.Ref}}, nil
}

func (a loanActions) methodName(lang string, m loan.Method) string {
	if m == loan.Annuity {
		return a.msgs.T(lang, "loan.method.annuity", nil)
	}
	return a.msgs.T(lang, "loan.method.flat", nil)
}

func (a loanActions) statusName(lang string, s loan.Status) string {
	switch s {
	case loan.StatusPending:
		return a.msgs.T(lang, "loan.status.pending", nil)
	case loan.StatusInfoRequested:
		return a.msgs.T(lang, "loan.status.info_requested", nil)
	case loan.StatusAwaitingSecond:
		return a.msgs.T(lang, "loan.status.awaiting_second", nil)
	case loan.StatusApproved:
		return a.msgs.T(lang, "loan.status.approved", nil)
	case loan.StatusRejected:
		return a.msgs.T(lang, "loan.status.rejected", nil)
	case loan.StatusCancelled:
		return a.msgs.T(lang, "loan.status.cancelled", nil)
	default:
		return a.msgs.T(lang, "loan.status.disbursed", nil)
	}
}

// table lays rows out in columns for a monospace block: right-aligned, as
// figures are, except the columns named in left (words).
func table(rows [][]string, left ...int) string {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for n, r := range rows {
		if n > 0 {
			b.WriteByte('\n')
		}
		for i, c := range r {
			if i > 0 {
				b.WriteByte(' ')
			}
			fill := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if slices.Contains(left, i) {
				b.WriteString(c + fill)
			} else {
				b.WriteString(fill + c)
			}
		}
	}
	return b.String()
}
