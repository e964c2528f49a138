package officer_test

import (
	"testing"
)

func TestFailedMessagesAreListed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	contains(t, "/gagal with none", reply(t, e.say(budi, budi, "/gagal"), budi), "Tidak ada pesan yang gagal")
	// A reminder the outbox gave up on: the chat no longer exists.
	if _, err := e.a.DB.W.Exec(`INSERT INTO outbox (channel, chat, text, key, status, attempts, last_error, created_at)
		VALUES ('whatsapp', '6281299998888@s.whatsapp.net', 'Yth. Siti, angsuran ke-1 *jatuh tempo*', 'rem:inst:PJ-2611-0001:1:-3',
		'failed', 5, 'bot blocked', '2026-11-30T02:00:00.000000000Z')`); err != nil {
		t.Fatal(err)
	}
	contains(t, "/gagal", reply(t, e.say(budi, budi, "/gagal"), budi), "Pesan gagal terkirim", "6281299998888",
		"dicoba 5×", "bot blocked", "∗jatuh tempo∗")
	contains(t, "/gagal by a non-officer", reply(t, e.say("555", "555", "/gagal"), "555"), "khusus")
}
