package store

import (
	"container/list"
	"context"
	"database/sql/driver"
	"errors"
	"fmt"

	"modernc.org/sqlite"
)

// stmtCacheSize bounds the prepared statements kept per connection: kopbot's
// SQL is a few hundred constant strings, of which a few dozen are hot; the
// batch readers' IN lists of varying length are the rest and get evicted.
const stmtCacheSize = 256

// The driver compiles every statement afresh on each Exec and Query: under
// load, SQLite's parser and code generator took over a third of the writer's
// time. connector hands out connections that keep each statement text
// compiled once (sqlite3_prepare_v2 recompiles by itself after a schema
// change), so domain code keeps writing plain tx.ExecContext with constant
// SQL and pays for parsing once per connection.
type connector struct {
	base driver.Connector
	conf connConf
}

// connConf tunes the connections a connector hands out.
type connConf struct {
	max int // statements kept per connection
	// uninterrupted: a statement, once started, is not interrupted when
	// its context ends (see cachingConn.watch).
	uninterrupted bool
}

func newConnector(dsn string, conf connConf) (driver.Connector, error) {
	base, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	return connector{base: base, conf: conf}, nil
}

func (c connector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.base.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return newCachingConn(conn, c.conf)
}

func (c connector) Driver() driver.Driver { return c.base.Driver() }

// baseConn is what the modernc connection offers and cachingConn passes on.
type baseConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// cachedDriverStmt is what a cached driver statement must offer.
type cachedDriverStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

// cachingConn is used by one goroutine at a time, as database/sql
// guarantees of a driver.Conn, so its cache needs no lock.
type cachingConn struct {
	baseConn
	connConf
	lru   *list.List // of *cached, most recently used first
	bySQL map[string]*list.Element
}

type cached struct {
	query string
	stmt  cachedDriverStmt
	// open is set while rows read from stmt: the same text asked for again
	// meanwhile (a query nested in another's loop) gets a statement of its
	// own, as resetting this one would end the outer rows.
	open bool
}

func newCachingConn(c driver.Conn, conf connConf) (driver.Conn, error) {
	b, ok := c.(baseConn)
	if !ok {
		return nil, errors.Join(fmt.Errorf("store: sqlite connection %T lacks a driver interface", c), c.Close())
	}
	return &cachingConn{baseConn: b, connConf: conf, lru: list.New(), bySQL: map[string]*list.Element{}}, nil
}

// stmt returns the cached statement for query, compiling it on first use,
// or nil when it is in use by open rows.
func (c *cachingConn) stmt(ctx context.Context, query string) (*cached, error) {
	if e, ok := c.bySQL[query]; ok {
		c.lru.MoveToFront(e)
		s := e.Value.(*cached)
		if s.open {
			return nil, nil
		}
		return s, nil
	}
	ds, err := c.baseConn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	st, ok := ds.(cachedDriverStmt)
	if !ok {
		return nil, errors.Join(fmt.Errorf("store: sqlite statement %T lacks a driver interface", ds), ds.Close())
	}
	s := &cached{query: query, stmt: st}
	c.bySQL[query] = c.lru.PushFront(s)
	c.evict()
	return s, nil
}

// evict closes the least recently used statements beyond max, sparing the
// one just used and those with open rows (closed with the connection).
func (c *cachingConn) evict() {
	for e := c.lru.Back(); e != c.lru.Front() && c.lru.Len() > c.max; {
		prev := e.Prev()
		if s := e.Value.(*cached); !s.open {
			c.lru.Remove(e)
			delete(c.bySQL, s.query)
			_ = s.stmt.Close() // a reset statement: closing only frees it
		}
		e = prev
	}
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	ctx, s, err := c.prepared(ctx, query)
	switch {
	case err != nil:
		return nil, err
	case s == nil:
		return c.baseConn.ExecContext(ctx, query, args)
	}
	return s.stmt.ExecContext(ctx, args)
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	ctx, s, err := c.prepared(ctx, query)
	switch {
	case err != nil:
		return nil, err
	case s == nil:
		return c.baseConn.QueryContext(ctx, query, args)
	}
	rows, err := s.stmt.QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	s.open = true
	return &cachedRows{Rows: rows, s: s}, nil
}

// prepared is the context to run query under and its cached statement
// (nil: run it uncached, its statement is in use).
func (c *cachingConn) prepared(ctx context.Context, query string) (context.Context, *cached, error) {
	ctx, err := c.watch(ctx)
	if err != nil {
		return nil, nil, err
	}
	s, err := c.stmt(ctx, query)
	return ctx, s, err
}

// watch is the context a statement runs under. With uninterrupted set, a
// statement that has started runs to its end: the driver otherwise starts
// a goroutine per statement to interrupt it when ctx ends, which cost the
// writer a tenth of its time, for statements that take microseconds
// inside a transaction that a whole batch of callers share.
func (c *cachingConn) watch(ctx context.Context) (context.Context, error) {
	if !c.uninterrupted {
		return ctx, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return context.WithoutCancel(ctx), nil
}

func (c *cachingConn) Close() error {
	var errs []error
	for e := c.lru.Front(); e != nil; e = e.Next() {
		errs = append(errs, e.Value.(*cached).stmt.Close())
	}
	c.lru.Init()
	clear(c.bySQL)
	return errors.Join(append(errs, c.baseConn.Close())...)
}

// cachedRows frees its statement for the next caller when closed.
// database/sql reads column types through the optional Rows interfaces only
// for ColumnTypes, which kopbot does not use.
type cachedRows struct {
	driver.Rows
	s *cached
}

func (r *cachedRows) Close() error {
	r.s.open = false
	return r.Rows.Close()
}
