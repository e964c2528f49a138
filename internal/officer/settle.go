package officer

import (
	"strings"

	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/settle"
)

// settlement is /pelunasan <no|ref> [tanggal]: what paying off the loan (or
// each of the member's open loans) costs today or on a date, the figure the
// officer then takes with /bayar.
func (d *Desk) settlement(t *turn, args []string) (string, error) {
	asked := strings.Join(args[1:], " ")
	on, ok := settle.When(asked, t.now)
	if !ok {
		return "", refuse("settlement date "+asked, "settlement.bad_date", settle.BadDate(asked, t.now))
	}
	var m member.Member
	var refs []string
	if isLoanRef(args[0]) {
		t.subject = strings.ToUpper(args[0])
		l, err := loan.LoanByRef(t.ctx, t.tx, t.subject)
		if err != nil {
			return "", d.explain(t, err)
		}
		if m, err = member.ByID(t.ctx, t.tx, l.MemberID); err != nil {
			return "", err
		}
		refs = []string{l.Ref}
	} else {
		var err error
		if m, err = findMember(t, args[0]); err != nil {
			return "", d.explain(t, err)
		}
		t.subject = m.Number
		o, err := loan.MemberLoans(t.ctx, t.tx, m.ID, t.now)
		if err != nil {
			return "", err
		}
		for _, l := range o.Loans {
			refs = append(refs, l.Ref)
		}
		if len(refs) == 0 {
			return "", d.explain(t, loan.ErrNoOpenLoan)
		}
	}
	parts := make([]string, len(refs))
	for i, ref := range refs {
		q, err := loan.Settle(t.ctx, t.tx, ref, on)
		if err != nil {
			return "", d.explain(t, err)
		}
		parts[i] = settle.Describe(d.cfg.Msgs, t.lang, q)
	}
	return d.say(t, "settlement.officer", map[string]any{"Member": markup.Escape(m.Name), "Number": m.Number,
		"Date": on.Format(DateLayout), "Body": strings.Join(parts, "\n\n")}), nil
}
