package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/store/sqlstore"
	waLog "go.mau.fi/whatsmeow/util/log"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver

	kstore "github.com/kopmem/kopbot/internal/store"
)

// ErrNotPaired means the session file holds no linked device: run
// `kopbot whatsapp link` first.
var ErrNotPaired = errors.New("whatsapp is not linked")

// Session is the cooperative's WhatsApp login, kept in its own SQLite file
// so whatsmeow's tables and upgrades never touch the money database.
type Session struct {
	container *sqlstore.Container
	device    *store.Device
	log       *slog.Logger
	waLog     waLog.Logger
}

// Open opens (creating if needed) the session file at path.
func Open(ctx context.Context, path string, log *slog.Logger) (*Session, error) {
	// The session is the cooperative's WhatsApp login: private, like the
	// database, and SQLite gives its -wal and -shm the same mode.
	if err := kstore.CreatePrivate(path); err != nil {
		return nil, fmt.Errorf("open whatsapp session: %w", err)
	}
	wl := newWALogger(log, "whatsmeow")
	container, err := sqlstore.New(ctx, "sqlite", dsn(path), wl.Sub("Database"))
	if err != nil {
		return nil, fmt.Errorf("open whatsapp session %s: %w", path, err)
	}
	device, err := container.GetFirstDevice(ctx)
	if err != nil {
		container.Close()
		return nil, fmt.Errorf("load whatsapp device from %s: %w", path, err)
	}
	return &Session{container: container, device: device, log: log, waLog: wl}, nil
}

func dsn(path string) string {
	q := url.Values{}
	// whatsmeow relies on ON DELETE CASCADE to drop a device's keys on logout.
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	// whatsmeow runs read-then-write transactions from several goroutines;
	// taking the write lock at BEGIN keeps WAL from failing the upgrade
	// with SQLITE_BUSY, which busy_timeout cannot wait out.
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// Paired reports whether a device is linked.
func (s *Session) Paired() bool { return s.device.ID != nil }

// ID is the linked device's JID, or "" when not paired.
func (s *Session) ID() string {
	if !s.Paired() {
		return ""
	}
	return s.device.ID.String()
}

// Number is the linked number's digits, or "" when not paired.
func (s *Session) Number() string {
	if s.device.ID == nil {
		return ""
	}
	return s.device.ID.User
}

// Close closes the session file.
func (s *Session) Close() error {
	if err := s.container.Close(); err != nil {
		return fmt.Errorf("close whatsapp session: %w", err)
	}
	return nil
}

// client returns a whatsmeow client on the session's device.
func (s *Session) client(module string) *whatsmeow.Client {
	return whatsmeow.NewClient(s.device, s.waLog.Sub(module))
}
