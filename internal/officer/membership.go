package officer

import (
	"cmp"
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/duty"
	"github.com/kopmem/kopbot/internal/i18n"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/membership"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/notify"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/kopmem/kopbot/internal/withdraw"
)

// The wiring of joining and leaving (package membership) to the desk:
// /daftar, /keluar, a manajer's confirmation of a member leaving, and what
// a number that is no member is told when it asks to join.

// Joining configures registering members and answering who asks to join.
type Joining struct {
	// FirstNumber is the first member number given; "" means KMM-00001.
	FirstNumber string
	// Requirements are what someone needs to join, by language; the
	// cooperative's own language stands in for a missing one, and the
	// general text of the locales for none.
	Requirements map[string]string
	// Wajib is the monthly simpanan wajib told with the requirements (zero:
	// not told).
	Wajib decimal.Decimal
	// ProspectDays is how long an unregistered prospect is kept, told to
	// them when they leave their name.
	ProspectDays int
}

// proposalLeave is the kind of a member's leaving waiting for a manajer;
// its detail is leaveDetail's.
const proposalLeave = "leave"

// leaveDetail is a leaving proposal's detail, tab-separated: the member
// number; for a payout by transfer the account on file it was shown with,
// so the confirmation pays that account or none; and the loans' pelunasan
// set off against the savings, so a pelunasan grown by a day's interest or
// lowered by a payment is confirmed anew.
func leaveDetail(m member.Member, to member.BankAccount, setOff decimal.Decimal) string {
	f := []string{m.Number}
	if !to.IsZero() {
		f = append(f, "transfer", to.Bank, to.Number, to.Holder)
	}
	if setOff.IsPositive() {
		f = append(f, "kompensasi", setOff.String())
	}
	return strings.Join(f, "\t")
}

// leaveOf reads leaveDetail's account (zero for cash) and set-off back.
func leaveOf(detail string) (member.BankAccount, decimal.Decimal) {
	var to member.BankAccount
	setOff := decimal.Zero
	f := strings.Split(detail, "\t")
	for i := 1; i < len(f); i++ {
		switch {
		case f[i] == "transfer" && i+3 < len(f):
			to, i = member.BankAccount{Bank: f[i+1], Number: f[i+2], Holder: f[i+3]}, i+3
		case f[i] == "kompensasi" && i+1 < len(f):
			// Unreadable is no set-off, which no longer matches the loans and is refused.
			setOff, _ = decimal.NewFromString(f[i+1])
			i++
		}
	}
	return to, setOff
}

// payoutWords are the last word of /keluar: how the savings are paid.
var payoutWords = map[string]bool{"transfer": true, "tf": true, "trf": true, "tunai": false, "cash": false}

// leaveEmptyVerb is the button data's verb of a manajer's confirmation
// that a member holding no savings leaves: "kx:<member id>". With money
// to pay out the confirmation is a proposal's (confirmData).
const leaveEmptyVerb = "kx"

func leaveEmptyData(memberID int64) string {
	return leaveEmptyVerb + ":" + strconv.FormatInt(memberID, 10)
}

func parseLeaveEmpty(data string) (int64, bool) {
	verb, id, ok := strings.Cut(data, ":")
	n, err := strconv.ParseInt(id, 10, 64)
	return n, ok && verb == leaveEmptyVerb && err == nil && n > 0
}

func (d *Desk) settings() membership.Settings {
	return membership.Settings{FirstNumber: d.cfg.Joining.FirstNumber, Pokok: d.cfg.Duties.Pokok}
}

// Requirements is what someone needs to join, in lang, with the simpanan
// they will pay.
func (d *Desk) Requirements(lang string) string {
	text := cmp.Or(d.cfg.Joining.Requirements[lang], d.cfg.Joining.Requirements[i18n.Default],
		d.cfg.Msgs.T(lang, "membership.requirements.general", nil))
	data := map[string]any{"Requirements": text, "Pokok": money.Format(d.cfg.Duties.Pokok, lang), "Wajib": ""}
	if w := d.cfg.Joining.Wajib; w.IsPositive() {
		data["Wajib"] = money.Format(w, lang)
	}
	return d.cfg.Msgs.T(lang, "membership.requirements", data)
}

// Prospect implements router.Desk: a number that is no member asked to
// join, leaving name ("" when it only asked). It is told the requirements,
// or thanked for the name, which goes to the officers' group with the
// number; a Telegram account that has not shared its number is asked to,
// and its name goes when the number comes. Past membership.AnswersPerDay
// it is told nothing.
func (d *Desk) Prospect(ctx context.Context, q store.Queryer, msg channel.Message, lang, name string, now time.Time) (string, error) {
	now = now.In(d.cfg.Location)
	asked, err := membership.Record(ctx, q, membership.Ask{Channel: msg.Channel, Chat: msg.Chat, Phone: msg.Phone, Name: name,
		Day: now.Format(time.DateOnly), At: now})
	switch {
	case err != nil || !asked.Answer:
		return "", err
	case asked.Named:
		text := d.cfg.Msgs.T(groupLang, "membership.group.prospect", map[string]any{"Name": markup.Escape(asked.Name),
			"Phone": "+" + asked.Phone})
		if err := d.toGroup(ctx, q, text, nil, now); err != nil {
			return "", err
		}
	case asked.Phone == "":
		return d.Requirements(lang) + "\n\n" + d.cfg.Msgs.T(lang, "membership.prospect.share_contact",
			map[string]any{"Name": markup.Escape(asked.Name)}), nil
	case name == "":
		return d.Requirements(lang), nil
	}
	return d.cfg.Msgs.T(lang, "membership.prospect.named", map[string]any{"Name": markup.Escape(asked.Name),
		"Days": d.cfg.Joining.ProspectDays}), nil
}

// register is /daftar <no. HP> <nama lengkap>: the next member number, the
// simpanan pokok owed, and a welcome on WhatsApp.
func (d *Desk) register(t *turn, args []string) (string, error) {
	number, name := phoneAndName(args)
	t.subject = number
	if name == "" {
		return "", refuse("missing name", "officer.error.usage", map[string]any{"Usage": d.say(t, "membership.usage.daftar", nil)})
	}
	r, err := membership.Register(t.ctx, t.tx, d.settings(), membership.Registration{Phone: number,
		Name: name, Officer: t.off.ID, At: t.now})
	var taken *membership.TakenError
	switch {
	case errors.As(err, &taken):
		return "", refuse(err.Error(), "membership.officer.taken", map[string]any{"Phone": markup.Escape(number),
			"Member": markup.Escape(taken.Member.Name), "Number": taken.Member.Number})
	case errors.Is(err, membership.ErrPhone):
		return "", refuse(err.Error(), "membership.officer.bad_phone", map[string]any{"Phone": markup.Escape(number)})
	case errors.Is(err, membership.ErrName):
		return "", refuse(err.Error(), "membership.officer.bad_name", map[string]any{"Name": markup.Escape(name)})
	case err != nil:
		return "", err
	}
	m := r.Member
	t.subject = m.Number
	if err := notify.Member(t.ctx, t.tx, d.cfg.Msgs, m, "membership.welcome", map[string]any{"Name": markup.Escape(m.Name),
		"Number": m.Number, "Pokok": money.Format(r.Pokok, m.Lang)}, t.now); err != nil {
		return "", err
	}
	data := map[string]any{"Name": markup.Escape(m.Name), "Number": m.Number, "Phone": "+" + m.Phone,
		"Pokok": money.Format(r.Pokok, t.lang), "PokokPlain": r.Pokok.String(), "Old": ""}
	if r.Released.ID != 0 {
		data["Old"], data["OldName"] = r.Released.Number, markup.Escape(r.Released.Name)
		data["LeftOn"] = r.Released.LeftOn.Format(DateLayout)
	}
	return d.say(t, "membership.officer.registered", data), nil
}

// phoneAndName splits /daftar's words: the number is the leading words
// that start with a digit, + or (, as phones are written in groups
// ("+62 812 1111 2222"); the name is the rest.
func phoneAndName(args []string) (number, name string) {
	i := 0
	for i < len(args) && args[i] != "" && strings.ContainsRune("0123456789+(", rune(args[i][0])) {
		i++
	}
	i = max(i, 1)
	return strings.Join(args[:i], " "), strings.Join(args[i:], " ")
}

// standing is the card's line on the member's membership: the day they
// left, or the simpanan pokok they still owe; "" for neither.
func (d *Desk) standing(t *turn, m member.Member) (string, error) {
	if m.Left() {
		return d.say(t, "membership.card.left", map[string]any{"Date": m.LeftOn.Format(DateLayout)}), nil
	}
	owed, err := membership.PokokOwed(t.ctx, t.tx, m.ID)
	if err != nil || owed.IsZero() {
		return "", err
	}
	return d.say(t, "membership.card.pokok_owed", map[string]any{"Pokok": money.Format(owed, t.lang),
		"Number": m.Number, "PokokPlain": owed.String()}), nil
}

// leave is /keluar <no. anggota> [tunai|transfer]: the settlement of the
// member leaving today and, unless savings short of the loans or a request
// hold them, a manajer's confirmation asked for in the group. Open loans
// are paid off from the savings; the rest is paid cash at the office, or by
// transfer to the member's account on file.
func (d *Desk) leave(t *turn, args []string) (string, error) {
	m, err := findMember(t, args[0])
	if err != nil {
		return "", d.explain(t, err)
	}
	transfer, ok := false, len(args) < 2
	if len(args) == 2 {
		transfer, ok = payoutWords[strings.ToLower(args[1])]
	}
	if !ok {
		return "", refuse("bad payout", "officer.error.usage", map[string]any{"Usage": d.say(t, "membership.usage.keluar", nil)})
	}
	t.subject = m.Number
	if err := d.cfg.Duties.CheckOwn(t.off.ID, m); err != nil {
		return "", d.explain(t, err)
	}
	s, err := membership.Quote(t.ctx, t.tx, m.ID, t.now)
	if err != nil {
		return "", d.explainLeave(t, m, err)
	}
	body := d.settlementText(t.lang, s)
	if s.Blocked() {
		return body + "\n\n" + d.blocked(t.lang, s), nil
	}
	t.amount = s.Savings.Total
	var to member.BankAccount
	if transfer && s.Net.IsPositive() {
		if m.Bank.IsZero() {
			return "", refuse("no account on file", "membership.officer.no_account", map[string]any{"Number": m.Number})
		}
		to = m.Bank
	}
	data := map[string]any{"Officer": markup.Escape(t.off.Name), "Member": markup.Escape(m.Name), "Number": m.Number,
		"Settlement": d.settlementText(groupLang, s), "Net": money.Format(s.Net, groupLang), "ID": int64(0),
		"How": d.payoutHow(groupLang, to)}
	data["SetOff"], data["Refs"] = setOffFigures(groupLang, s)
	data["Rest"] = s.Net.IsPositive()
	button := channel.Button{Text: d.cfg.Msgs.T(groupLang, "membership.button.confirm_leave", nil), Data: leaveEmptyData(m.ID)}
	if s.Savings.Total.IsPositive() {
		p, err := duty.Propose(t.ctx, t.tx, duty.Proposal{Key: key(t), Kind: proposalLeave, MemberID: m.ID,
			Amount: s.Savings.Total, Detail: leaveDetail(m, to, s.SetOff()), Maker: t.off.ID, MadeAt: t.now})
		if err != nil {
			return "", err
		}
		data["ID"], button.Data = p.ID, confirmData(p.ID)
	}
	if err := d.toGroup(t.ctx, t.tx, d.cfg.Msgs.T(groupLang, "membership.group.leave_proposed", data),
		[][]channel.Button{{button}}, t.now); err != nil {
		return "", err
	}
	data["Net"], data["How"] = money.Format(s.Net, t.lang), d.payoutHow(t.lang, to)
	data["SetOff"], _ = setOffFigures(t.lang, s)
	return d.say(t, "membership.officer.proposed_notice", data), nil
}

// payoutHow says in lang how a leaving member's savings are paid: cash at
// the office, or to account to.
func (d *Desk) payoutHow(lang string, to member.BankAccount) string {
	if to.IsZero() {
		return d.cfg.Msgs.T(lang, "membership.how.cash", nil)
	}
	return d.cfg.Msgs.T(lang, "membership.how.transfer", map[string]any{"Account": markup.Escape(to.String())})
}

// settlementText is the settlement of s, in lang.
func (d *Desk) settlementText(lang string, s membership.Settlement) string {
	f := amounts(lang, s.Savings.Pokok, s.Savings.Wajib, s.Savings.Sukarela, s.Loan, s.Denda, s.Net)
	return d.cfg.Msgs.T(lang, "membership.settlement", map[string]any{"Member": markup.Escape(s.Member.Name),
		"Number": s.Member.Number, "Pokok": f[0], "Wajib": f[1], "Sukarela": f[2], "Loan": f[3], "Denda": f[4], "Net": f[5]})
}

// blocked says why s's member cannot leave yet and what settles it.
func (d *Desk) blocked(lang string, s membership.Settlement) string {
	var why []string
	if short := s.Short(); short.IsPositive() {
		why = append(why, d.cfg.Msgs.T(lang, "membership.officer.blocked_short", map[string]any{"Number": s.Member.Number,
			"Payoff": money.Format(s.SetOff(), lang), "Refs": quotedLoans(lang, s.Quotes), "Short": money.Format(short, lang),
			"ShortPlain": short.String()}))
	}
	if len(s.Requests) > 0 {
		why = append(why, d.cfg.Msgs.T(lang, "membership.officer.blocked_request", map[string]any{"Number": s.Member.Number,
			"Refs": refList(s.Requests, func(a loan.Application) string { return a.Ref })}))
	}
	if len(s.Withdrawals) > 0 {
		why = append(why, d.cfg.Msgs.T(lang, "membership.officer.blocked_withdrawal", map[string]any{"Number": s.Member.Number,
			"Refs": refList(s.Withdrawals, func(w withdraw.Withdrawal) string { return w.Ref() + " " + money.Format(w.Amount, lang) })}))
	}
	return strings.Join(why, "\n")
}

// refList is xs as ref says each, one after another.
func refList[T any](xs []T, ref func(T) string) string {
	refs := make([]string, len(xs))
	for i, x := range xs {
		refs[i] = ref(x)
	}
	return strings.Join(refs, ", ")
}

// quotedLoans lists the loans of quotes with their pelunasan of the day.
func quotedLoans(lang string, quotes []loan.Quote) string {
	return refList(quotes, func(q loan.Quote) string { return q.Ref + " " + money.Format(q.Total, lang) })
}

// setOffFigures are the set-off words of a leaving proposal or its
// outcome: what the savings pay of the loans, empty when nothing, and the
// loans paid.
func setOffFigures(lang string, s membership.Settlement) (string, string) {
	if !s.SetOff().IsPositive() {
		return "", ""
	}
	return money.Format(s.SetOff(), lang), refList(s.Quotes, func(q loan.Quote) string { return q.Ref })
}

// confirmLeave is a manajer's confirmation of proposal p: the member's
// savings are paid out, once, and their accounts closed. The proposer
// cannot confirm (duty.ErrSameOfficer).
func (d *Desk) confirmLeave(t *turn, p duty.Proposal) (string, error) {
	m, err := member.ByID(t.ctx, t.tx, p.MemberID)
	if err != nil {
		return "", err
	}
	if err := d.checkLeaver(t, m); err != nil {
		return "", err
	}
	var left membership.Left
	if _, err := duty.Confirm(t.ctx, t.tx, p.ID, t.off.ID, t.now, func(p duty.Proposal) (int64, error) {
		var err error
		to, setOff := leaveOf(p.Detail)
		left, err = membership.Leave(t.ctx, t.tx, membership.Leaving{MemberID: m.ID, Expect: p.Amount, SetOff: setOff, To: to,
			From: d.cfg.Withdraw.BankAccount, Maker: p.Maker, Checker: t.off.ID, At: t.now})
		return left.Tx.ID, err
	}); err != nil {
		return "", d.explainLeave(t, m, err)
	}
	return d.closed(t, m, left, confirmData(p.ID))
}

// confirmLeaveEmpty is a manajer's confirmation that a member holding no
// savings leaves: no money moves, so there is no proposal to check.
func (d *Desk) confirmLeaveEmpty(t *turn, memberID int64) (string, error) {
	m, err := member.ByID(t.ctx, t.tx, memberID)
	if err != nil {
		return "", d.explain(t, err)
	}
	t.subject = m.Number
	if err := d.checkLeaver(t, m); err != nil {
		return "", err
	}
	left, err := membership.Leave(t.ctx, t.tx, membership.Leaving{MemberID: m.ID, Expect: decimal.Zero, Maker: t.off.ID,
		Checker: t.off.ID, At: t.now})
	if err != nil {
		return "", d.explainLeave(t, m, err)
	}
	return d.closed(t, m, left, leaveEmptyData(m.ID))
}

// checkLeaver refuses a confirmation by anyone but a manajer, or by an
// officer on their own account.
func (d *Desk) checkLeaver(t *turn, m member.Member) error {
	if t.off.Role != loan.RoleManajer {
		return refuse("needs manajer", "membership.officer.manager_only", nil)
	}
	if err := d.cfg.Duties.CheckOwn(t.off.ID, m); err != nil {
		return d.explain(t, err)
	}
	return nil
}

// closed sends the member their final statement, tells the group and takes
// the confirmation's buttons away.
func (d *Desk) closed(t *turn, m member.Member, left membership.Left, data string) (string, error) {
	t.txID, t.amount = left.Tx.ID, left.Settlement.Savings.Total
	s := left.Settlement
	figures := func(lang string) map[string]any {
		f := amounts(lang, s.Savings.Pokok, s.Savings.Wajib, s.Savings.Sukarela, s.SetOff(), s.Net)
		setOff, refs := setOffFigures(lang, s)
		// Col are the figures aligned in the statement's table; the others read in a sentence.
		return map[string]any{"Name": markup.Escape(m.Name), "Member": markup.Escape(m.Name), "Number": m.Number,
			"Date": t.now.Format(DateLayout), "Pokok": f[0], "Wajib": f[1], "Sukarela": f[2], "SetOff": setOff,
			"SetOffCol": f[3], "Refs": refs, "Total": money.Format(s.Net, lang), "TotalCol": f[4], "TxID": left.Tx.ID,
			"Officer": markup.Escape(t.off.Name), "How": d.payoutHow(lang, left.To), "Account": markup.Escape(left.To.String())}
	}
	if err := notify.Member(t.ctx, t.tx, d.cfg.Msgs, m, "membership.statement", figures(m.Lang), t.now); err != nil {
		return "", err
	}
	if err := d.takeButtonsOf(t, data, ""); err != nil {
		return "", err
	}
	if err := d.toGroup(t.ctx, t.tx, d.cfg.Msgs.T(groupLang, "membership.group.left", figures(groupLang)), nil, t.now); err != nil {
		return "", err
	}
	return d.say(t, "membership.officer.left_notice", figures(t.lang)), nil
}

// explainLeave words what membership refuses; the rest goes to explain.
func (d *Desk) explainLeave(t *turn, m member.Member, err error) error {
	var blocked *membership.BlockedError
	switch {
	case errors.As(err, &blocked):
		return refuse(err.Error(), "membership.officer.blocked", map[string]any{"Settlement": d.settlementText(t.lang, blocked.Settlement),
			"Why": d.blocked(t.lang, blocked.Settlement)})
	case errors.Is(err, membership.ErrChanged):
		return refuse(err.Error(), "membership.officer.changed", map[string]any{"Number": m.Number})
	case errors.Is(err, membership.ErrAccountChanged):
		return refuse(err.Error(), "membership.officer.account_changed", map[string]any{"Number": m.Number})
	case errors.Is(err, member.ErrLeft):
		return refuse(err.Error(), "membership.officer.already_left", map[string]any{"Member": markup.Escape(m.Name),
			"Number": m.Number, "Date": m.LeftOn.Format(DateLayout)})
	}
	return d.explain(t, err)
}
