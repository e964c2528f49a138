package officer

import (
	"strings"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/member"
)

// accounts says which Telegram accounts are bound to m for /anggota, ""
// for none: several are fine (a new phone), but officers must see them, and
// an account bound with a number the office has since replaced.
func (d *Desk) accounts(t *turn, m member.Member) (string, error) {
	ids, err := member.Identities(t.ctx, t.tx, m)
	if err != nil || len(ids) == 0 {
		return "", err
	}
	lines := make([]string, len(ids))
	for i, id := range ids {
		msg := "officer.accounts.line"
		if !id.Current {
			msg = "officer.accounts.line_old"
		}
		lines[i] = d.say(t, msg, map[string]any{"Account": id.UserID, "Since": id.BoundAt.In(d.cfg.Location).Format(DateLayout)})
	}
	return d.say(t, "officer.accounts", map[string]any{"Lines": strings.Join(lines, "\n"), "Number": m.Number}), nil
}

// unbind is /lepas <no|hp> <akun>: the Telegram account no longer opens the
// member's data (a lost phone, an account that is not theirs).
func (d *Desk) unbind(t *turn, args []string) (string, error) {
	m, err := findMember(t, args[0])
	if err != nil {
		return "", d.explain(t, err)
	}
	t.subject = m.Number + " " + args[1]
	done, err := member.Unbind(t.ctx, t.tx, channel.Telegram, args[1], m.ID)
	if err != nil {
		return "", err
	}
	data := map[string]any{"Account": markup.Escape(args[1]), "Member": markup.Escape(m.Name), "Number": m.Number}
	if !done {
		return "", refuse("no such account", "officer.accounts.unknown", data)
	}
	return d.say(t, "officer.accounts.unbound", data), nil
}
