package officer

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/shu"
	"github.com/shopspring/decimal"
)

// shuShown is how many members /shu hitung lists; the whole table is the
// workbook (kopbot report shu).
const shuShown = 15

// shuCmd is /shu hitung <tahun> [jumlah] | setujui <tahun> | bagikan <tahun>.
func (d *Desk) shuCmd(t *turn, args []string) (string, error) {
	usage := refuse("missing words", "officer.error.usage", map[string]any{"Usage": d.say(t, "officer.usage.shu", nil)})
	verb := strings.ToLower(args[0])
	year, err := strconv.Atoi(args[1])
	if err != nil || year < 2000 || year > t.now.Year() {
		return "", usage
	}
	t.subject = fmt.Sprintf("SHU %d", year)
	if (verb == "setujui" || verb == "bagikan") && t.off.Role != loan.RoleManajer {
		return "", refuse("needs manajer", "officer.error.manager_only", map[string]any{"Command": "/shu " + verb})
	}
	var r shu.Result
	switch verb {
	case "hitung":
		var typed *decimal.Decimal
		if len(args) > 2 {
			v, err := amount(args[2:])
			if err != nil {
				return "", d.explain(t, err)
			}
			typed = &v
		}
		r, err = shu.Compute(t.ctx, t.tx, d.cfg.Chart, d.cfg.SHU, year, typed, t.off.ID, t.now)
	case "setujui":
		r, err = shu.Approve(t.ctx, t.tx, year, t.off.ID)
	case "bagikan":
		r, err = shu.Distribute(t.ctx, t.tx, d.cfg.Chart, d.cfg.SHU, year, t.off.ID, t.now)
	default:
		return "", usage
	}
	if err != nil {
		return "", d.explain(t, err)
	}
	return d.shuTable(t, verb, r)
}

func (d *Desk) shuTable(t *turn, verb string, r shu.Result) (string, error) {
	parts := make([]string, len(r.Parts))
	for i, p := range r.Parts {
		name := p.Name
		if name == "" {
			name = p.Key
		}
		parts[i] = fmt.Sprintf("%s %s", cell(name, 20), money.Format(money.FromRupiah(p.Amount), t.lang))
	}
	shares := append([]shu.Share(nil), r.Shares...)
	sort.SliceStable(shares, func(i, j int) bool { return shares[i].Total() > shares[j].Total() })
	rows := make([]string, 0, shuShown)
	for _, sh := range shares[:min(shuShown, len(shares))] {
		m, err := member.ByID(t.ctx, t.tx, sh.MemberID)
		if err != nil {
			return "", err
		}
		f := amounts(t.lang, money.FromRupiah(sh.JasaModal), money.FromRupiah(sh.JasaUsaha), money.FromRupiah(sh.Total()))
		rows = append(rows, fmt.Sprintf("%s %s %s %s", cell(m.Number, 9), f[0], f[1], f[2]))
	}
	id := map[string]string{"hitung": "officer.shu.computed", "setujui": "officer.shu.approved", "bagikan": "officer.shu.distributed"}[verb]
	return d.say(t, id, map[string]any{"Year": r.Year, "SHU": money.Format(money.FromRupiah(r.SHU), t.lang),
		"FromBooks": r.FromBooks, "Parts": strings.Join(parts, "\n"), "Members": len(r.Shares), "Rows": strings.Join(rows, "\n"),
		"More": max(0, len(r.Shares)-shuShown), "TxID": r.TxID}), nil
}

// explainSHU names the SHU refusals; see explain.
func (d *Desk) explainSHU(t *turn, err error) error {
	for _, known := range []struct {
		err error
		id  string
	}{
		{shu.ErrNotComputed, "officer.error.shu_not_computed"},
		{shu.ErrApproved, "officer.error.shu_approved"},
		{shu.ErrNotApproved, "officer.error.shu_not_approved"},
		{shu.ErrDistributed, "officer.error.shu_distributed"},
		{shu.ErrYearOpen, "officer.error.shu_year_open"},
		{shu.ErrNoSHU, "officer.error.shu_none"},
	} {
		if errors.Is(err, known.err) {
			return refuse(err.Error(), known.id, map[string]any{"Subject": t.subject})
		}
	}
	return nil
}
