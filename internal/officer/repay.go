package officer

import (
	"strings"

	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/notify"
	"github.com/kopmem/kopbot/internal/settle"
)

// repay is /bayar <no|ref> <jumlah>: a repayment taken at the counter,
// allocated denda → bunga → pokok, with a receipt to the member and one,
// carrying the ledger id for /batal, to the officer.
func (d *Desk) repay(t *turn, args []string) (string, error) {
	p := loan.Payment{Key: key(t), On: t.now, OfficerID: t.off.ID}
	if isLoanRef(args[0]) {
		p.LoanRef = strings.ToUpper(args[0])
		t.subject = p.LoanRef
	} else {
		m, err := findMember(t, args[0])
		if err != nil {
			return "", d.explain(t, err)
		}
		p.MemberID = m.ID
	}
	words := args[1:]
	if len(words) > 1 {
		if day, ok := parseDay(words[len(words)-1], d.cfg.Location); ok {
			if err := d.notAhead(t, day); err != nil {
				return "", err
			}
			p.On, words = day, words[:len(words)-1]
		}
	}
	var err error
	if p.Amount, err = amount(words); err != nil {
		return "", d.explain(t, err)
	}
	t.amount = p.Amount
	r, err := loan.Repay(t.ctx, t.tx, p)
	if err != nil {
		return "", d.explain(t, err)
	}
	t.subject, t.txID = r.Ref, r.TxID
	return d.loanReceipt(t, r)
}

// loanReceipt sends the member the receipt of r, unless r is a replay whose
// receipt went already, and returns the officer's. An officer paying into
// their own loan is refused here, after the fact but inside the step, so
// the refusal undoes the payment.
func (d *Desk) loanReceipt(t *turn, r loan.Receipt) (string, error) {
	l, err := loan.LoanByRef(t.ctx, t.tx, r.Ref)
	if err != nil {
		return "", err
	}
	m, err := member.ByID(t.ctx, t.tx, l.MemberID)
	if err != nil {
		return "", err
	}
	if err := d.cfg.Duties.CheckOwn(t.off.ID, m); err != nil {
		return "", d.explain(t, err)
	}
	data := func(lang string) map[string]any {
		f := amounts(lang, r.Paid, r.Denda, r.Interest, r.Principal, r.RemainingPrincipal, r.Fee)
		out := map[string]any{"Ref": r.Ref, "Name": markup.Escape(m.Name), "Member": markup.Escape(m.Name),
			"Number": m.Number, "Date": r.On.Format(DateLayout), "Paid": f[0], "Denda": f[1], "Interest": f[2],
			"Principal": f[3], "Remaining": f[4], "Fee": f[5], "HasFee": r.Fee.IsPositive(), "TxID": r.TxID, "Closed": r.Closed,
			"NextNo": "", "NextDue": "", "NextAmount": ""}
		if r.NextDue != nil {
			out["NextNo"], out["NextDue"] = r.NextDue.No, r.NextDue.Due.Format(DateLayout)
			out["NextAmount"] = amounts(lang, r.NextDue.Amount)[0]
		}
		return out
	}
	if !r.Replayed {
		if err := notify.Member(t.ctx, t.tx, d.cfg.Msgs, m, "notice.loan.receipt", data(m.Lang), t.now); err != nil {
			return "", err
		}
		// A prepayment re-amortised the loan: the member sees the new
		// schedule with the receipt, not at the next due date.
		if r.Rescheduled {
			if err := notify.Member(t.ctx, t.tx, d.cfg.Msgs, m, "settlement.schedule", map[string]any{"Ref": r.Ref,
				"Rows": settle.Schedule(d.cfg.Msgs, m.Lang, r.Schedule)}, t.now); err != nil {
				return "", err
			}
		}
	}
	return d.say(t, "officer.bayar.done", data(t.lang)), nil
}
