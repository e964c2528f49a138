// Package settle answers "pelunasan": what paying a loan off early costs,
// today or on a date the member names, in the member's words, and the new
// schedule a prepayment leaves. The amounts come from loan.Settle; this
// package reads the date and says the figures.
package settle

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/dialog"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/money"
)

// Localizer renders a message id in a language.
type Localizer interface {
	T(lang, id string, data any) string
}

// DateLayout is how dates read in chat.
const DateLayout = "02/01/2006"

// MaxAhead is how far ahead a quote may be asked for: beyond it the
// installments falling due meanwhile make the figure a guess.
const MaxAhead = 366 * 24 * time.Hour

// The flow's outcomes.
const (
	outcomeNone    = "none"
	outcomeBadDate = "bad_date"
)

// Register adds the member's action: "settlement.quote".
func Register(reg *dialog.Registry, msgs Localizer) {
	reg.Register("settlement.quote", func(ctx context.Context, env *dialog.Env) (dialog.Outcome, error) {
		return quote(ctx, env, msgs)
	}, outcomeNone, outcomeBadDate)
}

// quote says what settling each of the member's open loans costs on the
// date in the slot "date" (today when empty).
func quote(ctx context.Context, env *dialog.Env, msgs Localizer) (dialog.Outcome, error) {
	on, ok := When(env.Slots["date"], env.Now)
	if !ok {
		return dialog.Outcome{Name: outcomeBadDate, Data: BadDate(env.Slots["date"], env.Now)}, nil
	}
	o, err := loan.MemberLoans(ctx, env.Q, env.Member.ID, env.Now)
	if err != nil {
		return dialog.Outcome{}, err
	}
	if len(o.Loans) == 0 {
		return dialog.Outcome{Name: outcomeNone}, nil
	}
	var parts []string
	for _, l := range o.Loans {
		q, err := loan.Settle(ctx, env.Q, l.Ref, on)
		if err != nil {
			return dialog.Outcome{}, fmt.Errorf("settlement quote: %w", err)
		}
		parts = append(parts, Describe(msgs, env.Lang, q))
	}
	return dialog.Outcome{Data: map[string]any{"Date": on.Format(DateLayout), "Body": strings.Join(parts, "\n\n")}}, nil
}

// When reads the date a settlement is asked for, seen from now (a time in
// the cooperative's zone): ParseDate's, from today up to MaxAhead.
func When(s string, now time.Time) (time.Time, bool) {
	today := day(now)
	on, ok := ParseDate(s, today)
	return on, ok && !on.Before(today) && on.Sub(today) <= MaxAhead
}

// BadDate is the data of the message refusing the date s.
func BadDate(s string, now time.Time) map[string]any {
	return map[string]any{"Asked": s, "Today": day(now).Format(DateLayout)}
}

// Describe says one quote: the principal, what is already due, the
// period's interest by the policy, the fee and the exact total to pay.
func Describe(msgs Localizer, lang string, q loan.Quote) string {
	data := map[string]any{"Ref": q.Ref, "Date": q.On.Format(DateLayout), "Principal": money.Format(q.Principal(), lang),
		"Arrears": money.Format(q.Denda.Add(q.InterestDue), lang), "HasArrears": q.Denda.Add(q.InterestDue).IsPositive(),
		"Interest": money.Format(q.Interest, lang), "Days": q.Days, "Fee": money.Format(q.Fee, lang),
		"HasFee": q.Fee.IsPositive(), "Total": money.Format(q.Total, lang), "Policy": policyName(msgs, lang, q)}
	return msgs.T(lang, "settlement.loan", data)
}

// policyName says how the interest was computed. The ids are spelled out
// because the locale test looks for each in code.
func policyName(msgs Localizer, lang string, q loan.Quote) string {
	switch q.Policy {
	case loan.SettleCurrentPeriod:
		return msgs.T(lang, "settlement.policy.current_period", nil)
	case loan.SettleDiscount:
		return msgs.T(lang, "settlement.policy.discount", nil)
	default:
		return msgs.T(lang, "settlement.policy.accrued", map[string]any{"Days": q.Days})
	}
}

// Schedule says the installments a re-amortised loan still has to pay, one
// line each, for the receipt of the prepayment that made them.
func Schedule(msgs Localizer, lang string, rows []loan.InstallmentStatus) string {
	lines := make([]string, len(rows))
	for i, r := range rows {
		lines[i] = msgs.T(lang, "settlement.schedule.row", map[string]any{"No": r.No, "Due": r.Due.Format(DateLayout),
			"Amount": money.Format(r.Unpaid(), lang)})
	}
	return strings.Join(lines, "\n")
}

// IsAmountError reports whether err is a payment between the principal and
// the settlement amount, and returns its quote.
func IsAmountError(err error) (loan.Quote, bool) {
	var se *loan.SettlementError
	if errors.As(err, &se) {
		return se.Quote, true
	}
	return loan.Quote{}, false
}

// day is t's calendar date as stored dates are: midnight UTC.
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
