package whatsapp

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"

	"go.mau.fi/whatsmeow/types"

	"github.com/kopmem/kopbot/internal/phone"
)

func openTemp(t *testing.T) (*Session, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "whatsapp.db")
	s, err := Open(context.Background(), path, quiet)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s, path
}

func TestOpenFreshSession(t *testing.T) {
	t.Parallel()
	s, path := openTemp(t)
	if s.Paired() || s.ID() != "" {
		t.Errorf("fresh session paired as %q", s.ID())
	}
	if s.device.NoiseKey == nil {
		t.Error("device has no keys")
	}

	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var fk int
	var journal string
	if err := db.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow("PRAGMA journal_mode").Scan(&journal); err != nil {
		t.Fatal(err)
	}
	if fk != 1 || journal != "wal" {
		t.Errorf("foreign_keys %d, journal_mode %q; want 1, wal", fk, journal)
	}
	var tables int
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'whatsmeow_device'`).Scan(&tables); err != nil || tables != 1 {
		t.Errorf("whatsmeow tables not created (%d, %v)", tables, err)
	}
}

// TestLIDStoreMapsSender runs conversion on whatsmeow's own LID store in
// SQLite, as serve does.
func TestLIDStoreMapsSender(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	ctx := context.Background()
	lid := types.NewJID("123456789012345", types.HiddenUserServer)
	evt := dm(t, "L1", lid.String(), text("saldo"))

	msg, ok, err := convert(ctx, evt, s.container.LIDMap, quiet)
	if err != nil || !ok || msg.Phone != "" {
		t.Fatalf("unmapped: %+v, %v, %v; want delivered without phone", msg, ok, err)
	}
	if err := s.container.LIDMap.PutLIDMapping(ctx, lid, types.NewJID("6281234567890", types.DefaultUserServer)); err != nil {
		t.Fatal(err)
	}
	msg, ok, err = convert(ctx, evt, s.container.LIDMap, quiet)
	if err != nil || !ok || msg.Phone != "6281234567890" {
		t.Errorf("mapped: %+v, %v, %v; want phone 6281234567890", msg, ok, err)
	}
}

func TestUnpairedSessionRefuses(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	ctx := context.Background()
	if err := NewAdapter(s, Config{}).Run(ctx, &engine{}); !errors.Is(err, ErrNotPaired) {
		t.Errorf("run = %v, want ErrNotPaired", err)
	}
	if err := s.Unlink(ctx); !errors.Is(err, ErrNotPaired) {
		t.Errorf("unlink = %v, want ErrNotPaired", err)
	}
	var out bytes.Buffer
	if err := s.Link(ctx, &out, "0812-ABC"); !errors.Is(err, phone.ErrInvalid) {
		t.Errorf("link with a bad number = %v, want phone.ErrInvalid", err)
	}
}
