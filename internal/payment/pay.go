package payment

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/store"
)

// dateLayout is how dates read in chat: day first, as Indonesians write them.
const dateLayout = "02/01/2006"

// BankAccount is one of the cooperative's accounts members transfer to.
type BankAccount struct {
	Bank, Number, Holder string
	// Ledger is its ledger account (BANK-BCA), where transfers into it are
	// booked.
	Ledger string
	// Layout reads its statement export.
	Layout Layout
}

// Outcomes of Instructions.For besides the instructions themselves.
const (
	// OutcomeNothingDue: no installment and no wajib is due now.
	OutcomeNothingDue = "nothing_due"
	// OutcomeOffice: the cooperative has no bank account to transfer to.
	OutcomeOffice = "office"
)

// Instructions tells a member how to pay what is due: the accounts, and
// the amount with a unique code that names the transfer as theirs.
type Instructions struct {
	Msgs  Localizer
	Banks []BankAccount
	// Wajib is the monthly simpanan wajib, zero when none is asked.
	Wajib decimal.Decimal
	// CodeDays is how many days after today a code stays valid.
	CodeDays int
}

// For gives the outcome and data of m's instructions as of now, issuing
// (or repeating) their code. Run it in a write transaction.
func (in Instructions) For(ctx context.Context, q store.Queryer, m member.Member, lang string, now time.Time) (string, map[string]any, error) {
	due, err := DueNow(ctx, q, m.ID, now, in.Wajib)
	if err != nil {
		return "", nil, fmt.Errorf("payment instructions for %s: %w", m.Number, err)
	}
	data := map[string]any{"Name": markup.Escape(m.Name), "Accounts": in.accountLines(lang), "Due": in.dueLines(lang, due)}
	base := due.Installment.Add(due.Wajib)
	switch {
	case !base.IsPositive():
		return OutcomeNothingDue, data, nil
	case len(in.Banks) == 0:
		data["Amount"] = money.Format(base, lang)
		return OutcomeOffice, data, nil
	}
	c, err := CodeFor(ctx, q, m.ID, due, now, in.CodeDays)
	if err != nil {
		return "", nil, err
	}
	data["Base"], data["Code"] = money.Format(c.Base, lang), fmt.Sprintf("%03d", c.Code)
	data["Extra"], data["Amount"] = money.Format(c.Extra(), lang), money.Format(c.Amount, lang)
	data["Until"] = c.ValidUntil.Format(dateLayout)
	return "", data, nil
}

func (in Instructions) accountLines(lang string) string {
	lines := make([]string, len(in.Banks))
	for i, b := range in.Banks {
		lines[i] = in.Msgs.T(lang, "payment.pay.account", map[string]any{"Bank": markup.Escape(b.Bank),
			"Number": markup.Escape(b.Number), "Holder": markup.Escape(b.Holder)})
	}
	return strings.Join(lines, "\n")
}

func (in Instructions) dueLines(lang string, d Due) string {
	var lines []string
	if d.Loan != nil && d.Installment.IsPositive() {
		id := "payment.pay.due.loan"
		if d.Loan.Denda.IsPositive() {
			id = "payment.pay.due.loan_denda"
		}
		lines = append(lines, in.Msgs.T(lang, id, map[string]any{"Ref": d.Loan.Ref,
			"Amount": money.Format(d.Installment, lang), "Denda": money.Format(d.Loan.Denda, lang)}))
	}
	if d.Wajib.IsPositive() {
		lines = append(lines, in.Msgs.T(lang, "payment.pay.due.wajib", map[string]any{"Amount": money.Format(d.Wajib, lang)}))
	}
	return strings.Join(lines, "\n")
}
