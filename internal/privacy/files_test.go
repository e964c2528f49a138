package privacy

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/store/storetest"
)

// Statement files older than the retention period are deleted, unless a
// message still waiting to go carries one; recent ones stay.
func TestPruneFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t, outbox.Schema)
	dir := filepath.Join(t.TempDir(), "statements")
	now := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	files := map[string]time.Time{"ab/old.xlsx": now.Add(-31 * 24 * time.Hour), "cd/waiting.xlsx": now.Add(-40 * 24 * time.Hour),
		"ab/recent.xlsx": now.Add(-time.Hour)}
	for name, at := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(name), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, at, at); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := outbox.Enqueue(ctx, tx, outbox.Item{Reply: channel.Reply{Channel: channel.WhatsApp, Chat: "c", Text: "Mutasi",
			Attachment: &channel.Attachment{Kind: channel.Document, Path: filepath.Join(dir, "cd/waiting.xlsx")}}}, now)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	n, err := PruneFiles(ctx, db, dir, now.Add(-30*24*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("PruneFiles = %d, %v; want 1 deleted", n, err)
	}
	for name, want := range map[string]bool{"ab/old.xlsx": false, "cd/waiting.xlsx": true, "ab/recent.xlsx": true} {
		if _, err := os.Stat(filepath.Join(dir, name)); (err == nil) != want {
			t.Errorf("%s kept = %v, want %v", name, err == nil, want)
		}
	}
	if n, err := PruneFiles(ctx, db, filepath.Join(t.TempDir(), "none"), now); err != nil || n != 0 {
		t.Errorf("a missing folder: %d, %v; want nothing", n, err)
	}
}
