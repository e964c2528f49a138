package whatsapp

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"google.golang.org/protobuf/proto"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel"
	kbmember "github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/shopspring/decimal"
)

// TestThroughTheRealEngine sends real whatsmeow events through the adapter
// into kopbot's router, dialog engine and ledger, and the replies back out
// through the outbox and the adapter's paced sender.
func TestThroughTheRealEngine(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	kb, err := app.Open(ctx, filepath.Join(t.TempDir(), "k.db"), app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { kb.Close() })
	err = kb.DB.Write(ctx, func(tx *sql.Tx) error {
		m, err := kbmember.Create(ctx, tx, kbmember.Member{Number: "KMM-1", Name: "Siti", Phone: "6281234567890",
			JoinedOn: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return err
		}
		_, err = savings.Deposit(ctx, tx, savings.Movement{Key: "d1", MemberID: m.ID, Kind: savings.Sukarela,
			Amount: decimal.NewFromInt(1_250_000), ValueDate: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Actor: "test"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	a, wa, _ := testAdapter(t, lidMap{pn: map[string]string{"98765": "6281234567890"}}, Config{})
	slip := append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0}, make([]byte, 4000)...)
	wa.media = map[string][]byte{"/v/slip": slip}
	photo := &waE2E.Message{ImageMessage: &waE2E.ImageMessage{Caption: proto.String("setor sukarela 250rb"),
		Mimetype: proto.String("image/jpeg"), DirectPath: proto.String("/v/slip"), FileLength: proto.Uint64(uint64(len(slip)))}}
	deliver := func() []sent {
		t.Helper()
		if _, err := outbox.Deliver(ctx, kb.DB, outbox.Filter{Channel: channel.WhatsApp, Limit: 10}, a, kb.Clock.Now); err != nil {
			t.Fatal(err)
		}
		s, _, _ := wa.snapshot()
		return s
	}
	steps := []struct {
		name string
		evt  func() bool
		want string
	}{
		{"saldo by phone JID", func() bool {
			return a.receive(ctx, kb.Router, dm(t, "WA1", "6281234567890@s.whatsapp.net", text("saldo")))
		}, "1.250.000"},
		{"the same message redelivered: acked, not answered again", func() bool {
			return a.receive(ctx, kb.Router, dm(t, "WA1", "6281234567890@s.whatsapp.net", text("saldo")))
		}, ""},
		{"a @lid sender mapped to her phone", func() bool {
			return a.receive(ctx, kb.Router, dm(t, "WA2", "98765@lid", text("mutasi")))
		}, "Mutasi simpanan"},
		{"a voice note", func() bool {
			return a.receive(ctx, kb.Router, dm(t, "WA3", "6281234567890@s.whatsapp.net", &waE2E.Message{AudioMessage: &waE2E.AudioMessage{}}))
		}, "Mohon ketik pesannya"},
		{"a photo of a transfer slip with its caption", func() bool {
			return a.receive(ctx, kb.Router, dm(t, "WA5", "6281234567890@s.whatsapp.net", photo))
		}, "Bukti transfer diterima"},
		{"the same photo redelivered: acked, not answered again", func() bool {
			return a.receive(ctx, kb.Router, dm(t, "WA5", "6281234567890@s.whatsapp.net", photo))
		}, ""},
		{"a stranger", func() bool {
			return a.receive(ctx, kb.Router, dm(t, "WA4", "6289999999999@s.whatsapp.net", text("saldo")))
		}, "belum terdaftar"},
	}
	answered := 0
	for _, st := range steps {
		if !st.evt() {
			t.Fatalf("%s: not acknowledged", st.name)
		}
		got := deliver()
		if st.want == "" {
			if len(got) != answered {
				t.Fatalf("%s: %d replies, want still %d", st.name, len(got), answered)
			}
			continue
		}
		answered++
		if len(got) != answered || !strings.Contains(got[answered-1].text, st.want) {
			t.Fatalf("%s: replies %+v, want reply %d containing %q", st.name, got, answered, st.want)
		}
	}
	// The proof is one, read as sukarela Rp250.000, its file kept; the
	// officers' card carries the photo.
	var proofs int
	var caption string
	if err := kb.DB.R.QueryRow(`SELECT count(*), max(caption) FROM payment_proofs`).Scan(&proofs, &caption); err != nil || proofs != 1 {
		t.Fatalf("proofs = %d, %v; want 1", proofs, err)
	}
	var cards int
	if err := kb.DB.R.QueryRow(`SELECT count(*) FROM outbox WHERE attachment IS NOT NULL AND text LIKE '%sukarela Rp250.000%'`).Scan(&cards); err != nil || cards != 1 {
		t.Fatalf("cards to the officers = %d, %v; want 1 with the photo and the amount read", cards, err)
	}
}
