package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
)

// ErrClosed is returned by a write to a closed database.
var ErrClosed = errors.New("store: database closed")

// maxBatch bounds a group commit: enough to share an fsync among every
// writer waiting, small enough that the first in a batch does not wait long.
const maxBatch = 32

// batcher commits many callers' writes in one transaction (group commit).
// The first caller to find the writer idle leads: it runs its write at once,
// in its own goroutine, so a lone writer pays nothing. Callers arriving
// while a transaction runs queue up; when it commits, the first of them
// leads the next transaction with all the others, each in a SAVEPOINT of
// its own. A caller whose function fails has only its savepoint rolled
// back. Everyone waits for the commit, so "Write returned nil" still means
// "durable", and the fsync, which bounds throughput, is shared by the batch.
type batcher struct {
	db  *DB
	max int

	mu     sync.Mutex
	idle   sync.Cond // signalled when busy turns false
	busy   bool
	closed bool
	queue  []*job
}

type job struct {
	ctx  context.Context
	fn   func(tx *sql.Tx) error
	done chan result   // the job's outcome
	lead chan struct{} // the job is to lead the next batch
}

type result struct {
	err   error
	panic any
	// broken is set when a failed job's changes could not be rolled back:
	// the whole batch must then be, rather than commit them.
	broken error
}

func newBatcher(db *DB, max int) *batcher {
	b := &batcher{db: db, max: max}
	b.idle.L = &b.mu
	return b
}

// Write runs fn in the next batch and returns once that batch is committed
// (nil) or fn's changes are rolled back (fn's error). A panic in fn is
// raised again here, in the caller.
func (b *batcher) Write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	j := &job{ctx: ctx, fn: fn, done: make(chan result, 1), lead: make(chan struct{}, 1)}
	b.mu.Lock()
	switch {
	case b.closed:
		b.mu.Unlock()
		return ErrClosed
	case !b.busy:
		b.busy = true
		b.mu.Unlock()
		b.leadWith(j)
	default:
		b.queue = append(b.queue, j)
		b.mu.Unlock()
		select {
		case r := <-j.done:
			return r.raise()
		case <-j.lead:
			b.leadWith(j)
		}
	}
	return (<-j.done).raise()
}

func (r result) raise() error {
	if r.panic != nil {
		panic(r.panic)
	}
	return r.err
}

// leadWith commits a batch of j and those queued, then hands the lead to the
// first still waiting, or leaves the writer idle.
func (b *batcher) leadWith(j *job) {
	b.mu.Lock()
	n := min(len(b.queue), b.max-1)
	batch := append([]*job{j}, b.queue[:n]...)
	b.queue = b.queue[n:]
	b.mu.Unlock()

	b.commit(batch)

	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.queue) == 0 {
		b.busy = false
		b.idle.Broadcast()
		return
	}
	next := b.queue[0]
	b.queue = b.queue[1:]
	next.lead <- struct{}{}
}

// close stops taking writes; it returns once the last batch is committed.
func (b *batcher) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	for b.busy {
		b.idle.Wait()
	}
}

// commit runs one batch. The transaction is not any one caller's, so it
// does not end with a caller's context; each function gets its own.
func (b *batcher) commit(batch []*job) {
	if len(batch) == 1 {
		// Alone, the transaction is the caller's: no savepoint to pay for.
		batch[0].done <- b.alone(batch[0])
		return
	}
	results := make([]result, len(batch))
	err := b.db.writeTx(context.Background(), func(tx *sql.Tx) error {
		for i, j := range batch {
			if results[i] = b.one(tx, j); results[i].broken != nil {
				return results[i].broken
			}
		}
		return nil
	})
	for i, j := range batch {
		if err != nil && results[i].panic == nil && results[i].err == nil {
			results[i].err = fmt.Errorf("group commit: %w", err)
		}
		j.done <- results[i]
	}
}

// alone runs a batch of one as a plain transaction of its own.
func (b *batcher) alone(j *job) (r result) {
	if err := j.ctx.Err(); err != nil {
		return result{err: err}
	}
	defer func() {
		if p := recover(); p != nil {
			r = result{panic: p} // writeTx rolled back before panicking on
		}
	}()
	return result{err: b.db.writeTx(j.ctx, j.fn)}
}

// one runs a job of a larger batch in a savepoint of the shared transaction.
func (b *batcher) one(tx *sql.Tx, j *job) (r result) {
	if err := j.ctx.Err(); err != nil {
		return result{err: err}
	}
	if _, err := tx.ExecContext(j.ctx, `SAVEPOINT batch_item`); err != nil {
		return result{err: fmt.Errorf("savepoint: %w", err)}
	}
	defer func() {
		if p := recover(); p != nil {
			r = result{panic: p}
		}
		stmt := `RELEASE batch_item`
		if r.err != nil || r.panic != nil {
			stmt = `ROLLBACK TO batch_item; RELEASE batch_item`
		}
		// Background: a caller that gave up must still leave the
		// transaction clean for the others in the batch.
		if _, err := tx.ExecContext(context.Background(), stmt); err != nil {
			r.broken = fmt.Errorf("end savepoint: %w", err)
		}
	}()
	return result{err: j.fn(tx)}
}
