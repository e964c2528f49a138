package actions

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/kopmem/kopbot/internal/dialog"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/money"
)

// overview is what the member owes and what they have asked for.
func (a loanActions) overview(ctx context.Context, env *dialog.Env) (dialog.Outcome, error) {
	o, err := loan.MemberLoans(ctx, env.Q, env.Member.ID, env.Now)
	if err != nil {
		return dialog.Outcome{}, err
	}
	if len(o.Loans) == 0 && len(o.Applications) == 0 {
		return dialog.Outcome{Name: outcomeNone}, nil
	}
	var parts []string
	for _, l := range o.Loans {
		data := map[string]any{
			"Ref": l.Ref, "ProductName": l.ProductName, "Principal": money.Format(l.Principal, env.Lang),
			"Outstanding": money.Format(l.OutstandingPrincipal, env.Lang),
		}
		part := a.msgs.T(env.Lang, "loan.overview.loan", data)
		if l.NextDue != nil {
			part += "\n" + a.msgs.T(env.Lang, "loan.overview.next", map[string]any{
				"No": l.NextDue.No, "Due": l.NextDue.Due.Format(DateLayout), "Amount": money.Format(l.NextDue.Amount, env.Lang)})
		}
		if l.Overdue.IsPositive() || l.Denda.IsPositive() {
			part += "\n" + a.msgs.T(env.Lang, "loan.overview.arrears", map[string]any{
				"Overdue": money.Format(l.Overdue, env.Lang), "Days": l.OverdueDays, "Denda": money.Format(l.Denda, env.Lang)})
		}
		parts = append(parts, part)
	}
	for _, app := range o.Applications {
		parts = append(parts, a.msgs.T(env.Lang, "loan.overview.application", map[string]any{
			"Ref": app.Ref, "ProductName": app.ProductName, "Amount": money.Format(app.Amount, env.Lang),
			"Tenor": app.Tenor, "Status": a.statusName(env.Lang, app.Status)}))
	}
	return dialog.Outcome{Data: map[string]any{"Body": strings.Join(parts, "\n\n")}}, nil
}

// schedule is the installment table of the member's oldest open loan, each
// marked paid, late or to come.
func (a loanActions) schedule(ctx context.Context, env *dialog.Env) (dialog.Outcome, error) {
	o, err := loan.MemberLoans(ctx, env.Q, env.Member.ID, env.Now)
	if err != nil {
		return dialog.Outcome{}, err
	}
	if len(o.Loans) == 0 {
		return dialog.Outcome{Name: outcomeNone}, nil
	}
	l := o.Loans[0]
	rows := [][]string{strings.Fields(a.msgs.T(env.Lang, "loan.schedule.status_header", nil))}
	for _, in := range l.Schedule {
		mark := a.msgs.T(env.Lang, "loan.schedule.mark.due", nil)
		switch {
		case in.Settled():
			mark = a.msgs.T(env.Lang, "loan.schedule.mark.paid", nil)
		case in.DaysLate > 0:
			mark = a.msgs.T(env.Lang, "loan.schedule.mark.late", nil)
		}
		rows = append(rows, []string{strconv.Itoa(in.No), in.Due.Format(DateLayout), money.FormatPlain(in.Total, env.Lang), mark})
	}
	return dialog.Outcome{Data: map[string]any{"Ref": l.Ref, "Table": table(rows)}}, nil
}

// infoQuestion finds the officers' open question on the member's
// application, so the member can answer it.
func (a loanActions) infoQuestion(ctx context.Context, env *dialog.Env) (dialog.Outcome, error) {
	o, err := loan.MemberLoans(ctx, env.Q, env.Member.ID, env.Now)
	if err != nil {
		return dialog.Outcome{}, err
	}
	for _, app := range o.Applications {
		if app.Status != loan.StatusInfoRequested {
			continue
		}
		decisions, err := loan.Decisions(ctx, env.Q, app.Ref)
		if err != nil {
			return dialog.Outcome{}, err
		}
		question := ""
		for _, d := range decisions {
			if d.Verdict == loan.AskInfo {
				question = d.Reason
			}
		}
		env.Slots[slotRef] = app.Ref
		return dialog.Outcome{Data: map[string]any{"Ref": app.Ref, "Question": question}}, nil
	}
	return dialog.Outcome{Name: outcomeNone}, nil
}

// addInfo attaches the member's answer and puts the application back before
// the officers.
func (a loanActions) addInfo(ctx context.Context, env *dialog.Env) (dialog.Outcome, error) {
	app, err := loan.AddInfo(ctx, env.Q, env.Slots[slotRef], env.Member.ID, env.Slots[slotInfo], env.Now)
	if errors.Is(err, loan.ErrStatus) {
		return dialog.Outcome{Name: outcomeNone}, nil // decided while the member was typing
	}
	if err != nil {
		return dialog.Outcome{}, err
	}
	if err := a.officers.InfoAnswered(ctx, env.Q, app, env.Member, env.MessageID, env.Now); err != nil {
		return dialog.Outcome{}, err
	}
	return dialog.Outcome{Data: map[string]any{"Ref": app.Ref, "Answer": markup.Escape(env.Slots[slotInfo])}}, nil
}

// pendingApplication finds the application the member may still withdraw.
func (a loanActions) pendingApplication(ctx context.Context, env *dialog.Env) (dialog.Outcome, error) {
	o, err := loan.MemberLoans(ctx, env.Q, env.Member.ID, env.Now)
	if err != nil {
		return dialog.Outcome{}, err
	}
	for _, app := range o.Applications {
		if app.Status.Undecided() {
			env.Slots[slotRef] = app.Ref
			return dialog.Outcome{Data: map[string]any{"Ref": app.Ref, "Amount": money.Format(app.Amount, env.Lang)}}, nil
		}
	}
	return dialog.Outcome{Name: outcomeNone}, nil
}

func (a loanActions) cancel(ctx context.Context, env *dialog.Env) (dialog.Outcome, error) {
	app, err := loan.Cancel(ctx, env.Q, env.Slots[slotRef], env.Member.ID, env.Now)
	if errors.Is(err, loan.ErrStatus) {
		return dialog.Outcome{Name: outcomeNone}, nil // approved while the member was deciding
	}
	if err != nil {
		return dialog.Outcome{}, err
	}
	return dialog.Outcome{Data: map[string]any{"Ref": app.Ref}}, nil
}
