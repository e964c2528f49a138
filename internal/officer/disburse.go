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
	t.amount = a.Amount
	if a.Status != loan.StatusApproved {
		return "", refuse("status "+string(a.Status), "officer.error.not_approved", map[string]any{"Ref": ref,
			"Status": d.statusName(t, a.Status)})
	}
	m, err := member.ByID(t.ctx, t.tx, a.MemberID)
	if err != nil {
		return "", err
	}
	if err := d.cfg.Duties.CheckOwn(t.off.ID, m); err != nil {
		return "", d.explain(t, err)
	}
	if err := d.notApprover(t, ref); err != nil {
		return "", err
	}
	l, tx, err := loan.Disburse(t.ctx, t.tx, ref, t.off.ID, t.now)
	if err != nil {
		return "", d.explain(t, err)
	}
	t.txID = tx.ID
	st, err := loan.LoanStatusOf(t.ctx, t.tx, ref, t.now)
	if err != nil {
		return "", err
	}
	first := st.Schedule[0]
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

// notApprover refuses the officer who approved ref paying it out too: the
// cash leaves the office on two people's word.
func (d *Desk) notApprover(t *turn, ref string) error {
	hist, err := loan.Decisions(t.ctx, t.tx, ref)
	if err != nil {
		return err
	}
	var approvers []string
	for _, h := range hist {
		if h.Verdict == loan.Approve {
			approvers = append(approvers, h.OfficerID)
		}
	}
	return d.explain(t, d.cfg.Duties.CheckDisburser(t.off.ID, approvers))
}
