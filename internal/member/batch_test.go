package member

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
)

func TestByIDsAndReachAll(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	var ms []Member
	for i := 1; i <= 3; i++ {
		m, err := Create(ctx, db.W, Member{Number: fmt.Sprintf("A-%03d", i), Name: fmt.Sprintf("Anggota %d", i),
			Phone: fmt.Sprintf("62812000000%02d", i), JoinedOn: date("2024-01-01")})
		if err != nil {
			t.Fatal(err)
		}
		ms = append(ms, m)
	}
	// The first never chatted; the second only on Telegram; the third on
	// Telegram, then on WhatsApp from another number.
	day := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	for _, touch := range []struct {
		m    Member
		ch   channel.Name
		chat string
		at   time.Time
	}{
		{ms[1], channel.Telegram, "tg-2", day},
		{ms[2], channel.Telegram, "tg-3", day},
		{ms[2], channel.WhatsApp, "6289900000003@s.whatsapp.net", day.Add(time.Hour)},
	} {
		if err := Touch(ctx, db.W, touch.m.ID, touch.ch, touch.chat, touch.at); err != nil {
			t.Fatal(err)
		}
	}

	got, err := ByIDs(ctx, db.R, []int64{ms[2].ID, ms[0].ID, ms[2].ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[ms[0].ID] != ms[0] || got[ms[2].ID] != ms[2] {
		t.Errorf("ByIDs = %+v; want members %d and %d as created", got, ms[0].ID, ms[2].ID)
	}
	if _, err := ByIDs(ctx, db.R, []int64{ms[0].ID, 404}); !errors.Is(err, ErrNotFound) {
		t.Errorf("ByIDs with a missing id: %v; want ErrNotFound", err)
	}

	want := map[int64]Address{
		ms[0].ID: {Channel: channel.WhatsApp, Chat: "6281200000001@s.whatsapp.net"},
		ms[1].ID: {Channel: channel.Telegram, Chat: "tg-2"},
		ms[2].ID: {Channel: channel.WhatsApp, Chat: "6289900000003@s.whatsapp.net"},
	}
	all, err := ReachAll(ctx, db.R, ms)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		one, err := Reach(ctx, db.R, m)
		if err != nil {
			t.Fatal(err)
		}
		if all[m.ID] != want[m.ID] || one != want[m.ID] {
			t.Errorf("member %s: ReachAll %v, Reach %v; want %v", m.Number, all[m.ID], one, want[m.ID])
		}
	}
}
