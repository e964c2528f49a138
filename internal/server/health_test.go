package server

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
