package main

import (
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel/telegram/telegramtest"
)

// aniCSV adds a third member to the rig's two.
const aniCSV = `no_anggota,nama,no_hp,tanggal_masuk,nik
KMM-003,Ani Lestari,0813-7777-8888,2023-03-15,
`

// TestServeRoutesOfficersReplies runs the real binary against the fake Bot
// API with two handoffs open (Siti #H1, Budi #H2), one closed by its member
// (Ani #H3) and a pending Tolak on Siti's request: each officer reply goes
// exactly where it points, and the officer is told what became of it.
func TestServeRoutesOfficersReplies(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	t.Parallel()
	r := newServeRig(t)
	if code, _, errOut := kopbot(t, "", "import", "members", write(t, r.dir, "ani.csv", aniCSV), "--db", r.db); code != 0 {
		t.Fatal(errOut)
	}
	tg := r.tg
	const group, officer, siti, budi, ani = rigGroup, rigOfficer, rigSiti, 4343, 4444
	cmd := r.start()
	defer r.stop(cmd)
	said := r.said
	lastTo := func(chat int64, want string) telegramtest.SentMessage {
		t.Helper()
		said(chat, want)
		sent := tg.Sent()
		for i := len(sent) - 1; i >= 0; i-- {
			if sent[i].ChatID == chat && strings.Contains(sent[i].Text, want) {
				return sent[i]
			}
		}
		t.Fatalf("nothing to %d says %q", chat, want)
		return telegramtest.SentMessage{}
	}
	for _, m := range []struct {
		id    int64
		phone string
		name  string
	}{{siti, "+62 812-3456-7890", "Siti Aminah"}, {budi, "+62 813-1111-2222", "Budi Santoso"}, {ani, "+62 813-7777-8888", "Ani Lestari"}} {
		tg.PushText(m.id, m.id, "/start")
		said(m.id, "nomor")
		tg.PushContact(m.id, m.id, m.phone, m.id)
		said(m.id, m.name)
	}
	for _, line := range []string{"pinjam", "1", "2 juta", "6", "modal warung", "ya"} {
		tg.PushText(siti, siti, line)
	}
	said(siti, "sudah kami terima")
	announce, reject := r.buttonSent(group, "Tolak")
	// Budi and Ani pick 8, the menu's "Hubungi petugas", open since binding.
	for _, m := range []struct {
		id    int64
		lines []string
	}{{siti, []string{"petugas", "Pertanyaan Siti"}}, {budi, []string{"8", "Pertanyaan Budi"}},
		{ani, []string{"8", "Pertanyaan Ani", "selesai"}}} {
		for _, l := range m.lines {
			tg.PushText(m.id, m.id, l)
		}
	}
	said(group, "ditutup oleh anggota")
	fwdBudi, fwdAni := lastTo(group, "Pertanyaan Budi"), lastTo(group, "Pertanyaan Ani")
	// Tolak on Siti's request: the reason is awaited from Bu Rina.
	tg.PushCallback(group, officer, announce.MessageID, reject)
	prompt := lastTo(group, "alasan penolakan")

	tg.PushReply(group, officer, fwdBudi.MessageID, "Besok kantor buka jam 8, Pak.")
	said(budi, "Besok kantor buka jam 8, Pak.")
	said(group, "Budi Santoso (#H2) sudah dikirim")
	tg.PushReply(group, officer, fwdAni.MessageID, "Halo Bu Ani")
	said(group, "TIDAK terkirim")
	tg.PushReply(group, officer, prompt.MessageID, "Slip gaji belum lengkap")
	said(siti, "Slip gaji belum lengkap")
	said(group, "ditolak")

	for who, chat := range map[string]int64{"Siti": siti, "Budi": budi, "Ani": ani} {
		texts := joinTexts(tg.Sent(), chat)
		for _, never := range map[string][]string{"Siti": {"Besok kantor", "Halo Bu Ani"},
			"Budi": {"Slip gaji", "Halo Bu Ani"}, "Ani": {"Besok kantor", "Slip gaji", "Halo Bu Ani"}}[who] {
			if strings.Contains(texts, never) {
				t.Errorf("%s got %q: %s", who, never, texts)
			}
		}
	}
	// The rejection took the buttons off the announcement: the real serve
	// knows the platform ids of what it sent.
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		done := false
		for _, e := range tg.Edits() {
			done = done || (e.ChatID == group && e.MessageID == announce.MessageID)
		}
		if done {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the announcement kept its buttons; edits %+v", tg.Edits())
		}
	}
}
