package store

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestGroupCommitKeepsEachWriterOnItsOwn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
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

// TestGroupCommitFailsWholeWhenAJobCannotBeUndone: a failed job whose
// savepoint is gone (it released it) cannot be rolled back alone, so the
// whole batch fails rather than commit its writes.
func TestGroupCommitFailsWholeWhenAJobCannotBeUndone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	queued := func(n int) {
		for {
			db.batch.mu.Lock()
			l := len(db.batch.queue)
			db.batch.mu.Unlock()
			if l == n {
				return
			}
			time.Sleep(time.Millisecond)
		}
	}
	hold, running := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { // holds the writer while the batch queues up
		_ = db.Write(ctx, func(*sql.Tx) error { close(running); <-hold; return nil })
	})
	<-running
	boom := errors.New("boom")
	var first, second error
	wg.Go(func() {
		first = db.Write(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO t (v) VALUES (1)`)
			return err
		})
	})
	queued(1)
	wg.Go(func() {
		second = db.Write(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO t (v) VALUES (2); RELEASE batch_item`); err != nil {
				return err
			}
			return boom
		})
	})
	queued(2)
	close(hold)
	wg.Wait()
	if !errors.Is(second, boom) || first == nil {
		t.Fatalf("first write: %v, second: %v; want both failed, the second with boom", first, second)
	}
	var n int
	if err := db.R.QueryRow(`SELECT count(*) FROM t`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d rows, %v; want none", n, err)
	}
}
