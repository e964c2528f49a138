package officer

import (
	"strings"

	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/notify"
)

// disburse is /cair <ref>: the approved loan is paid out today and the
// member told the installment and the first due date.
func (d *Desk) disburse(t *turn, args []string) (string, error) {
	ref := strings.ToUpper(args[0])
	t.subject = ref
	a, err := loan.ApplicationByRef(t.ctx, t.tx, ref)
	if err != nil {
		return "", d.explain(t, err)
	}
	if a.Status != loan.StatusApproved {
		return "", refuse("status "+string(a.Status), "officer.error.not_approved", map[string]any{"Ref": ref,
			"Status": d.statusName(t, a.Status)})
	}
	l, tx, err := loan.Disburse(t.ctx, t.tx, ref, t.off.ID, t.now)
	if err != nil {
		return "", d.explain(t, err)
	}
	st, err := loan.LoanStatusOf(t.ctx, t.tx, ref, t.now)
	if err != nil {
		return "", err
	}
	first := st.Schedule[0]
	m, err := member.ByID(t.ctx, t.tx, l.MemberID)
	if err != nil {
		return "", err
	}
	data := func(lang string) map[string]any {
		return map[string]any{"Ref": ref, "Name": markup.Escape(m.Name), "Member": markup.Escape(m.Name),
			"Number": m.Number, "Amount": money.Format(l.Principal, lang), "Tenor": l.Tenor,
			"Installment": money.Format(first.Total, lang), "FirstDue": first.Due.Format(DateLayout), "TxID": tx.ID}
	}
	if err := notify.Member(t.ctx, t.tx, d.cfg.Msgs, m, "notice.loan.disbursed", data(m.Lang), t.now); err != nil {
		return "", err
	}
	return d.say(t, "officer.cair.done", data(t.lang)), nil
}
