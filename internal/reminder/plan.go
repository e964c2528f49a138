package reminder

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/store"
)

// batchSize is how many reminders one write transaction queues: large
// enough that commits do not dominate, small enough that the planner holds
// a few hundred messages in memory whatever the number of loans, and the
// writer is free often for members' own messages.
const batchSize = 500

// Planner queues reminders when they are due.
type Planner struct {
	db   *store.DB
	msgs Localizer
	clk  clock.Clock
	cfg  Config
}

// NewPlanner checks cfg and returns a planner over db.
func NewPlanner(db *store.DB, msgs Localizer, clk clock.Clock, cfg Config) (*Planner, error) {
	if db == nil || msgs == nil || clk == nil {
		return nil, errors.New("reminder: NewPlanner needs a store, messages and a clock")
	}
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("reminder: %w: %w", ErrConfig, err)
	}
	cfg.OffsetsInstallment = slices.Clone(cfg.OffsetsInstallment)
	cfg.OffsetsWajib = slices.Clone(cfg.OffsetsWajib)
	cfg.Days = slices.Clone(cfg.Days)
	return &Planner{db: db, msgs: msgs, clk: clk, cfg: cfg}, nil
}

// Result is what one Plan did.
type Result struct {
	// Queued counts the messages newly written to the outbox.
	Queued int
}

// Plan queues what is due now, each message once ever. Outside the sending
// window it does nothing: what falls due then is picked up by the first run
// inside the next window. Installments stream from the database and are
// queued batchSize per transaction, so memory does not grow with loans.
func (p *Planner) Plan(ctx context.Context) (Result, error) {
	now := p.clk.Now()
	if !p.cfg.open(now) {
		return Result{}, nil
	}
	day := p.cfg.today(now)
	var res Result
	batch := make([]outbox.Item, 0, batchSize)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := p.db.Write(ctx, func(tx *sql.Tx) error {
			q := newPrepared(tx)
			for _, it := range batch {
				queued, err := outbox.Enqueue(ctx, q, it, now)
				if err != nil {
					return err
				}
				if queued {
					res.Queued++
				}
			}
			return nil
		})
		batch = batch[:0]
		if err != nil {
			return fmt.Errorf("queue reminders: %w", err)
		}
		return nil
	}
	err := p.db.Read(ctx, func(tx *sql.Tx) error {
		q := newPrepared(tx)
		return p.each(ctx, q, day, notQueued(q), func(pl Planned) error {
			batch = append(batch, pl.item())
			if len(batch) < batchSize {
				return nil
			}
			return flush()
		})
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return res, fmt.Errorf("plan reminders of %s: %w", day.Format(time.DateOnly), err)
	}
	if res.Queued > 0 {
		slog.InfoContext(ctx, "reminders queued", "day", day.Format(time.DateOnly), "queued", res.Queued)
	}
	return res, nil
}

// notQueued is Plan's fresh: a key is to be queued when the outbox has no
// row with it yet.
func notQueued(q store.Queryer) fresh {
	return func(ctx context.Context, key string) (bool, error) {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE key = ?`, key).Scan(&n); err != nil {
			return false, fmt.Errorf("reminder %s queued?: %w", key, err)
		}
		return n == 0, nil
	}
}

// Preview lists what Plan would queue on the day on (a calendar day, read in its
// own zone) at the window's start, were nothing queued yet: the officers'
// "kopbot reminders preview --date".
func (p *Planner) Preview(ctx context.Context, q store.Queryer, on time.Time) ([]Planned, error) {
	day := date(on)
	if !p.cfg.open(p.cfg.at(day, p.cfg.WindowStart)) {
		return nil, nil
	}
	var out []Planned
	if err := p.each(ctx, q, day, always, func(pl Planned) error {
		out = append(out, pl)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("preview reminders of %s: %w", day.Format(time.DateOnly), err)
	}
	return out, nil
}
