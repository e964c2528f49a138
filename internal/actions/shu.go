package actions

import (
	"context"
	"fmt"
	"strings"

	"github.com/kopmem/kopbot/internal/dialog"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/shu"
)

// shuExplain tells the member how each year's SHU came to their amount:
// their savings out of all members' times the jasa modal share of the SHU,
// and the same for the interest they paid.
func (d Deps) shuExplain(ctx context.Context, env *dialog.Env) (dialog.Outcome, error) {
	years, err := shu.Of(ctx, env.Q, env.Member.ID)
	if err != nil {
		return dialog.Outcome{}, fmt.Errorf("SHU of member %s: %w", env.Member.Number, err)
	}
	if len(years) == 0 {
		return dialog.Outcome{Name: outcomeNone}, nil
	}
	f := func(n int64) string { return money.Format(money.FromRupiah(n), env.Lang) }
	lines := make([]string, len(years))
	for i, y := range years {
		lines[i] = d.Msgs.T(env.Lang, "shu.member.year", map[string]any{
			"Year": y.Year, "SHU": f(y.SHU), "Modal": money.Format(y.Share.Modal, env.Lang),
			"ModalTotal": money.Format(y.ModalTotal, env.Lang), "ModalPct": money.Percent(y.ModalPct.Shift(-2), env.Lang),
			"JasaModal": f(y.Share.JasaModal), "Usaha": money.Format(y.Share.Usaha, env.Lang),
			"UsahaTotal": money.Format(y.UsahaTotal, env.Lang), "UsahaPct": money.Percent(y.UsahaPct.Shift(-2), env.Lang),
			"JasaUsaha": f(y.Share.JasaUsaha), "Total": f(y.Share.Total()), "Paid": y.TxID != 0,
			"Average": y.ModalBasis == shu.BasisMonthlyAverage})
	}
	return dialog.Outcome{Data: map[string]any{"Name": env.Member.Name, "Years": strings.Join(lines, "\n\n")}}, nil
}
