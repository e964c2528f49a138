package i18n

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/kopmem/kopbot/locales"
)

// TestLocales holds the real message files to the rules: every language has
// every message, every message is used by code or a flow, and every text
// renders with its placeholders in every language.
func TestLocales(t *testing.T) {
	t.Parallel()
	b, err := Load(locales.FS)
	if err != nil {
		t.Fatalf("Load(locales.FS): %v", err)
	}
	for lang, ids := range b.Missing() {
		t.Errorf("%s lacks %d messages: %v", lang, len(ids), ids)
	}
	if err := b.Check(); err != nil {
		t.Error(err)
	}
	unused, err := UnusedIDs(b.IDs(), repoRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(unused) > 0 {
		t.Errorf("%d messages no Go code or flow names: %v", len(unused), unused)
	}
}

// repoRoot walks up from the package folder to the one holding go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
}
