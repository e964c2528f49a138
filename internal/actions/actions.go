// Package actions holds the Go work behind the member flows: the names a
// flow's `action = "…"` refers to. Each action reads or writes through the
// domain packages inside the turn's transaction and hands the messages their
// data, formatted in the member's language.
package actions

import (
	"context"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/dialog"
	"github.com/kopmem/kopbot/internal/i18n"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/payment"
	"github.com/kopmem/kopbot/internal/settle"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// Localizer renders the few words actions put into data (kind names).
type Localizer interface {
	T(lang, id string, data any) string
}

// DateLayout is how dates read in chat: day first, as Indonesians write them.
const DateLayout = "02/01/2006"

// StatementLines is how many movements mutasi shows: a screenful on a phone.
const StatementLines = 10

// Announcer tells the officers of a new loan application and of the
// member's answer to their question (msgID: the member's message), inside
// the transaction that stores it, and passes on what a member asks them.
type Announcer interface {
	Announce(ctx context.Context, q store.Queryer, app loan.Application, m member.Member, now time.Time) error
	InfoAnswered(ctx context.Context, q store.Queryer, app loan.Application, m member.Member, msgID string, now time.Time) error
	Relay(ctx context.Context, q store.Queryer, h member.Handoff, m member.Member, msgID, text string, now time.Time) error
}

// Deps are what the actions work with.
type Deps struct {
	Msgs     Localizer
	Catalog  loan.Catalog
	Policy   loan.Policy
	Officers Announcer
	// WajibAmount is the monthly simpanan wajib (zero: not told).
	WajibAmount decimal.Decimal
	// Pay tells members how to pay, with a unique code.
	Pay payment.Instructions
	// Joining says what joining the cooperative takes.
	Joining Requirer
	// Files keeps the statements members ask for as files.
	Files FileStore
}

// Registry returns every action the flows may use.
func Registry(d Deps) *dialog.Registry {
	reg := dialog.NewRegistry()
	s := savingsActions{msgs: d.Msgs, wajib: d.WajibAmount, files: d.Files}
	reg.Register("savings.summary", s.summary)
	reg.Register("savings.statement", s.statement, outcomeEmpty, outcomeBadMonth, outcomeFile)
	reg.Register("member.set_language", setLanguage)
	d.registerLoan(reg)
	registerReminder(reg)
	d.registerHandoff(reg)
	d.registerMembership(reg)
	settle.Register(reg, d.Msgs)
	reg.Register("shu.explain", d.shuExplain, outcomeNone)
	reg.Register("payment.instructions", d.payInstructions, payment.OutcomeNothingDue, payment.OutcomeOffice)
	return reg
}

// payInstructions tells the member where to transfer and how much, with
// their unique code.
func (d Deps) payInstructions(ctx context.Context, env *dialog.Env) (dialog.Outcome, error) {
	name, data, err := d.Pay.For(ctx, env.Q, env.Member, env.Lang, env.Now)
	return dialog.Outcome{Name: name, Data: data}, err
}

func setLanguage(ctx context.Context, env *dialog.Env) (dialog.Outcome, error) {
	lang := i18n.Normalize(env.Slots["lang"])
	if lang == "" {
		return dialog.Outcome{}, fmt.Errorf("set language: flow gave %q", env.Slots["lang"])
	}
	if err := member.SetLanguage(ctx, env.Q, env.Member.ID, lang); err != nil {
		return dialog.Outcome{}, err
	}
	env.Lang = lang
	return dialog.Outcome{}, nil
}
