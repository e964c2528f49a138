// Package store opens kopbot's SQLite database: one writer connection that
// takes the write lock up front, a pool of readers, and the migrations each
// domain package embeds for its own tables.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"runtime"
	"time"

	"modernc.org/sqlite" // also registers the pure-Go "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

// Commits sync with fdatasync, as every Linux build of SQLite does: same
// durability (the data and the size needed to read it back), without the
// timestamp write fsync forces through the file system journal. The
// transpiled driver defaults to fsync only because it skips SQLite's
// configure check. Where fdatasync is unavailable, fsync stays.
func init() {
	_, _ = sqlite.Fdatasync(true)
}

// Queryer is what domain code needs to read and write: both *sql.Tx and
// *sql.DB satisfy it, so a domain function can run inside the caller's
// transaction (a ledger posting and the outbox row it causes commit together).
type Queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// DB holds the two halves of one SQLite file.
type DB struct {
	// W is the only connection that writes. BEGIN IMMEDIATE (via _txlock)
	// takes the write lock at the start of a transaction, so two writers never
	// deadlock upgrading a read lock, and SQLITE_BUSY cannot surface mid-way.
	W *sql.DB
	// R is a pool of read-only connections; WAL lets them read while W writes.
	R *sql.DB

	path string
	// file is the database file opened, to notice it being replaced.
	file       identity
	busy       time.Duration
	batch      *batcher
	checkpoint *checkpointer
}

// Options tune Open; the zero value is what production uses.
type Options struct {
	// Readers is the size of the reader pool; 0 means one per CPU, at least 2.
	Readers int
	// BusyTimeout is how long SQLite itself waits for another process's
	// write lock before a write checks the lock note and waits again (see
	// begin); 0 means 10 s.
	BusyTimeout time.Duration
}

const defaultBusy = 10 * time.Second

func dsn(path string, readOnly bool, busy time.Duration) string {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	// Money is at stake: FULL makes every commit durable across power loss.
	q.Add("_pragma", "synchronous(FULL)")
	// 32 MB of pages per connection instead of SQLite's 2 MB: members,
	// their accounts and recent postings stay in memory, which measured
	// about 10% more messages/s under load for a few dozen MB in all.
	q.Add("_pragma", "cache_size(-32000)")
	q.Add("_time_format", "sqlite")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
		q.Add("_pragma", fmt.Sprintf("wal_autocheckpoint(%d)", writerCheckpointPages))
	}
	return "file:" + path + "?" + q.Encode()
}

// Open opens (creating if needed, private to kopbot's account) the database
// at path and applies the migrations of every given schema, in order.
func Open(ctx context.Context, path string, opts Options, schemas ...Schema) (*DB, error) {
	if err := CreatePrivate(path); err != nil {
		return nil, err
	}
	template, filled, err := fromTemplate(path, schemas)
	if err != nil {
		return nil, err
	}
	file, err := identify(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	busy := opts.BusyTimeout
	if busy <= 0 {
		busy = defaultBusy
	}
	wc, err := newConnector(dsn(path, false, busy), connConf{max: stmtCacheSize, uninterrupted: true})
	if err != nil {
		return nil, fmt.Errorf("open writer %s: %w", path, err)
	}
	w := sql.OpenDB(wc)
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open writer %s: %w", path, err)
	}
	db := &DB{W: w, path: path, file: file, busy: busy}
	if err := db.migrate(ctx, schemas); err != nil {
		w.Close()
		return nil, err
	}
	if template != "" && !filled {
		if err := db.keepTemplate(ctx, template); err != nil {
			w.Close()
			return nil, err
		}
	}
	rc, err := newConnector(dsn(path, true, busy), connConf{max: stmtCacheSize})
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open readers %s: %w", path, err)
	}
	r := sql.OpenDB(rc)
	n := opts.Readers
	if n <= 0 {
		n = max(runtime.NumCPU(), 2)
	}
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	r.SetConnMaxLifetime(0)
	db.R = r
	if db.checkpoint, err = startCheckpointer(path, busy); err != nil {
		return nil, errors.Join(err, r.Close(), w.Close())
	}
	db.batch = newBatcher(db, maxBatch)
	return db, nil
}

// Path is the file the database lives in.
func (db *DB) Path() string { return db.path }

// Close waits for the writes in hand to commit, then closes every connection.
func (db *DB) Close() error {
	db.batch.close()
	// The writer closes last: the last connection to close checkpoints
	// what is left and removes the WAL.
	return errors.Join(db.checkpoint.close(), db.R.Close(), db.W.Close())
}

// Write runs fn in the database's next write transaction and returns once
// that transaction is committed (nil) or fn's changes are rolled back (fn's
// error; a panic in fn is raised again here). Writes from many goroutines
// share one transaction and one fsync (group commit), each fn in its own
// savepoint, so money is never half-written and "nil" always means durable.
func (db *DB) Write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return db.batch.Write(ctx, fn)
}

// writeTx runs fn in one immediate write transaction: committed when fn
// returns nil, rolled back otherwise (and on panic).
func (db *DB) writeTx(ctx context.Context, fn func(tx *sql.Tx) error) (err error) {
	// A stat per transaction, shared by a whole group commit: cheap next to
	// the fsync, and a deposit confirmed into a deleted file is money lost.
	if err := db.Same(); err != nil {
		return err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return fmt.Errorf("begin write: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// begin takes the write lock. Another process may hold it far longer than
// busy_timeout (an import of a million members takes minutes, in one
// transaction so that it is all or nothing), so a busy database is waited
// for as long as ctx allows, not failed: the write queues behind the
// other. The wait is logged once, naming the holder when it left a lock
// note.
func (db *DB) begin(ctx context.Context) (*sql.Tx, error) {
	start := time.Now()
	for logged := false; ; logged = true {
		tx, err := db.W.BeginTx(ctx, nil)
		if err == nil || !busy(err) || ctx.Err() != nil {
			if err == nil && logged {
				slog.InfoContext(ctx, "database free again; writing", "db", db.path, "waited", time.Since(start).Round(time.Second))
			}
			return tx, err
		}
		if !logged {
			slog.WarnContext(ctx, "database busy: another process is writing; waiting for it to finish",
				"db", db.path, "holder", lockNote(db.path), "waited", db.busy)
		}
	}
}

// busy reports SQLite's SQLITE_BUSY (with any extended code).
func busy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

// Read runs fn in a read transaction on the reader pool: one consistent
// snapshot for everything fn reads.
func (db *DB) Read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.R.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only: nothing to lose
	return fn(tx)
}

// StampLayout writes instants in UTC with a fixed width, so stamps stored
// as TEXT sort in time order (RFC 3339 with nanoseconds drops trailing
// zeros, and "…:05.5Z" would sort after "…:05.25Z"'s successor).
const StampLayout = "2006-01-02T15:04:05.000000000Z"

// Stamp formats t for storage.
func Stamp(t time.Time) string { return t.UTC().Format(StampLayout) }

// OneRow checks that an UPDATE guarded by a row's state changed exactly
// that row: none means the state moved meanwhile (another press won).
func OneRow(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != 1 {
		return fmt.Errorf("%d rows changed, want 1", n)
	}
	return nil
}
