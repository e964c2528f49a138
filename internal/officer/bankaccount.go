package officer

import (
	"errors"
	"strings"

	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/notify"
)

// bankWords are the words after /anggota <no> that put a member's bank
// account on file: /anggota KMM-00001 rekening BCA 1234567890 a.n. Siti.
var bankWords = map[string]bool{"rekening": true, "account": true}

// clearWords, in place of the account, take it off file.
var clearWords = map[string]bool{"hapus": true, "remove": true}

// setBankAccount is /anggota <no> rekening <bank> <nomor> a.n. <nama>, or
// /anggota <no> rekening hapus: the account a transfer to the member goes
// to. Never on the officer's own record. The member is told, so a change
// they did not ask for does not go unnoticed; the audit names the member,
// not the account.
func (d *Desk) setBankAccount(t *turn, m member.Member, words []string) (string, error) {
	if err := d.cfg.Duties.CheckOwn(t.off.ID, m); err != nil {
		return "", d.explain(t, err)
	}
	usage := func() error {
		return refuse("bad bank account", "officer.error.usage", map[string]any{"Usage": d.say(t, "officer.usage.rekening", nil)})
	}
	var a member.BankAccount
	if len(words) != 1 || !clearWords[strings.ToLower(words[0])] {
		var err error
		if a, err = member.ParseBankAccount(strings.Join(words, " ")); errors.Is(err, member.ErrBankAccount) {
			return "", usage()
		} else if err != nil {
			return "", err
		}
	}
	if a == m.Bank {
		return d.say(t, "officer.rekening.same", map[string]any{"Number": m.Number, "Account": markup.Escape(a.String())}), nil
	}
	if err := member.SetBankAccount(t.ctx, t.tx, m.ID, a); err != nil {
		return "", err
	}
	t.note = "rekening diubah"
	id := "member.bank.set"
	if a.IsZero() {
		id, t.note = "member.bank.cleared", "rekening dihapus"
	}
	if err := notify.Member(t.ctx, t.tx, d.cfg.Msgs, m, id, map[string]any{"Name": markup.Escape(m.Name),
		"Account": markup.Escape(a.String())}, t.now); err != nil {
		return "", err
	}
	return d.say(t, "officer.rekening.done", map[string]any{"Number": m.Number, "Member": markup.Escape(m.Name),
		"Account": markup.Escape(a.String()), "Cleared": a.IsZero()}), nil
}
