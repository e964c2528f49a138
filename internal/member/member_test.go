package member

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/kopmem/kopbot/internal/store/storetest"
)

func openDB(t testing.TB) *store.DB { return storetest.Open(t, Schema, outbox.Schema) }

func date(s string) time.Time {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestCreateAndFind(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	want := Member{Number: "A-001", Name: "Siti Aminah", Phone: "6281234567890", NIK: "3201234567890123", JoinedOn: date("2024-03-05")}
	created, err := Create(ctx, db.W, want)
	if err != nil {
		t.Fatal(err)
	}
	if created.ID == 0 || created.Lang != "id" {
		t.Fatalf("Create = %+v; want an id and the default language id", created)
	}
	want.ID, want.Lang = created.ID, "id"
	for name, find := range map[string]func() (Member, error){
		"ByPhone":  func() (Member, error) { return ByPhone(ctx, db.R, "6281234567890") },
		"ByNumber": func() (Member, error) { return ByNumber(ctx, db.R, "A-001") },
		"ByID":     func() (Member, error) { return ByID(ctx, db.R, created.ID) },
	} {
		got, err := find()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got != want {
			t.Errorf("%s = %+v; want %+v", name, got, want)
		}
	}
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	if _, err := ByPhone(ctx, db.R, "6281234567890"); !errors.Is(err, ErrNotFound) {
		t.Errorf("ByPhone of nobody: %v; want ErrNotFound", err)
	}
	if _, err := ByNumber(ctx, db.R, "A-404"); !errors.Is(err, ErrNotFound) {
		t.Errorf("ByNumber of nobody: %v; want ErrNotFound", err)
	}
	if _, err := ByID(ctx, db.R, 404); !errors.Is(err, ErrNotFound) {
		t.Errorf("ByID of nobody: %v; want ErrNotFound", err)
	}
}

func TestCreateRefusesDuplicates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	first := Member{Number: "A-001", Name: "Siti", Phone: "6281234567890", JoinedOn: date("2024-01-01")}
	if _, err := Create(ctx, db.W, first); err != nil {
		t.Fatal(err)
	}
	sameNumber := first
	sameNumber.Phone = "6281298765432"
	if _, err := Create(ctx, db.W, sameNumber); err == nil {
		t.Error("a second member with the same number was created")
	}
	samePhone := first
	samePhone.Number = "A-002"
	if _, err := Create(ctx, db.W, samePhone); err == nil {
		t.Error("a second member with the same phone was created")
	}
	var n int
	if err := db.R.QueryRowContext(ctx, `SELECT count(*) FROM members`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("members = %d, %v; want 1", n, err)
	}
}

func TestSetLanguage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	m, err := Create(ctx, db.W, Member{Number: "A-001", Name: "Siti", Phone: "6281234567890", JoinedOn: date("2024-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	if err := SetLanguage(ctx, db.W, m.ID, "en"); err != nil {
		t.Fatal(err)
	}
	got, err := ByID(ctx, db.R, m.ID)
	if err != nil || got.Lang != "en" {
		t.Fatalf("after SetLanguage(en): %+v, %v", got, err)
	}
}
