package officer_test

import (
	"strings"
	"testing"

	"github.com/kopmem/kopbot/internal/channel"
)

// Several Telegram accounts bound to one member are listed by /anggota and
// can be unbound with /lepas; an unbound account sees nothing any more.
func TestAccountsAreListedAndUnbound(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, acc := range []string{"777", "999"} {
		e.handle(channel.Message{Channel: channel.Telegram, ID: acc + ":1", Chat: acc, From: acc, Kind: channel.Contact,
			Contact: &channel.SharedContact{Phone: "+6281234567890", UserID: acc}})
	}
	card := one(t, "/anggota", texts(toGroup(e.say(budi, group, "/anggota A-0001")))).Text
	contains(t, "/anggota", card, "Akun Telegram", "777 sejak", "999 sejak", "/lepas A-0001")
	steps := []struct{ cmd, want string }{
		{"/lepas A-0001 999", "999 dilepas dari Siti"},
		{"/lepas A-0001 999", "tidak terhubung"},
		{"/lepas A-0001 555", "tidak terhubung"},
		{"/lepas A-9999 777", "A-9999"},
	}
	for _, s := range steps {
		contains(t, s.cmd, one(t, s.cmd, texts(toGroup(e.say(budi, group, s.cmd)))).Text, s.want)
	}
	contains(t, "unbound account", one(t, "unbound", to(e.say("999", "999", "saldo"), channel.Telegram, "999")).Text, "bagikan nomor HP")
	contains(t, "still bound", one(t, "bound", to(e.say("777", "777", "saldo"), channel.Telegram, "777")).Text, "5.000.000")
	card = one(t, "/anggota", texts(toGroup(e.say(budi, group, "/anggota A-0001")))).Text
	contains(t, "/anggota", card, "777 sejak")
	if strings.Contains(card, "999") {
		t.Errorf("card still lists 999: %s", card)
	}
}
