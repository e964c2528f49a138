package privacy

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/router"
	"github.com/kopmem/kopbot/internal/store/storetest"
)

// Texts older than the retention period are emptied, the ids stay (a
// redelivery is still recognised), and what waits to be sent is kept.
func TestPruneKeepsIDsAndPending(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t, outbox.Schema, router.Schema)
	now := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	old, recent := now.Add(-31*24*time.Hour), now.Add(-time.Hour)
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		for i, at := range []time.Time{old, recent} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO inbox (channel, platform_id, chat, phone, text, received_at)
				VALUES ('whatsapp', ?, 'c', '6281', 'saldo saya', ?)`, i, at.Format("2006-01-02T15:04:05.000000000Z")); err != nil {
				return err
			}
			for _, status := range []string{"sent", "pending"} {
				if _, err := outbox.Enqueue(ctx, tx, outbox.Item{Reply: channel.Reply{Channel: channel.WhatsApp, Chat: "c",
					Text: "Saldo Anda " + status}}, at); err != nil {
					return err
				}
				if status == "sent" {
					if _, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'sent', sent_at = created_at
						WHERE id = (SELECT max(id) FROM outbox)`); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	p, err := Prune(ctx, db, now.Add(-DefaultKeep))
	if err != nil || p != (Pruned{Inbox: 1, Outbox: 1}) {
		t.Fatalf("pruned %+v %v, want one inbound and one delivered outbound", p, err)
	}
	var inboxRows, inboxTexts, outboxTexts int
	if err := db.R.QueryRow(`SELECT (SELECT count(*) FROM inbox), (SELECT count(*) FROM inbox WHERE text <> ''),
		(SELECT count(*) FROM outbox WHERE text <> '')`).Scan(&inboxRows, &inboxTexts, &outboxTexts); err != nil {
		t.Fatal(err)
	}
	if inboxRows != 2 || inboxTexts != 1 || outboxTexts != 3 {
		t.Fatalf("inbox rows %d with text %d, outbox texts %d; want 2, 1, 3", inboxRows, inboxTexts, outboxTexts)
	}
}

// A message names an erased member only where their name, number or phone
// stands as a whole word, so another member's messages are kept.
func TestWordIn(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		text, word string
		want       bool
	}{
		{"*Ani* (KMM-002)", "Ani", true},
		{"Ani", "Ani", true},
		{"Anisa (KMM-0021)", "Ani", false},
		{"Anisa (KMM-0021)", "KMM-002", false},
		{"Rani, lalu Ani.", "Ani", true},
		{"PJ-2612-0001 ditolak", "PJ-2612-0001", true},
		{"HP: 6281311112222 ·", "6281311112222", true},
		{"96281311112222", "6281311112222", false},
		{"apa saja", "", false},
	} {
		if got := wordIn(tt.text, tt.word); got != tt.want {
			t.Errorf("wordIn(%q, %q) = %v, want %v", tt.text, tt.word, got, tt.want)
		}
	}
}
