package member

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
)

func TestBindAndByIdentity(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	now := time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC)
	siti, err := Create(ctx, db.W, Member{Number: "A-1", Name: "Siti", Phone: "6281234567890", JoinedOn: date("2024-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	joko, err := Create(ctx, db.W, Member{Number: "A-2", Name: "Joko", Phone: "6285611112222", JoinedOn: date("2024-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name string
		bind func() error
		ch   channel.Name
		user string
		want string // member number, "" for ErrNotFound
	}{
		{name: "unbound", ch: channel.Telegram, user: "777"},
		{name: "bound", bind: func() error { return Bind(ctx, db.W, channel.Telegram, "777", siti.ID, siti.Phone, now) },
			ch: channel.Telegram, user: "777", want: "A-1"},
		{name: "another account stays unbound", ch: channel.Telegram, user: "778"},
		{name: "the same id on another channel is another account", ch: channel.WhatsApp, user: "777"},
		{name: "binding again moves the account", bind: func() error { return Bind(ctx, db.W, channel.Telegram, "777", joko.ID, joko.Phone, now) },
			ch: channel.Telegram, user: "777", want: "A-2"},
		{name: "a replaced number ends what the binding shows", bind: func() error {
			_, err := db.W.ExecContext(ctx, `UPDATE members SET phone = '6281300000000' WHERE id = ?`, joko.ID)
			return err
		}, ch: channel.Telegram, user: "777"},
		{name: "sharing the new number binds again", bind: func() error {
			return Bind(ctx, db.W, channel.Telegram, "777", joko.ID, "6281300000000", now)
		}, ch: channel.Telegram, user: "777", want: "A-2"},
	}
	for _, s := range steps {
		if s.bind != nil {
			if err := s.bind(); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
		}
		m, err := ByIdentity(ctx, db.R, s.ch, s.user)
		switch {
		case s.want == "" && !errors.Is(err, ErrNotFound):
			t.Errorf("%s: ByIdentity = %+v, %v; want ErrNotFound", s.name, m, err)
		case s.want != "" && (err != nil || m.Number != s.want):
			t.Errorf("%s: ByIdentity = %+v, %v; want %s", s.name, m, err, s.want)
		}
	}
	if err := Bind(ctx, db.W, channel.Telegram, "779", 404, "6280000000000", now); err == nil {
		t.Error("Bind to a member that does not exist succeeded")
	}
}
