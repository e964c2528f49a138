package withdraw

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/kopmem/kopbot/internal/dialog"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/kopmem/kopbot/internal/store"
)

// Localizer renders a message id in a language.
type Localizer interface {
	T(lang, id string, data any) string
}

// Officers are told of a member's new request and of one the member
// cancelled, inside the transaction that records it.
type Officers interface {
	AnnounceWithdrawal(ctx context.Context, q store.Queryer, w Withdrawal, m member.Member, now time.Time) error
	WithdrawalCancelled(ctx context.Context, q store.Queryer, w Withdrawal, m member.Member, now time.Time) error
}

// Member is the member's side of withdrawals, as the flows call it.
type Member struct {
	Rules    Rules
	Msgs     Localizer
	Officers Officers
}

// The flows' outcomes.
const (
	outcomeLocked  = "locked"
	outcomeArrears = "arrears"
	outcomeEmpty   = "empty"
	outcomeTooMuch = "too_much"
	outcomeNone    = "none"
	outcomeInvalid = "invalid"
	outcomeRefused = "refused"
	outcomeSeveral = "several"
	outcomeGone    = "gone"
)

// The slots the flows keep.
const (
	slotRest    = "rest"
	slotSaid    = "said"
	slotAmount  = "amount"
	slotMethod  = "method"
	slotAccount = "account"
	// slotOnFile is onFile while slotAccount holds the account on file.
	slotOnFile = "on_file"
	slotID     = "withdrawal"
)

const onFile = "1"

// Register adds the member's actions to reg.
func (s Member) Register(reg *dialog.Registry) {
	reg.Register("withdraw.start", s.start, outcomeLocked, outcomeArrears, outcomeEmpty)
	reg.Register("withdraw.check", s.check, outcomeTooMuch, outcomeArrears)
	reg.Register("withdraw.account", s.account, outcomeNone)
	reg.Register("withdraw.read_account", s.readAccount, outcomeInvalid)
	reg.Register("withdraw.review", s.review)
	reg.Register("withdraw.submit", s.submit, outcomeRefused)
	reg.Register("withdraw.open", s.open, outcomeNone)
	reg.Register("withdraw.find", s.find, outcomeNone, outcomeSeveral)
	reg.Register("withdraw.cancel", s.cancel, outcomeGone)
}

// start refuses pokok and wajib, arrears and an empty account before
// anything is asked, and says what may be taken out.
func (s Member) start(ctx context.Context, env *dialog.Env) (dialog.Outcome, error) {
	qt, err := QuoteFor(ctx, env.Q, env.Member.ID, 0, env.Now, s.Rules)
	if err != nil {
		return dialog.Outcome{}, err
	}
	data := s.quoteData(env.Lang, qt)
	if k, ok := lockedKind(env.Slots[slotRest] + " " + env.Slots[slotSaid]); ok {
		bal, err := savings.Summary(ctx, env.Q, env.Member.ID)
		if err != nil {
			return dialog.Outcome{}, err
		}
		data["Kind"] = strings.ToLower(s.Msgs.T(env.Lang, "savings.kind."+string(k), nil))
		data["Pokok"], data["Wajib"] = money.Format(bal.Pokok, env.Lang), money.Format(bal.Wajib, env.Lang)
		return dialog.Outcome{Name: outcomeLocked, Data: data}, nil
	}
	switch {
	case s.Rules.BlockArrears && qt.Arrears.IsPositive():
		return dialog.Outcome{Name: outcomeArrears, Data: data}, nil
	case !qt.Available.IsPositive():
		return dialog.Outcome{Name: outcomeEmpty, Data: data}, nil
	}
	return dialog.Outcome{Data: data}, nil
}

// lockedKind finds pokok or wajib named in what the member wrote.
func lockedKind(said string) (savings.Kind, bool) {
	for _, w := range strings.FieldsFunc(strings.ToLower(said), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if k, err := savings.ParseKind(w); err == nil && k != savings.Sukarela {
			return k, true
		}
	}
	return "", false
}

func (s Member) quoteData(lang string, qt Quote) map[string]any {
	return map[string]any{"Sukarela": money.Format(qt.Sukarela, lang), "Held": money.Format(qt.Held, lang),
		"HasHeld": qt.Held.IsPositive(), "Minimum": money.Format(qt.Minimum, lang),
		"Available": money.Format(qt.Available, lang), "Arrears": money.Format(qt.Arrears, lang)}
}

// check takes the amount asked against the quote.
func (s Member) check(ctx context.Context, env *dialog.Env) (dialog.Outcome, error) {
	amt, err := money.Parse(env.Slots[slotAmount])
	if err != nil {
		return dialog.Outcome{}, fmt.Errorf("withdrawal amount %q: %w", env.Slots[slotAmount], err)
	}
	qt, err := QuoteFor(ctx, env.Q, env.Member.ID, 0, env.Now, s.Rules)
	if err != nil {
		return dialog.Outcome{}, err
	}
	data := s.quoteData(env.Lang, qt)
	data["Amount"] = money.Format(amt, env.Lang)
	switch err := qt.Allows(amt, s.Rules); {
	case errors.Is(err, ErrArrears):
		return dialog.Outcome{Name: outcomeArrears, Data: data}, nil
	case errors.Is(err, ErrBelowMinimum):
		return dialog.Outcome{Name: outcomeTooMuch, Data: data}, nil
	case err != nil:
		return dialog.Outcome{}, err
	}
	return dialog.Outcome{Data: data}, nil
}

// account offers the member's bank account on file; with none the
// member is asked to type one, which stays with the request.
func (s Member) account(_ context.Context, env *dialog.Env) (dialog.Outcome, error) {
	if env.Member.Bank.IsZero() {
		return dialog.Outcome{Name: outcomeNone}, nil
	}
	env.Slots[slotAccount], env.Slots[slotOnFile] = env.Member.Bank.String(), onFile
	return dialog.Outcome{Data: map[string]any{"Account": env.Member.Bank.String()}}, nil
}

// readAccount takes the account the member typed: a bank and a number.
// It is kept with the request only; the register changes by an officer.
func (s Member) readAccount(_ context.Context, env *dialog.Env) (dialog.Outcome, error) {
	acct, ok := ReadAccount(env.Slots[slotAccount])
	if !ok {
		return dialog.Outcome{Name: outcomeInvalid}, nil
	}
	env.Slots[slotAccount], env.Slots[slotOnFile] = acct, ""
	return dialog.Outcome{Data: map[string]any{"Account": acct}}, nil
}

// ReadAccount reads what a member types as their bank account ("BRI
// 0123-01-000123-50-1 a.n. Siti"): kept as typed, spaces folded, when it
// holds an account number of 6 to 24 digits and a name of its bank.
func ReadAccount(s string) (string, bool) {
	s = strings.Join(strings.Fields(s), " ")
	digits, letters := 0, 0
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			digits++
		case unicode.IsLetter(r):
			letters++
		}
	}
	return s, digits >= 6 && digits <= 24 && letters >= 2 && len(s) <= 80
}

// review says the request before the member confirms it.
func (s Member) review(_ context.Context, env *dialog.Env) (dialog.Outcome, error) {
	amt, err := money.Parse(env.Slots[slotAmount])
	if err != nil {
		return dialog.Outcome{}, fmt.Errorf("withdrawal amount %q: %w", env.Slots[slotAmount], err)
	}
	return dialog.Outcome{Data: map[string]any{"Amount": money.Format(amt, env.Lang),
		"How": How(s.Msgs, env.Lang, Withdrawal{Request: Request{Method: Method(env.Slots[slotMethod]),
			Account: env.Slots[slotAccount], OnFile: env.Slots[slotOnFile] == onFile}})}}, nil
}

// How says in lang how the money of w reaches the member: cash, the
// account on file, or an account the member typed.
func How(msgs Localizer, lang string, w Withdrawal) string {
	switch {
	case w.Method == Transfer && w.OnFile:
		return msgs.T(lang, "withdraw.method.transfer_on_file", map[string]any{"Account": w.Account})
	case w.Method == Transfer:
		return msgs.T(lang, "withdraw.method.transfer", map[string]any{"Account": w.Account})
	}
	return msgs.T(lang, "withdraw.method.cash", nil)
}

// submit records the request, once per confirming message, and tells the
// officers.
func (s Member) submit(ctx context.Context, env *dialog.Env) (dialog.Outcome, error) {
	amt, err := money.Parse(env.Slots[slotAmount])
	if err != nil {
		return dialog.Outcome{}, fmt.Errorf("withdrawal amount %q: %w", env.Slots[slotAmount], err)
	}
	w, fresh, err := Ask(ctx, env.Q, Request{Key: "chat:" + env.MessageID, MemberID: env.Member.ID, Amount: amt,
		Method: Method(env.Slots[slotMethod]), Account: env.Slots[slotAccount], OnFile: env.Slots[slotOnFile] == onFile,
		At: env.Now}, s.Rules)
	var why string
	switch {
	case errors.Is(err, ErrAccountChanged):
		why = "withdraw.refused.account_changed"
	case errors.Is(err, ErrArrears):
		why = "withdraw.refused.arrears"
	case errors.Is(err, ErrBelowMinimum):
		why = "withdraw.refused.minimum"
	case err != nil:
		return dialog.Outcome{}, err
	}
	if why != "" {
		return dialog.Outcome{Name: outcomeRefused, Data: map[string]any{"Why": s.Msgs.T(env.Lang, why, nil)}}, nil
	}
	if fresh {
		if err := s.Officers.AnnounceWithdrawal(ctx, env.Q, w, env.Member, env.Now); err != nil {
			return dialog.Outcome{}, err
		}
	}
	return dialog.Outcome{Data: map[string]any{"Ref": w.Ref(), "Amount": money.Format(w.Amount, env.Lang),
		"How": How(s.Msgs, env.Lang, w)}}, nil
}

// open lists the member's requests not yet posted.
func (s Member) open(ctx context.Context, env *dialog.Env) (dialog.Outcome, error) {
	ws, err := OpenOf(ctx, env.Q, env.Member.ID)
	if err != nil {
		return dialog.Outcome{}, err
	}
	if len(ws) == 0 {
		return dialog.Outcome{Name: outcomeNone}, nil
	}
	return dialog.Outcome{Data: map[string]any{"Withdrawals": s.lines(env.Lang, env.Now, ws)}}, nil
}

// lines lists ws, dated in the zone of now.
func (s Member) lines(lang string, now time.Time, ws []Withdrawal) string {
	lines := make([]string, len(ws))
	for i, w := range ws {
		lines[i] = s.Msgs.T(lang, "withdraw.line", map[string]any{"Ref": w.Ref(), "Amount": money.Format(w.Amount, lang),
			"How": How(s.Msgs, lang, w), "Status": s.Msgs.T(lang, StatusID(w.Status), nil),
			"Date": w.At.In(now.Location()).Format("02/01/2006")})
	}
	return strings.Join(lines, "\n")
}

// find picks the request "batal tarik" cancels: the one named (W-17), or
// the member's only open one.
func (s Member) find(ctx context.Context, env *dialog.Env) (dialog.Outcome, error) {
	ws, err := OpenOf(ctx, env.Q, env.Member.ID)
	if err != nil {
		return dialog.Outcome{}, err
	}
	if id, ok := ParseRef(env.Slots[slotRest]); ok {
		for _, w := range ws {
			if w.ID == id {
				ws = []Withdrawal{w}
				break
			}
		}
	}
	switch len(ws) {
	case 0:
		return dialog.Outcome{Name: outcomeNone}, nil
	case 1:
	default:
		return dialog.Outcome{Name: outcomeSeveral, Data: map[string]any{"Withdrawals": s.lines(env.Lang, env.Now, ws)}}, nil
	}
	env.Slots[slotID] = strconv.FormatInt(ws[0].ID, 10)
	return dialog.Outcome{Data: map[string]any{"Ref": ws[0].Ref(), "Amount": money.Format(ws[0].Amount, env.Lang)}}, nil
}

// cancel withdraws the request find picked, unless an officer posted or
// rejected it meanwhile.
func (s Member) cancel(ctx context.Context, env *dialog.Env) (dialog.Outcome, error) {
	id, err := strconv.ParseInt(env.Slots[slotID], 10, 64)
	if err != nil {
		return dialog.Outcome{}, fmt.Errorf("cancel withdrawal: slot %q: %w", env.Slots[slotID], err)
	}
	w, err := Cancel(ctx, env.Q, env.Member.ID, id, env.Now)
	var decided *DecidedError
	switch {
	case errors.As(err, &decided):
		return dialog.Outcome{Name: outcomeGone, Data: map[string]any{"Ref": decided.W.Ref(),
			"Status": s.Msgs.T(env.Lang, StatusID(decided.W.Status), nil)}}, nil
	case err != nil:
		return dialog.Outcome{}, err
	}
	if err := s.Officers.WithdrawalCancelled(ctx, env.Q, w, env.Member, env.Now); err != nil {
		return dialog.Outcome{}, err
	}
	return dialog.Outcome{Data: map[string]any{"Ref": w.Ref(), "Amount": money.Format(w.Amount, env.Lang)}}, nil
}

// StatusID is the message that says status s to a member or an officer.
func StatusID(s Status) string {
	switch s {
	case Approved:
		return "withdraw.status.approved"
	case Posted:
		return "withdraw.status.posted"
	case Rejected:
		return "withdraw.status.rejected"
	case Cancelled:
		return "withdraw.status.cancelled"
	}
	return "withdraw.status.pending"
}
