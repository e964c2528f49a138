package officer

import (
	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/notify"
	"github.com/kopmem/kopbot/internal/savings"
)

// deposit is /setor <no> <wajib|sukarela|pokok> <jumlah>: cash paid into
// the member's savings, with a receipt showing the new balance.
func (d *Desk) deposit(t *turn, args []string) (string, error) {
	m, err := findMember(t, args[0])
	if err != nil {
		return "", d.explain(t, err)
	}
	t.subject = m.Number
	kind, err := savings.ParseKind(args[1])
	if err != nil {
		return "", refuse(err.Error(), "officer.error.kind", map[string]any{"Subject": markup.Escape(args[1])})
	}
	amt, err := amount(args[2:])
	if err != nil {
		return "", d.explain(t, err)
	}
	tx, err := savings.Deposit(t.ctx, t.tx, savings.Movement{Key: key(t), MemberID: m.ID, Kind: kind, Amount: amt,
		ValueDate: t.now, Actor: t.off.ID, Memo: "Setoran " + string(kind) + " di kantor"})
	if err != nil {
		return "", d.explain(t, err)
	}
	bal, err := savings.Summary(t.ctx, t.tx, m.ID)
	if err != nil {
		return "", err
	}
	data := func(lang string) map[string]any {
		return map[string]any{"Name": markup.Escape(m.Name), "Member": markup.Escape(m.Name), "Number": m.Number,
			"Kind": kindName(d.cfg.Msgs, lang, kind), "Amount": money.Format(amt, lang),
			"Balance": money.Format(bal.Of(kind), lang), "Total": money.Format(bal.Total, lang),
			"Date": t.now.Format(DateLayout), "TxID": tx.ID}
	}
	if !tx.Replayed {
		if err := notify.Member(t.ctx, t.tx, d.cfg.Msgs, m, "notice.savings.deposit", data(m.Lang), t.now); err != nil {
			return "", err
		}
	}
	return d.say(t, "officer.setor.done", data(t.lang)), nil
}

// kindName says a kind of savings in lang, with the words members read.
func kindName(msgs Localizer, lang string, k savings.Kind) string {
	switch k {
	case savings.Pokok:
		return msgs.T(lang, "savings.kind.pokok", nil)
	case savings.Wajib:
		return msgs.T(lang, "savings.kind.wajib", nil)
	}
	return msgs.T(lang, "savings.kind.sukarela", nil)
}
