package member

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestParseTag(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"H12", 12, true}, {"#H12", 12, true}, {"h7", 7, true}, {"12", 12, true},
		{"H0", 0, false}, {"H-1", 0, false}, {"HH1", 0, false}, {"PJ-1", 0, false}, {"", 0, false},
	} {
		got, ok := ParseTag(tc.in)
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("ParseTag(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestHandoffLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	now := time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC)
	siti, err := Create(ctx, db.W, Member{Number: "A-1", Name: "Siti", Phone: "6281234567890", JoinedOn: date("2024-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenHandoffOf(ctx, db.R, siti.ID); !errors.Is(err, ErrNoHandoff) {
		t.Fatalf("OpenHandoffOf before any: %v; want ErrNoHandoff", err)
	}
	h, err := StartHandoff(ctx, db.W, siti.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	if h.Tag() != "H1" || !h.Open() || !h.OpenedAt.Equal(now) || !h.LastAt.Equal(now) {
		t.Fatalf("StartHandoff = %+v", h)
	}
	again, err := StartHandoff(ctx, db.W, siti.ID, now.Add(time.Hour))
	if err != nil || again != h {
		t.Fatalf("StartHandoff while open = %+v, %v; want the same %+v", again, err, h)
	}
	later := now.Add(2 * time.Hour)
	if err := TouchHandoff(ctx, db.W, h.ID, later); err != nil {
		t.Fatal(err)
	}
	if got, err := OpenHandoffOf(ctx, db.R, siti.ID); err != nil || !got.LastAt.Equal(later) {
		t.Fatalf("after touch: %+v, %v; want last_at %v", got, err, later)
	}
	if err := CloseHandoff(ctx, db.W, h.ID, "1001", later); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		err  error
		want error
	}{
		{"closing twice", CloseHandoff(ctx, db.W, h.ID, ClosedByMember, later), ErrHandoffClosed},
		{"closing none", CloseHandoff(ctx, db.W, 404, ClosedByMember, later), ErrNoHandoff},
		{"open after closing", func() error { _, err := OpenHandoffOf(ctx, db.R, siti.ID); return err }(), ErrNoHandoff},
		{"by id of none", func() error { _, err := HandoffByID(ctx, db.R, 404); return err }(), ErrNoHandoff},
	} {
		if !errors.Is(tc.err, tc.want) {
			t.Errorf("%s: %v; want %v", tc.name, tc.err, tc.want)
		}
	}
	closed, err := HandoffByID(ctx, db.R, h.ID)
	if err != nil || closed.Open() || closed.ClosedBy != "1001" {
		t.Fatalf("closed handoff = %+v, %v", closed, err)
	}
	if open, err := OpenHandoffs(ctx, db.R); err != nil || len(open) != 0 {
		t.Fatalf("OpenHandoffs = %+v, %v; want none", open, err)
	}
	next, err := StartHandoff(ctx, db.W, siti.ID, later)
	if err != nil || next.ID == h.ID {
		t.Fatalf("StartHandoff after closing = %+v, %v; want a new one", next, err)
	}
}
