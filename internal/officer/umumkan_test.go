package officer_test

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/announce"
	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/channel/telegram/telegramtest"
	"github.com/kopmem/kopbot/internal/reminder"
)

// copyRow is one member's copy of an announcement in the outbox.
type copyRow struct {
	key, channel, chat, text, status string
	lane                             channel.Lane
}

func (e *env) copies() []copyRow {
	e.t.Helper()
	rows, err := e.a.DB.R.Query(`SELECT key, channel, chat, text, status, lane FROM outbox WHERE key LIKE 'ann:%' ORDER BY id`)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var out []copyRow
	for rows.Next() {
		var r copyRow
		if err := rows.Scan(&r.key, &r.channel, &r.chat, &r.text, &r.status, &r.lane); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// buttonsOf is the data of a reply's buttons, in order.
func buttonsOf(r channel.Reply) []string {
	var out []string
	for _, row := range r.Buttons {
		for _, b := range row {
			out = append(out, b.Data)
		}
	}
	return out
}

// TestAnnounceThroughTelegram drives /umumkan through the real Telegram
// client against the fake Bot API: the manajer's command in the group is
// answered with the preview and its buttons, Kirim puts one copy per
// member in the bulk lane and takes the buttons away, a second Kirim is
// told it was sent already and queues nothing.
func TestAnnounceThroughTelegram(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, func(o *app.Options) {
		o.BulkCapacity = func(ch channel.Name, _ time.Time) (announce.Pace, bool) {
			return announce.Pace{PerDay: 3000, Window: 12 * time.Hour}, ch == channel.WhatsApp
		}
	})
	joko, jokoChat := e.newMember("A-0002", "Joko", "6281311112222")
	srv, deliver := e.runBot()
	groupID, _ := strconv.ParseInt(group, 10, 64)
	watiID, _ := strconv.ParseInt(wati, 10, 64)

	text := "Undangan *RAT* tahun buku 2026:\nSabtu, 19 Desember, 09.00 di balai desa."
	srv.WaitConfirmed(srv.PushText(groupID, watiID, "/umumkan@"+telegramtest.Bot.Username+" "+text), 5*time.Second)
	deliver()
	preview := srv.WaitSent(1, 5*time.Second)[0]
	// Two copies at 3,000 a 12-hour day take 28.8 s: about a minute.
	if preview.ChatID != groupID || !strings.Contains(preview.Text, "announcement #1") ||
		!strings.Contains(preview.Text, "Undangan <b>RAT</b> tahun buku 2026:\nSabtu, 19 Desember, 09.00 di balai desa.") ||
		!strings.Contains(preview.Text, "Recipients: <b>2</b> members.") || !strings.Contains(preview.Text, "about 1 min.") {
		t.Fatalf("preview %+v", preview)
	}
	if preview.ReplyMarkup == nil || len(preview.ReplyMarkup.InlineKeyboard) != 1 ||
		len(preview.ReplyMarkup.InlineKeyboard[0]) != 2 ||
		preview.ReplyMarkup.InlineKeyboard[0][0].CallbackData != "an:go:1" ||
		preview.ReplyMarkup.InlineKeyboard[0][1].CallbackData != "an:no:1" {
		t.Fatalf("preview buttons %+v", preview.ReplyMarkup)
	}
	if got := e.copies(); len(got) != 0 {
		t.Fatalf("the preview queued %+v", got)
	}

	srv.PushCallback(groupID, watiID, preview.MessageID, "an:go:1")
	if a := srv.WaitAnswered(1, 5*time.Second)[0]; a.Text != "Announcement #1 queued." {
		t.Fatalf("Kirim answered %+v", a)
	}
	footer := "\n\n" + e.msg("id", "announce.footer", nil)
	want := []copyRow{
		{fmt.Sprintf("ann:1:%d", e.siti.ID), "whatsapp", "6281234567890@s.whatsapp.net", text + footer, "pending", channel.Bulk},
		{fmt.Sprintf("ann:1:%d", joko.ID), "whatsapp", jokoChat, text + footer, "pending", channel.Bulk},
	}
	if got := e.copies(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("copies\n%+v\nwant\n%+v", got, want)
	}
	deliver()
	if ed := srv.WaitEdits(1, 5*time.Second)[0]; ed.MessageID != preview.MessageID ||
		(ed.ReplyMarkup != nil && len(ed.ReplyMarkup.InlineKeyboard) != 0) {
		t.Fatalf("edit %+v, want the preview's buttons gone", ed)
	}
	if s := srv.WaitSent(2, 5*time.Second)[1]; s.ChatID != groupID || !strings.Contains(s.Text, "sent by Wati: 2 messages queued") {
		t.Fatalf("after Kirim the group read %+v", s)
	}

	// The button pressed twice (a double tap, or pressed again after a
	// restart): told, nothing more queued.
	srv.PushCallback(groupID, watiID, preview.MessageID, "an:go:1")
	if a := srv.WaitAnswered(2, 5*time.Second)[1]; a.Text != "Announcement #1 was already sent by Wati." {
		t.Fatalf("second Kirim answered %+v", a)
	}
	if got := e.copies(); len(got) != 2 {
		t.Fatalf("%d copies after the second press, want 2", len(got))
	}
}

// TestAnnounceIsManajersAlone: a petugas or a stranger can neither write an
// announcement nor press Kirim or Batal under a manajer's preview.
func TestAnnounceIsManajersAlone(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, c := range []struct {
		who, want string
	}{
		{budi, e.msg("id", "officer.error.manager_only", map[string]any{"Command": "/umumkan"})},
		{nobody, e.msg("id", "officer.error.not_officer", nil)},
	} {
		before := e.counts()
		if got := one(t, c.who+" /umumkan", toGroup(e.say(c.who, group, "/umumkan Kantor tutup besok"))); got.Text != c.want {
			t.Errorf("%s: %q, want %q", c.who, got.Text, c.want)
		}
		if after := e.counts(); after.refused != before.refused+1 {
			t.Errorf("%s: refusals %d → %d", c.who, before.refused, after.refused)
		}
	}
	preview := one(t, "preview", toGroup(e.say(wati, group, "/umumkan Kantor tutup besok")))
	if got := buttonsOf(preview); fmt.Sprint(got) != "[an:go:1 an:no:1]" {
		t.Fatalf("preview buttons %v", got)
	}
	for _, c := range []struct {
		who, data, want string
	}{
		{budi, "an:go:1", e.msg("id", "officer.error.manager_only", map[string]any{"Command": "/umumkan"})},
		{budi, "an:no:1", e.msg("id", "officer.error.manager_only", map[string]any{"Command": "/umumkan"})},
		{nobody, "an:go:1", e.msg("id", "officer.error.not_officer", nil)},
	} {
		notice, replies := e.press(c.who, c.data, "501")
		if notice != c.want || len(replies) != 0 {
			t.Errorf("%s presses %s: %q and %+v, want %q and nothing", c.who, c.data, notice, replies, c.want)
		}
	}
	if got := e.copies(); len(got) != 0 {
		t.Fatalf("refused presses queued %+v", got)
	}
	// Batal by the manajer: nothing goes, and Kirim afterwards is refused.
	notice, replies := e.press(wati, "an:no:1", "501")
	if notice != "Announcement #1 cancelled." || !strings.Contains(one(t, "cancelled", texts(toGroup(replies))).Text, "cancelled by Wati") {
		t.Fatalf("Batal: %q, %+v", notice, replies)
	}
	if notice, _ := e.press(wati, "an:go:1", "501"); notice != "Announcement #1 was already cancelled by Wati." {
		t.Fatalf("Kirim after Batal: %q", notice)
	}
	if got := e.copies(); len(got) != 0 {
		t.Fatalf("a cancelled announcement queued %+v", got)
	}
}

// TestAnnounceFiltersAndStatus: the filters reach whom they say, unknown
// members in a list are named back, and /umumkan status reports each
// announcement's delivery from the outbox.
func TestAnnounceFiltersAndStatus(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	joko, _ := e.newMember("A-0002", "Joko", "6281311112222")
	e.newMember("A-0003", "Rudi", "6281311113333")
	e.write(func(tx *sql.Tx) error {
		_, err := tx.Exec(`UPDATE members SET joined_on = '2026-02-01' WHERE id = ?`, joko.ID)
		return err
	})
	for _, c := range []struct {
		say, want string
	}{
		{"/umumkan baru Selamat bergabung", "Recipients: *1* members"},
		{"/umumkan ke A-0001,081311113333 Rapat pengurus", "Recipients: *2* members"},
		{"/umumkan ke A-0001,A-9999,0899 Rapat", "No member found for: A-9999, 0899."},
		{"/umumkan tunggakan Mohon segera diangsur", "No member can receive this announcement (members in arrears)"},
		{"/umumkan ke A-0001", "Usage"},
		{"/umumkan status 7", "There is no announcement #7."},
	} {
		got := one(t, c.say, toGroup(e.say(wati, group, c.say)))
		if !strings.Contains(got.Text, c.want) && !strings.Contains(got.Text, e.msg("en", "announce.usage", nil)) {
			t.Errorf("%s: %q lacks %q", c.say, got.Text, c.want)
		}
	}
	e.press(wati, "an:go:2", "501")
	if got := e.copies(); len(got) != 2 || !strings.HasPrefix(got[0].text, "Rapat pengurus\n\n") {
		t.Fatalf("copies of the list %+v", got)
	}
	got := one(t, "status", toGroup(e.say(wati, group, "/umumkan status"))).Text
	// The press delivered everything queued.
	contains(t, "status", got, "#2", "the members named", "Rapat pengurus", "queued 0 · sent 2 · failed 0 · skipped 0")
	got = one(t, "status", toGroup(e.say(wati, group, "/umumkan status 2"))).Text
	contains(t, "status of one", got, "#2", "queued 0 · sent 2 · failed 0 · skipped 0")
	got = one(t, "status of a draft", toGroup(e.say(wati, group, "/umumkan status 1"))).Text
	if want := e.msg("en", "announce.status.not_sent", map[string]any{"ID": 1, "Cancelled": false}); got != want {
		t.Errorf("status of a draft %q, want %q", got, want)
	}
}

// TestStopPengumuman: a member stops announcements alone, their reminders
// go on; the next announcement leaves them out and counts them skipped;
// MULAI PENGUMUMAN brings them back. STOP alone still stops reminders.
func TestStopPengumuman(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.newMember("A-0002", "Joko", "6281311112222")
	ctx := context.Background()
	choice := func(topic reminder.Topic) bool {
		t.Helper()
		out, err := reminder.OptedOutOf(ctx, e.a.DB.R, topic, []int64{e.siti.ID})
		if err != nil {
			t.Fatal(err)
		}
		return out[e.siti.ID]
	}
	got := one(t, "STOP PENGUMUMAN", toSiti(e.sitiSays("STOP PENGUMUMAN")))
	if want := e.msg("id", "announce.stopped", nil); got.Text != want {
		t.Fatalf("STOP PENGUMUMAN answered %q, want %q", got.Text, want)
	}
	if !choice(reminder.Announcements) || choice(reminder.Reminders) {
		t.Fatal("STOP PENGUMUMAN must stop announcements and nothing else")
	}
	e.say(wati, group, "/umumkan Kantor tutup 25 Desember")
	notice, _ := e.press(wati, "an:go:1", "501")
	if got := e.copies(); notice != "Announcement #1 queued." || len(got) != 1 || got[0].chat == "6281234567890@s.whatsapp.net" {
		t.Fatalf("Kirim %q; copies %+v, want Joko's alone", notice, got)
	}
	contains(t, "status", one(t, "status", toGroup(e.say(wati, group, "/umumkan status 1"))).Text, "skipped 1")

	// A sentence asks first; yes stops, as the keyword does.
	got = one(t, "sentence", toSiti(e.sitiSays("mulai pengumuman")))
	if want := e.msg("id", "announce.started", nil); got.Text != want || choice(reminder.Announcements) {
		t.Fatalf("MULAI PENGUMUMAN answered %q", got.Text)
	}
	got = one(t, "sentence", toSiti(e.sitiSays("tolong stop pengumumannya bu")))
	if want := e.msg("id", "announce.stop.confirm", nil); got.Text != want {
		t.Fatalf("a sentence got %q, want the question %q", got.Text, want)
	}
	e.sitiSays("ya")
	if !choice(reminder.Announcements) || choice(reminder.Reminders) {
		t.Fatal("yes to the question must stop announcements alone")
	}
	e.sitiSays("STOP")
	if !choice(reminder.Reminders) {
		t.Fatal("STOP must still stop reminders")
	}
}

// TestAnnounceTypedAtTheTerminal: the terminal has no buttons, so Kirim
// and Batal are typed, under the same rules; a text that starts with one of
// the command's words is still an announcement.
func TestAnnounceTypedAtTheTerminal(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	at := func(who, text string) string {
		t.Helper()
		got := e.handle(channel.Message{Channel: channel.Console, ID: fmt.Sprintf("c%d", e.seq.Add(1)), Chat: "seat-" + who,
			From: who, Text: text, Kind: channel.Text})
		return one(t, text, texts(to(got, channel.Console, "seat-"+who))).Text
	}
	preview := at(wati, "/umumkan Kantor tutup\n25 Desember")
	contains(t, "preview", preview, "Kantor tutup\n25 Desember", "/umumkan kirim 1")
	contains(t, "a text starting with status", at(wati, "/umumkan status keanggotaan diperbarui"), "announcement #2",
		"status keanggotaan diperbarui")
	for _, c := range []struct {
		who, say, want string
	}{
		{budi, "/umumkan kirim 1", e.msg("id", "officer.error.manager_only", map[string]any{"Command": "/umumkan"})},
		{wati, "/umumkan kirim 9", "There is no announcement #9."},
		{wati, "/umumkan kirim #1", "Announcement #1 sent by Wati: 1 messages queued."},
		{wati, "/umumkan kirim 1", "Announcement #1 was already sent by Wati."},
		{wati, "/umumkan batal 2", "Announcement #2 cancelled by Wati; nothing was sent."},
		{wati, "/umumkan status 2", "Announcement #2 has not been sent (cancelled)."},
	} {
		if got := at(c.who, c.say); !strings.Contains(got, c.want) {
			t.Errorf("%s %q: %q, want %q", c.who, c.say, got, c.want)
		}
	}
	if got := e.copies(); len(got) != 1 || got[0].status != "sent" || !strings.HasPrefix(got[0].text, "Kantor tutup\n25 Desember\n\n") {
		t.Fatalf("copies %+v, want Siti's one, sent", got)
	}
}

// TestAnnounceLastDay: the preview says until when copies go (the day
// sent and announce.valid_days more, or the day named with sampai); a
// last day that has passed or cannot be read is refused; copies still
// waiting at the end of the last day are dropped and counted as expired
// in /umumkan status; Kirim after the last day queues nothing.
func TestAnnounceLastDay(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, func(o *app.Options) { o.AnnounceValidDays = 2 }) // Monday 30/11/2026
	for _, c := range []struct {
		say, want string
	}{
		{"/umumkan Kantor tutup Rabu", "Valid until 02/12/2026"},
		{"/umumkan sampai 5/12 ke A-0001 Rapat pengurus Sabtu", "Valid until 05/12/2026"},
		{"/umumkan sampai 30/11/2026 Rapat sore ini", "Valid until 30/11/2026"},
		{"/umumkan sampai 29/11/2026 Rapat kemarin", e.msg("en", "announce.error.until_past", map[string]any{"Date": "29/11/2026"})},
		{"/umumkan sampai besok Rapat", e.msg("en", "announce.error.until", map[string]any{"Date": "besok"})},
		{"/umumkan sampai 5/12", e.msg("en", "announce.usage", nil)},
	} {
		got := one(t, c.say, toGroup(e.say(wati, group, c.say)))
		if !strings.Contains(got.Text, c.want) {
			t.Errorf("%s: %q lacks %q", c.say, got.Text, c.want)
		}
	}
	if got := one(t, "list preview", toGroup(e.say(wati, group, "/umumkan sampai 5/12 ke A-0001 Rapat"))).Text; !strings.Contains(got, ":\n\nRapat\n\n") {
		t.Errorf("the last day was left in the text: %q", got)
	}
	// #3 (last day today) is sent but its copy cannot go before midnight.
	if _, err := e.a.Router.HandleCallback(context.Background(), channel.Callback{Channel: channel.Telegram, ID: "cb-exp",
		From: wati, Chat: group, MessageID: "501", Data: "an:go:3"}); err != nil {
		t.Fatal(err)
	}
	e.clk.Set(time.Date(2026, 12, 1, 0, 0, 0, 0, wib))
	e.drain()
	for _, c := range e.copies() {
		if strings.HasPrefix(c.key, "ann:3:") && c.status != "dropped" {
			t.Errorf("copy %s %s after its last day, want dropped", c.key, c.status)
		}
	}
	got := one(t, "status", toGroup(e.say(wati, group, "/umumkan status 3"))).Text
	contains(t, "status", got, "queued 0 · sent 0 · failed 0 · skipped 0 · expired 1 (valid until 30/11/2026)")
	// One sent before announcements expired names no last day.
	e.write(func(tx *sql.Tx) error {
		_, err := tx.Exec(`UPDATE announcements SET expires_at = NULL WHERE id = 3`)
		return err
	})
	if got := one(t, "status", toGroup(e.say(wati, group, "/umumkan status 3"))).Text; strings.Contains(got, "valid until") {
		t.Errorf("status of an announcement without a last day: %q", got)
	}
	// #2 was for up to 05/12; on the 6th Kirim is refused.
	e.clk.Set(time.Date(2026, 12, 6, 9, 0, 0, 0, wib))
	if notice, _ := e.press(wati, "an:go:2", "501"); notice != e.msg("en", "announce.error.expired", map[string]any{"ID": 2}) {
		t.Errorf("Kirim after the last day: %q", notice)
	}
	for _, c := range e.copies() {
		if strings.HasPrefix(c.key, "ann:2:") {
			t.Errorf("copy %s queued after the last day", c.key)
		}
	}
}
