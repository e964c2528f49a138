package officer_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/payment"
)

// slip is a photo of a transfer slip as a phone sends it: a JPEG.
var slip = append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00}, bytes.Repeat([]byte{9}, 5000)...)

// sendFile is Siti sending a file on WhatsApp, as the adapter hands it on:
// its bytes are fetched through File.Fetch, with the limit it is given.
func (e *env) sendFile(id string, kind channel.MediaKind, data []byte, caption string) []channel.Reply {
	e.t.Helper()
	return e.sendFileFrom("6281234567890", id, kind, data, caption)
}

// sendFileFrom is sendFile from another member's WhatsApp number.
func (e *env) sendFileFrom(phone, id string, kind channel.MediaKind, data []byte, caption string) []channel.Reply {
	e.t.Helper()
	m := channel.Message{Channel: channel.WhatsApp, ID: id, Chat: phone + "@s.whatsapp.net",
		From: phone + "@s.whatsapp.net", Phone: phone, Kind: channel.Media, Text: caption, At: e.clk.Now(),
		File: &channel.File{Kind: kind, Size: int64(len(data)), Fetch: func(_ context.Context, limit int64) ([]byte, error) {
			if int64(len(data)) > limit {
				return nil, channel.ErrTooLarge
			}
			return data, nil
		}}}
	return e.handle(m)
}

// withLoan gives Siti a disbursed USAHA loan of Rp12.000.000 over 12
// months (installment Rp1.180.000, first due 30/12/2026).
func (e *env) withLoan() string {
	e.t.Helper()
	a := e.apply(12_000_000, 12)
	e.press(budi, "ap:"+a.Ref, "501")
	e.press(wati, "ap:"+a.Ref, "501")
	e.say(rina, rina, "/cair "+a.Ref) // not an approver: the disburser is another officer
	if st, err := loan.LoanStatusOf(context.Background(), e.a.DB.R, a.Ref, e.clk.Now()); err != nil || st.NextDue == nil {
		e.t.Fatalf("loan %s not disbursed: %v", a.Ref, err)
	}
	return a.Ref
}

// button finds the button whose label contains label.
func button(t *testing.T, r channel.Reply, label string) channel.Button {
	t.Helper()
	for _, row := range r.Buttons {
		for _, b := range row {
			if strings.Contains(b.Text, label) {
				return b
			}
		}
	}
	t.Fatalf("no button %q under %q: %+v", label, r.Text, r.Buttons)
	return channel.Button{}
}

func TestProofBookedAsInstallmentOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ref := e.withLoan()
	e.clk.Set(time.Date(2026, 12, 30, 10, 0, 0, 0, wib))
	before := e.counts()

	rs := e.sendFile("WA-P1", channel.Image, slip, "bayar angsuran 1.180.000")
	contains(t, "member", one(t, "to Siti", toSiti(rs)).Text, "Bukti transfer diterima, sedang diperiksa petugas")
	card := one(t, "card", toGroup(rs))
	contains(t, "card", card.Text, "BT-1", "Siti", "A-0001", "angsuran Rp1.180.000", "Angsuran "+ref+": Rp1.180.000")
	if card.Attachment == nil || card.Attachment.Kind != channel.Image {
		t.Fatalf("card without the photo: %+v", card.Attachment)
	}
	if kept, err := os.ReadFile(card.Attachment.Path); err != nil || !bytes.Equal(kept, slip) {
		t.Fatalf("kept file: %v", err)
	}
	if st, err := os.Stat(card.Attachment.Path); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("kept file mode: %v %v, want 0600", st.Mode(), err)
	}
	// The same photo delivered again is the same proof: no second card.
	if rs := e.sendFile("WA-P1", channel.Image, slip, "bayar angsuran 1.180.000"); len(rs) != 0 {
		t.Fatalf("a redelivered photo was answered again: %+v", rs)
	}

	book := button(t, card, "Catat angsuran Rp1.180.000")
	notice, rs := e.press(budi, book.Data, "777")
	contains(t, "receipt", one(t, "receipt", toSiti(rs)).Text, "Kuitansi angsuran "+ref, "Rp1.180.000")
	var booked, edit bool
	for _, r := range toGroup(rs) {
		booked = booked || strings.Contains(r.Text, "BT-1") && strings.Contains(r.Text, "dicatat") && strings.Contains(r.Text, "Budi")
		edit = edit || (r.EditOf == "777" && len(r.Buttons) == 0)
	}
	if !booked || !edit {
		t.Fatalf("group after booking (notice %q): %+v; want the booking told and the buttons taken", notice, toGroup(rs))
	}
	// Pressed again, by anyone, however often: posted once.
	for _, who := range []string{budi, rina} {
		notice, rs = e.press(who, book.Data, "777")
		if len(toSiti(rs)) != 0 || !strings.Contains(notice+joinReplies(rs), "sudah dicatat oleh Budi") {
			t.Fatalf("second press by %s: notice %q, %+v", who, notice, rs)
		}
	}
	after := e.counts()
	if after.payments != before.payments+1 {
		t.Fatalf("payments %d → %d, want one more", before.payments, after.payments)
	}
	var memo string
	if err := e.a.DB.R.QueryRow(`SELECT memo FROM ledger_transactions WHERE idem_key LIKE '%proof:BT-1'`).Scan(&memo); err != nil ||
		!strings.Contains(memo, "BT-1") {
		t.Fatalf("ledger memo %q, %v: want the proof named", memo, err)
	}
	var audited int
	if err := e.a.DB.R.QueryRow(`SELECT count(*) FROM officer_audit WHERE subject = 'BT-1' AND action = 'press:proof:angsuran' AND ok = 1`).
		Scan(&audited); err != nil || audited != 1 {
		t.Fatalf("audited bookings of BT-1 = %d, %v; want 1", audited, err)
	}
	e.check()
}

func TestProofWithoutAmountAsksTheMember(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rs := e.sendFile("WA-P2", channel.Image, slip, "")
	said := one(t, "to Siti", toSiti(rs)).Text
	contains(t, "question", said, "Bukti transfer diterima", "Untuk apa transfer ini?", "Simpanan sukarela")
	card := one(t, "card", toGroup(rs))
	contains(t, "card", card.Text, "tidak ada jumlah yang jelas")
	for _, row := range card.Buttons {
		for _, b := range row {
			if strings.HasPrefix(b.Text, "Catat") {
				t.Fatalf("a booking button without an amount: %+v", b)
			}
		}
	}
	// Siti answers; the officers see it with a button for it.
	rs = e.sitiSays("sukarela 200rb")
	contains(t, "thanks", one(t, "to Siti", toSiti(rs)).Text, "sudah kami teruskan")
	card = one(t, "clarified card", toGroup(rs))
	contains(t, "clarified", card.Text, "sukarela 200rb", "sukarela Rp200.000")
	_, rs = e.press(rina, button(t, card, "Catat simpanan sukarela Rp200.000").Data, "778")
	contains(t, "receipt", one(t, "receipt", toSiti(rs)).Text, "Setoran simpanan", "Rp200.000")
	// The answer was taken once: "saldo" after it is the menu's again.
	contains(t, "saldo", one(t, "saldo", toSiti(e.sitiSays("saldo"))).Text, "Saldo simpanan")
	e.check()
}

func TestProofRejectedWithReason(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	card := one(t, "card", toGroup(e.sendFile("WA-P3", channel.Document, []byte("%PDF-1.4\nslip\n"), "setor wajib 100.000")))
	contains(t, "card", card.Text, "wajib Rp100.000")
	before := e.counts()
	// A reply to the card before anyone pressed Tolak rejects nothing.
	contains(t, "early reply", joinReplies(e.replyTo(rina, e.idOf("Bukti transfer BT-1"), "kurang jelas")), "tekan *Tolak*")
	_, rs := e.press(budi, button(t, card, "Tolak").Data, "779")
	contains(t, "prompt", one(t, "prompt", toGroup(rs)).Text, "alasan penolakan", "BT-1")
	// Chatter in the group is no reason; a reply to the prompt is.
	if rs := e.say(budi, group, "sebentar ya"); len(toSiti(rs)) != 0 {
		t.Fatalf("a plain message was taken as the reason: %+v", rs)
	}
	rs = e.replyTo(budi, e.idOf("alasan penolakan", "BT-1"), "nominal di slip tidak sesuai")
	contains(t, "to Siti", one(t, "to Siti", toSiti(rs)).Text, "BT-1", "nominal di slip tidak sesuai")
	// A booking press after the rejection posts nothing.
	notice, _ := e.press(rina, button(t, card, "Catat simpanan wajib").Data, "779")
	contains(t, "late press", notice, "sudah ditolak oleh Budi")
	if after := e.counts(); after.postings != before.postings {
		t.Fatalf("postings %d → %d after a rejection", before.postings, after.postings)
	}
	e.check()
}

func TestProofOtherAmountTyped(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	card := one(t, "card", toGroup(e.sendFile("WA-P4", channel.Image, slip, "transfer 150.000")))
	_, rs := e.press(budi, button(t, card, "Jumlah lain").Data, "780")
	contains(t, "how", one(t, "how", toGroup(rs)).Text, "/bukti BT-1")
	rs = e.say(budi, group, "/bukti BT-1 wajib 150.000")
	contains(t, "receipt", one(t, "receipt", toSiti(rs)).Text, "Setoran simpanan", "Rp150.000")
	rs = e.say(rina, group, "/bukti BT-1 sukarela 150.000")
	contains(t, "twice", one(t, "twice", toGroup(rs)).Text, "sudah dicatat oleh Budi")
	e.check()
}

func TestProofRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	card := one(t, "card", toGroup(e.sendFile("WA-P5", channel.Image, slip, "sukarela 50.000")))
	before := e.counts()
	notice, rs := e.press(nobody, button(t, card, "Catat simpanan sukarela").Data, "781")
	if len(toSiti(rs)) != 0 || !strings.Contains(notice+joinReplies(rs), "petugas") {
		t.Fatalf("a stranger's press: %q %+v", notice, rs)
	}
	if after := e.counts(); after.postings != before.postings || after.refused != before.refused+1 {
		t.Fatalf("a stranger's press: %+v → %+v; want nothing posted, one refusal audited", before, after)
	}
	for _, tc := range []struct {
		name, data, want string
	}{
		{"forged proof id", "bt:s:99:50000", "tidak ditemukan"},
		{"malformed data", "bt:s:1", "tombol"},
	} {
		notice, _ := e.press(budi, tc.data, "781")
		if !strings.Contains(strings.ToLower(notice), tc.want) {
			t.Errorf("%s: notice %q, want %q", tc.name, notice, tc.want)
		}
	}
	e.check()
}

func TestMemberFilesThatAreNoProof(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct {
		name string
		kind channel.MediaKind
		data []byte
		want string
	}{
		{"a text file", channel.Document, []byte("just some words"), "foto (JPG/PNG) atau PDF"},
		{"too large", channel.Image, append(slip, make([]byte, payment.DefaultMaxFileBytes)...), "terlalu besar (paling besar 5 MB)"},
		{"a voice note", channel.Voice, []byte("OggS voice"), "Mohon ketik pesannya"},
		{"a sticker", channel.Sticker, []byte("RIFF sticker"), "Mohon ketik pesannya"},
	}
	for i, tc := range tests {
		rs := e.sendFile(fmt.Sprintf("WA-N%d", i), tc.kind, tc.data, "")
		contains(t, tc.name, one(t, tc.name, toSiti(rs)).Text, tc.want)
		if g := toGroup(rs); len(g) != 0 {
			t.Errorf("%s reached the officers: %+v", tc.name, g)
		}
	}
	var proofs int
	if err := e.a.DB.R.QueryRow(`SELECT count(*) FROM payment_proofs`).Scan(&proofs); err != nil || proofs != 0 {
		t.Fatalf("proofs = %d, %v", proofs, err)
	}
}

func TestHandoffForwardsFilesAsTheyAre(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(func(tx *sql.Tx) error {
		_, err := member.StartHandoff(context.Background(), tx, e.siti.ID, e.clk.Now())
		return err
	})
	for _, tc := range []struct {
		kind channel.MediaKind
		data []byte
	}{{channel.Voice, []byte("OggS voice note")}, {channel.Image, slip}} {
		rs := e.sendFile("WA-H-"+string(tc.kind), tc.kind, tc.data, "ini pak")
		contains(t, string(tc.kind), one(t, "to Siti", toSiti(rs)).Text, "diteruskan")
		fwd := one(t, "forwarded", toGroup(rs))
		if fwd.Attachment == nil {
			t.Fatalf("%s forwarded without the file: %+v", tc.kind, fwd)
		}
		if kept, err := os.ReadFile(fwd.Attachment.Path); err != nil || !bytes.Equal(kept, tc.data) {
			t.Fatalf("%s forwarded file differs: %v", tc.kind, err)
		}
	}
}

// The duties of a deposit at the counter hold for a proof: above the
// deposit limit a second officer confirms before anything is posted, and
// the maker cannot be the checker.
func TestProofAboveTheLimitNeedsASecondOfficer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	card := one(t, "card", toGroup(e.sendFile("WA-L1", channel.Image, slip, "tabungan 12.000.000")))
	before := e.counts()
	notice, rs := e.press(budi, button(t, card, "Catat simpanan sukarela Rp12.000.000").Data, "790")
	contains(t, "proposed", notice+joinReplies(rs), "menunggu konfirmasi")
	if len(toSiti(rs)) != 0 || e.counts().postings != before.postings {
		t.Fatalf("posted before a second officer confirmed: %+v", rs)
	}
	confirm := confirmButton(t, rs)
	notice, rs = e.press(budi, confirm, "791")
	if len(toSiti(rs)) != 0 || e.counts().postings != before.postings {
		t.Fatalf("the maker confirmed their own booking: %q", notice)
	}
	_, rs = e.press(rina, confirm, "791")
	contains(t, "receipt", one(t, "receipt", toSiti(rs)).Text, "Setoran simpanan", "Rp12.000.000")
	_, rs = e.press(wati, confirm, "791")
	if len(toSiti(rs)) != 0 {
		t.Fatalf("confirmed twice: %+v", rs)
	}
	var memo string
	if err := e.a.DB.R.QueryRow(`SELECT memo FROM ledger_transactions WHERE idem_key = 'proof:BT-1'`).Scan(&memo); err != nil ||
		!strings.Contains(memo, "BT-1") {
		t.Fatalf("ledger memo %q, %v", memo, err)
	}
	e.check()
}

// An officer who is a member cannot book their own transfer.
func TestProofOwnAccountRefused(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, withDewi)
	e.addDewi()
	card := one(t, "card", toGroup(e.sendFileFrom("6281299990000", "WA-D1", channel.Image, slip, "sukarela 100.000")))
	before := e.counts()
	notice, rs := e.press(dewi, button(t, card, "Catat simpanan sukarela").Data, "792")
	contains(t, "own", notice+joinReplies(rs), "rekening anggota Anda sendiri")
	if e.counts().postings != before.postings {
		t.Fatal("an officer booked their own transfer")
	}
	_, rs = e.press(budi, button(t, card, "Catat simpanan sukarela").Data, "792")
	if len(to(rs, channel.WhatsApp, "6281299990000@s.whatsapp.net")) != 1 {
		t.Fatalf("another officer could not book it: %+v", rs)
	}
	e.check()
}

func joinReplies(rs []channel.Reply) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(r.Text + "\n")
	}
	return b.String()
}
