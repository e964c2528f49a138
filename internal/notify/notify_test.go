package notify

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/store"
)

type echo struct{}

func (echo) T(lang, id string, _ any) string { return lang + ":" + id }

func TestMemberIsToldWhereTheyChatLast(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "n.db"), store.Options{}, member.Schema, outbox.Schema)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	var m member.Member
	steps := []struct {
		touch    *member.Address
		wantCh   channel.Name
		wantChat string
	}{
		{nil, channel.WhatsApp, "6281234567890@s.whatsapp.net"}, // never chatted: WhatsApp by phone
		{&member.Address{Channel: channel.Telegram, Chat: "4242"}, channel.Telegram, "4242"},
		{&member.Address{Channel: channel.WhatsApp, Chat: "6281234567890@s.whatsapp.net"}, channel.WhatsApp, "6281234567890@s.whatsapp.net"},
	}
	err = db.Write(ctx, func(tx *sql.Tx) error {
		m, err = member.Create(ctx, tx, member.Member{Number: "A", Name: "Siti", Phone: "6281234567890", JoinedOn: now, Lang: "en"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range steps {
		now = now.Add(time.Minute)
		err := db.Write(ctx, func(tx *sql.Tx) error {
			if s.touch != nil {
				if err := member.Touch(ctx, tx, m.ID, s.touch.Channel, s.touch.Chat, now); err != nil {
					return err
				}
			}
			return Member(ctx, tx, echo{}, m, "loan.approved", nil, now)
		})
		if err != nil {
			t.Fatal(err)
		}
		var ch, chat, text string
		if err := db.R.QueryRow(`SELECT channel, chat, text FROM outbox ORDER BY id DESC LIMIT 1`).Scan(&ch, &chat, &text); err != nil {
			t.Fatal(err)
		}
		if channel.Name(ch) != s.wantCh || chat != s.wantChat || text != "en:loan.approved" {
			t.Fatalf("step %d: notice to %s:%s %q", i, ch, chat, text)
		}
	}
}
