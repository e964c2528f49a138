package reminder

import (
	"context"
	"database/sql"
	"testing"
	"time"
)

func TestOptOutHistory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	b := newBorrower(t, db, 1, at(time.November, 7, 10, 0))
	steps := []struct {
		name string
		do   func(q *sql.Tx) error
		want bool
	}{
		{"a new member gets reminders", func(*sql.Tx) error { return nil }, false},
		{"MULAI without STOP changes nothing", func(q *sql.Tx) error { return OptIn(ctx, q, b.ID, time.Now()) }, false},
		{"STOP", func(q *sql.Tx) error { return OptOut(ctx, q, b.ID, time.Now()) }, true},
		{"BERHENTI again", func(q *sql.Tx) error { return OptOut(ctx, q, b.ID, time.Now()) }, true},
		{"MULAI", func(q *sql.Tx) error { return OptIn(ctx, q, b.ID, time.Now()) }, false},
	}
	for _, s := range steps {
		write(t, db, s.do)
		got, err := OptedOut(ctx, db.R, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got != s.want {
			t.Fatalf("%s: opted out %v, want %v", s.name, got, s.want)
		}
	}
	var rows int
	if err := db.R.QueryRow(`SELECT count(*) FROM reminder_optouts WHERE member_id = ?`, b.ID).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 2 {
		t.Errorf("%d history rows, want 2: one per change of mind", rows)
	}
	if _, err := db.W.Exec(`DELETE FROM reminder_optouts`); err == nil {
		t.Error("history could be deleted")
	}
}
