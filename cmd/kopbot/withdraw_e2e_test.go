package main

import (
	"strings"
	"testing"
	"time"
)

// TestServeWithdrawEndToEnd drives the binary through a cash withdrawal:
// Siti (Rp1.000.000 sukarela) is refused her wajib, asks for Rp300.000
// cash; the officer presses Setujui and, once the money is handed over,
// Sudah dibayar — each twice, and Sudah dibayar once more after a restart;
// Siti gets one approval and one receipt, and `kopbot ledger check` passes.
func TestServeWithdrawEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	t.Parallel()
	s := newServeRig(t)
	cmd := s.start()
	s.tg.PushText(rigSiti, rigSiti, "/start")
	s.said(rigSiti, "nomor")
	s.tg.PushContact(rigSiti, rigSiti, "+62 812-3456-7890", rigSiti)
	s.said(rigSiti, "Siti Aminah")
	s.tg.PushText(rigSiti, rigSiti, "tarik wajib")
	s.said(rigSiti, "tidak bisa ditarik selama masih menjadi anggota")
	for _, line := range []string{"ambil tabungan 300rb", "tunai", "ya"} {
		s.tg.PushText(rigSiti, rigSiti, line)
	}
	s.said(rigSiti, "W-1")
	announce, approve := s.buttonSent(rigGroup, "Setujui")
	if !strings.Contains(announce.Text, "Rp300.000") || !strings.Contains(announce.Text, "Siti Aminah") {
		t.Fatalf("announcement %q", announce.Text)
	}
	s.tg.PushCallback(rigGroup, rigOfficer, announce.MessageID, approve)
	s.tg.PushCallback(rigGroup, rigOfficer, announce.MessageID, approve)
	s.said(rigSiti, "ambil tunai di kantor")
	card, paid := s.buttonSent(rigGroup, "Sudah dibayar")
	s.tg.PushCallback(rigGroup, rigOfficer, card.MessageID, paid)
	s.tg.PushCallback(rigGroup, rigOfficer, card.MessageID, paid)
	s.said(rigSiti, "Saldo sukarela: Rp700.000")
	s.tg.WaitAnswered(4, 15*time.Second)
	s.stop(cmd)

	cmd = s.start()
	s.tg.PushCallback(rigGroup, rigOfficer, card.MessageID, paid)
	s.tg.WaitAnswered(5, 15*time.Second)
	s.tg.PushText(rigSiti, rigSiti, "saldo")
	s.said(rigSiti, "Sukarela  700.000")
	s.stop(cmd)
	sent := joinTexts(s.tg.Sent(), rigSiti)
	for want, n := range map[string]int{"ambil tunai di kantor": 1, "sudah dibayarkan": 1} {
		if got := strings.Count(sent, want); got != n {
			t.Errorf("%q %d times to the member, want %d", want, got, n)
		}
	}
	if code, out, errOut := kopbot(t, "", "ledger", "check", "--db", s.db); code != 0 {
		t.Fatalf("ledger check: exit %d\n%s%s", code, out, errOut)
	}
}
