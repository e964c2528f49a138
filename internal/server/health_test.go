package server

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/store/storetest"
)

// A database file deleted under a running kopbot still answers queries
// from the open file, but nothing written to it is kept: /healthz says so.
func TestHealthUnhealthyWhenTheDatabaseIsGone(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	check := func(want int, body string) {
		t.Helper()
		rec := httptest.NewRecorder()
		health{db: db}.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		if rec.Code != want || !strings.Contains(rec.Body.String(), body) {
			t.Fatalf("healthz: %d %s, want %d with %q", rec.Code, rec.Body, want, body)
		}
	}
	check(http.StatusOK, `"db":"ok"`)
	if err := os.Rename(db.Path(), filepath.Join(filepath.Dir(db.Path()), "moved.db")); err != nil {
		t.Fatal(err)
	}
	check(http.StatusServiceUnavailable, "deleted or replaced")
}

// /healthz tells how much waits to go, by lane, and how many days of bulk
// capacity the waiting bulk needs.
func TestHealthReportsTheBacklog(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t, outbox.Schema)
	ctx := context.Background()
	err := db.Write(ctx, func(tx *sql.Tx) error {
		for i := range 3000 {
			it := outbox.Item{Reply: channel.Reply{Channel: channel.WhatsApp, Chat: fmt.Sprint(i), Text: "pengingat"}, Lane: channel.Bulk}
			if _, err := outbox.Enqueue(ctx, tx, it, time.Now()); err != nil {
				return err
			}
		}
		_, err := outbox.Enqueue(ctx, tx, outbox.Item{Reply: channel.Reply{Channel: channel.WhatsApp, Chat: "1", Text: "saldo"},
			Lane: channel.Interactive}, time.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	caps := newCapacity(12 * time.Hour)
	caps.add(channel.WhatsApp, func(time.Time) int { return 1200 })
	health{db: db, caps: caps, now: time.Now}.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	want := `"delivery":{"whatsapp":{"interactive":1,"notice":0,"bulk":3000,"bulk_per_day":1200,"bulk_days":2.5}}`
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), want) {
		t.Fatalf("healthz: %d %s, want %s", rec.Code, rec.Body, want)
	}
}
