package member

import (
	"context"
	"database/sql"
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

// TestTouchWritesOnlyWhatReachNeeds: a member writing again from the same
// chat soon after is not recorded again, yet Reach always names the chat
// they used last.
func TestTouchWritesOnlyWhatReachNeeds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	m, err := Create(ctx, db.W, Member{Number: "T-001", Name: "Tini", Phone: "6281200000077", JoinedOn: date("2024-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	wa := Address{Channel: channel.WhatsApp, Chat: "6281200000077@s.whatsapp.net"}
	tg := Address{Channel: channel.Telegram, Chat: "tg-77"}
	for _, step := range []struct {
		name    string
		from    Address
		at      time.Duration
		written bool
	}{
		{"first message", wa, 0, true},
		{"again soon, same chat", wa, 10 * time.Minute, false},
		{"another channel", tg, 20 * time.Minute, true},
		{"back, though recently seen there", wa, 30 * time.Minute, true},
		{"again soon", wa, 40 * time.Minute, false},
		{"again after the hour", wa, 100 * time.Minute, true},
		{"same channel, another chat", Address{Channel: channel.WhatsApp, Chat: "6289900000077@s.whatsapp.net"}, 101 * time.Minute, true},
	} {
		before := lastSeen(t, db.R, m.ID, step.from.Channel)
		if err := Touch(ctx, db.W, m.ID, step.from.Channel, step.from.Chat, t0.Add(step.at)); err != nil {
			t.Fatal(err)
		}
		if written := lastSeen(t, db.R, m.ID, step.from.Channel) != before; written != step.written {
			t.Errorf("%s: written %v, want %v", step.name, written, step.written)
		}
		if got, err := Reach(ctx, db.R, m); err != nil || got != step.from {
			t.Errorf("%s: Reach = %v, %v; want %v", step.name, got, err, step.from)
		}
	}
}

func lastSeen(t *testing.T, q *sql.DB, memberID int64, ch channel.Name) string {
	t.Helper()
	var at string
	err := q.QueryRow(`SELECT last_seen FROM member_channels WHERE member_id = ? AND channel = ?`, memberID, string(ch)).Scan(&at)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		t.Fatal(err)
	}
	return at
}
