package store

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"sync"
	"testing"
)

func TestGroupCommitKeepsEachWriterOnItsOwn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "b.db"), Options{}, testSchema())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	boom := errors.New("boom")
	var wg sync.WaitGroup
	errs := make([]error, 400)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.Write(ctx, func(tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, `INSERT INTO t (v) VALUES (?)`, i); err != nil {
					return err
				}
				if i%10 == 0 {
					return boom // its insert must vanish, the others stay
				}
				return nil
			})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if (i%10 == 0) != errors.Is(err, boom) {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	var n, bad int
	if err := db.R.QueryRow(`SELECT count(*), count(CASE WHEN v % 10 = 0 THEN 1 END) FROM t`).Scan(&n, &bad); err != nil {
		t.Fatal(err)
	}
	if n != 360 || bad != 0 {
		t.Fatalf("%d rows, %d of them from failed writes; want 360 and 0", n, bad)
	}
}

func TestGroupCommitPanicsInTheCaller(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "b.db"), Options{}, testSchema())
	if err != nil {
		t.Fatal(err)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic did not reach the caller")
			}
		}()
		_ = db.Write(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO t (v) VALUES (1)`); err != nil {
				return err
			}
			panic("bug")
		})
	}()
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO t (v) VALUES (2)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var sum int
	if err := db.R.QueryRow(`SELECT coalesce(sum(v), 0) FROM t`).Scan(&sum); err != nil || sum != 2 {
		t.Fatalf("sum %d, %v: want only the second write", sum, err)
	}
	db.Close()
	if err := db.Write(ctx, func(*sql.Tx) error { return nil }); !errors.Is(err, ErrClosed) {
		t.Fatalf("write after close: %v", err)
	}
}
