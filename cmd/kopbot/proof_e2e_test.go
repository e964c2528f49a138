package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestServeProofEndToEnd drives the binary through a transfer proof: Siti,
// with a loan disbursed, sends the photo of her transfer slip; the officers'
// group gets the photo with the buttons; the officer presses Catat angsuran
// (twice, as a double tap does); Siti gets one receipt; the kept file is the
// photo she sent; and `kopbot ledger check` passes on the database.
func TestServeProofEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	t.Parallel()
	s := newServeRig(t)
	// One officer at the desk approves and disburses the loan alike.
	s.env = append(s.env, "KOPBOT_OFFICER_SOLO_DISBURSEMENT=true")
	cmd := s.start()
	s.tg.PushText(rigSiti, rigSiti, "/start")
	s.said(rigSiti, "nomor")
	s.tg.PushContact(rigSiti, rigSiti, "+62 812-3456-7890", rigSiti)
	s.said(rigSiti, "Siti Aminah")
	for _, line := range []string{"pinjam", "1", "2 juta", "6", "modal warung", "ya"} {
		s.tg.PushText(rigSiti, rigSiti, line)
	}
	announce, approve := s.buttonSent(rigGroup, "Setujui")
	s.tg.PushCallback(rigGroup, rigOfficer, announce.MessageID, approve)
	s.said(rigSiti, "disetujui")
	ref := regexp.MustCompile(`PJ-[0-9]+-[0-9]+`).FindString(announce.Text)
	if ref == "" {
		t.Fatalf("no loan ref in the announcement %q", announce.Text)
	}
	s.tg.PushText(rigGroup, rigOfficer, "/cair "+ref)
	s.said(rigSiti, "dicairkan")

	photo := append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00}, bytes.Repeat([]byte{0x5A}, 20000)...)
	s.tg.PushPhoto(rigSiti, rigSiti, photo, "bayar angsuran")
	s.said(rigSiti, "Bukti transfer diterima, sedang diperiksa petugas")
	card, book := s.buttonSent(rigGroup, "Catat angsuran")
	if card.Kind != "photo" || !bytes.Equal(card.File, photo) {
		t.Fatalf("the officers' card is a %q of %d bytes, want the member's photo (%d bytes)", card.Kind, len(card.File), len(photo))
	}
	if !strings.Contains(card.Text, "Siti Aminah") || !strings.Contains(card.Text, ref) {
		t.Errorf("card %q lacks the member or the loan due", card.Text)
	}
	s.tg.PushCallback(rigGroup, rigOfficer, card.MessageID, book)
	s.tg.PushCallback(rigGroup, rigOfficer, card.MessageID, book)
	s.said(rigSiti, "Kuitansi angsuran "+ref)
	s.tg.WaitAnswered(3, 15*time.Second) // Setujui, and Catat angsuran twice
	s.stop(cmd)
	if n := strings.Count(joinTexts(s.tg.Sent(), rigSiti), "Kuitansi angsuran"); n != 1 {
		t.Errorf("%d receipts to the member, want 1", n)
	}
	if code, out, errOut := kopbot(t, "", "ledger", "check", "--db", s.db); code != 0 {
		t.Fatalf("ledger check: exit %d\n%s%s", code, out, errOut)
	}
}
