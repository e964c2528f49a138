package member

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/csvin"
	"github.com/kopmem/kopbot/internal/outbox"
)

func TestBulkConsentIsWritingFirstOrTheImportsOptin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	// A-001 says yes on paper, A-002 no, A-003 nothing; A-004 says yes
	// with a capital; none has written yet.
	const file = "no_anggota,nama,no_hp,tanggal_masuk,optin\n" +
		"A-001,Siti,081200000001,2024-01-01,ya\n" +
		"A-002,Budi,081200000002,2024-01-01,tidak\n" +
		"A-003,Made,081200000003,2024-01-01,\n" +
		"A-004,Ayu,081200000004,2024-01-01,YES\n"
	if _, err := importString(t, db, file); err != nil {
		t.Fatal(err)
	}
	allowed := func() []string {
		t.Helper()
		var ids []int64
		byID := map[int64]string{}
		for _, n := range []string{"A-001", "A-002", "A-003", "A-004"} {
			m := mustFind(t, db, n)
			ids = append(ids, m.ID)
			byID[m.ID] = n
		}
		ok, err := BulkConsent(ctx, db.R, ids)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for id := range ok {
			out = append(out, byID[id])
		}
		slices.Sort(out)
		return out
	}
	if got, want := allowed(), []string{"A-001", "A-004"}; !slices.Equal(got, want) {
		t.Fatalf("after the import: %v; want %v (opted in on paper)", got, want)
	}
	// Writing to the cooperative's WhatsApp number is consent; writing on
	// Telegram is not (WhatsApp does not know of it).
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	if err := Touch(ctx, db.W, mustFind(t, db, "A-002").ID, channel.WhatsApp, "6281200000002@s.whatsapp.net", now); err != nil {
		t.Fatal(err)
	}
	if err := Touch(ctx, db.W, mustFind(t, db, "A-003").ID, channel.Telegram, "tg-3", now); err != nil {
		t.Fatal(err)
	}
	if got, want := allowed(), []string{"A-001", "A-002", "A-004"}; !slices.Equal(got, want) {
		t.Fatalf("after A-002 wrote on WhatsApp, A-003 on Telegram: %v; want %v", got, want)
	}
	// A later file says no for A-004; A-001's number moves to a new SIM
	// (the opt-in was for the old one), A-002's too (the new number never
	// wrote). An empty cell keeps what was recorded.
	const next = "no_anggota,nama,no_hp,tanggal_masuk,optin\n" +
		"A-001,Siti,081299999991,2024-01-01,\n" +
		"A-002,Budi,081299999992,2024-01-01,\n" +
		"A-003,Made,081200000003,2024-01-01,\n" +
		"A-004,Ayu,081200000004,2024-01-01,tidak\n"
	if _, err := importString(t, db, next); err != nil {
		t.Fatal(err)
	}
	if got := allowed(); len(got) != 0 {
		t.Fatalf("after new numbers and a no: %v; want none", got)
	}
	// A new number opted in in the same file as its move keeps the opt-in.
	const moved = "no_anggota,nama,no_hp,tanggal_masuk,optin\n" +
		"A-003,Made,081288888883,2024-01-01,ya\n"
	if _, err := importString(t, db, moved); err != nil {
		t.Fatal(err)
	}
	if got, want := allowed(), []string{"A-003"}; !slices.Equal(got, want) {
		t.Fatalf("after A-003 moved with optin ya: %v; want %v", got, want)
	}
}

func TestImportRefusesAnUnreadableOptin(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	_, err := importString(t, db, "no_anggota,nama,no_hp,tanggal_masuk,optin\nA-001,Siti,081200000001,2024-01-01,mungkin\n")
	var errs csvin.Errors
	if !errors.As(err, &errs) || len(errs) != 1 || fmt.Sprintf("%d %s %s %s", errs[0].Line, errs[0].Field, errs[0].Code, errs[0].Value) != "2 optin optin_invalid mungkin" {
		t.Fatalf("err = %v; want line 2's optin refused", err)
	}
	if n := count(t, db); n != 0 {
		t.Errorf("members after a refused import = %d; want 0", n)
	}
}

// sink takes every message.
type sink struct{ sent []string }

func (s *sink) Send(_ context.Context, r channel.Reply) error {
	s.sent = append(s.sent, r.Chat+" "+r.Text)
	return nil
}

// TestVetConsentHoldsAnyBulkOnWhatsApp: an announcement (any keyed bulk
// message) to a member who never wrote is dropped as no consent just
// before it goes; one to a member who wrote goes, and so does a notice.
func TestVetConsentHoldsAnyBulkOnWhatsApp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	if _, err := importString(t, db, "no_anggota,nama,no_hp,tanggal_masuk\nA-001,Siti,081200000001,2024-01-01\nA-002,Budi,081200000002,2024-01-01\n"); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	wrote, never := "6281200000001@s.whatsapp.net", "6281200000002@s.whatsapp.net"
	if err := Touch(ctx, db.W, mustFind(t, db, "A-001").ID, channel.WhatsApp, wrote, now); err != nil {
		t.Fatal(err)
	}
	items := []outbox.Item{
		{Reply: channel.Reply{Channel: channel.WhatsApp, Chat: wrote, Text: "Undangan RAT"}, Key: "ann:1:A-001", Lane: channel.Bulk},
		{Reply: channel.Reply{Channel: channel.WhatsApp, Chat: never, Text: "Undangan RAT"}, Key: "ann:1:A-002", Lane: channel.Bulk},
		{Reply: channel.Reply{Channel: channel.WhatsApp, Chat: never, Text: "Setoran diterima"}, Key: "rcpt:9", Lane: channel.Notice},
	}
	err := db.Write(ctx, func(tx *sql.Tx) error {
		for _, it := range items {
			if _, err := outbox.Enqueue(ctx, tx, it, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s := &sink{}
	if _, err := outbox.Deliver(ctx, db, outbox.Filter{Channel: channel.WhatsApp, Limit: 10, Vet: VetConsent(db.R)}, s,
		func() time.Time { return now }); err != nil {
		t.Fatal(err)
	}
	slices.Sort(s.sent)
	if want := []string{wrote + " Undangan RAT", never + " Setoran diterima"}; !slices.Equal(s.sent, want) {
		t.Errorf("sent %q; want %q", s.sent, want)
	}
	var status, why string
	if err := db.R.QueryRow(`SELECT status, last_error FROM outbox WHERE key = 'ann:1:A-002'`).Scan(&status, &why); err != nil {
		t.Fatal(err)
	}
	if status != "dropped" || why != outbox.WithheldNoConsent {
		t.Errorf("announcement to who never wrote: %s (%s); want dropped for no consent", status, why)
	}
}
