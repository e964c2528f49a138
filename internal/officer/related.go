package officer

import (
	"errors"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/books"
	"github.com/kopmem/kopbot/internal/duty"
	"github.com/kopmem/kopbot/internal/kolek"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/money"
)

// pengawasMay are the commands a pengawas uses: the supervisory board
// decides related parties' loans and reads the queue; it moves no money.
var pengawasMay = map[string]bool{"antrian": true, "setujui": true, "tolak": true, "bantuan": true}

// notForPengawas refuses a pengawas the command (its typed name, for a
// press the command it stands for) that is not theirs; nil for anyone else.
func notForPengawas(t *turn, command string) error {
	if !t.isOfficer || t.off.Role != loan.RolePengawas || pengawasMay[command] {
		return nil
	}
	return refuse("pengawas: /"+command, "officer.error.pengawas_only", map[string]any{"Command": "/" + command})
}

// hasPengawas tells whether any officer is a pengawas, without whom no
// related party's loan can be approved.
func (d *Desk) hasPengawas() bool {
	for _, o := range d.officers {
		if o.Role == loan.RolePengawas {
			return true
		}
	}
	return false
}

// checkRelated tells whether a's applicant m is a related party (an
// officer's own member record) and, for an approval, refuses one when no
// pengawas is configured to give the approval it needs, and one that
// would take the related parties' loans above the cap of modal sendiri.
func (d *Desk) checkRelated(t *turn, a loan.Application, m member.Member, verdict loan.Verdict) (bool, error) {
	if !d.cfg.Duties.Related(m) {
		return false, nil
	}
	if verdict != loan.Approve {
		return true, nil
	}
	if !d.hasPengawas() {
		return true, refuse("related-party loan, no pengawas configured", "officer.error.related_no_pengawas",
			map[string]any{"Subject": t.subject})
	}
	ids := map[int64]bool{}
	for _, number := range d.cfg.Duties.Own {
		if o, err := member.ByNumber(t.ctx, t.tx, number); err == nil {
			ids[o.ID] = true
		} else if !errors.Is(err, member.ErrNotFound) {
			return true, err
		}
	}
	today := dateOnly(t.now)
	pf, err := kolek.Assess(t.ctx, t.tx, d.cfg.Kolek, today)
	if err != nil {
		return true, err
	}
	outstanding := decimal.Zero
	for _, l := range pf.Loans {
		if ids[l.MemberID] {
			outstanding = outstanding.Add(l.Outstanding)
		}
	}
	n, err := books.NeracaAt(t.ctx, t.tx, d.cfg.Chart, today)
	if err != nil {
		return true, err
	}
	return true, d.cfg.Duties.CheckRelatedCap(outstanding, a.Amount, n.Equity.Add(n.Result))
}

// explainRelated names a refusal for the related-party cap, with the
// figures.
func (d *Desk) explainRelated(t *turn, err error) (error, bool) {
	var e *duty.RelatedCapError
	if !errors.As(err, &e) {
		return err, false
	}
	f := plain(t.lang, e.Outstanding, e.Amount, e.Equity, e.Limit)
	return refuse(err.Error(), "officer.error.related_cap", map[string]any{"Subject": t.subject, "Outstanding": f[0],
		"Amount": f[1], "Equity": f[2], "Limit": f[3], "Cap": money.Percent(d.cfg.Duties.RelatedCap, t.lang)}), true
}
