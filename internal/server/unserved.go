package server

import (
	"context"
	"database/sql"
	"log/slog"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/membership"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/privacy"
	"github.com/kopmem/kopbot/internal/store"
)

// unservedGrace is how long a message to a channel serve does not deliver
// may wait before it is given up: a terminal on the same database prints
// its own replies at once.
const unservedGrace = time.Minute

// whyUnserved is the /gagal line of a message no sender of this serve
// delivers (the terminal, or WhatsApp or Telegram switched off).
const whyUnserved = "kanal ini tidak dikirim oleh kopbot serve (channel not delivered)"

// giveUpUnserved fails what waits on a channel serve does not deliver, so
// it shows in /gagal instead of waiting for ever while an officer believes
// "the receipt was sent".
func giveUpUnserved(ctx context.Context, db *store.DB, served []channel.Name, now time.Time) error {
	n := int64(0)
	err := db.Write(ctx, func(tx *sql.Tx) error {
		var err error
		n, err = outbox.GiveUpUnserved(ctx, tx, served, now.Add(-unservedGrace), whyUnserved)
		return err
	})
	if n > 0 {
		slog.WarnContext(ctx, "messages on channels serve does not deliver given up; see /gagal", "count", n)
	}
	return err
}

// sweepUnserved runs giveUpUnserved every minute.
func sweepUnserved(ctx context.Context, db *store.DB, served []channel.Name, clk clock.Clock) {
	for {
		if err := giveUpUnserved(ctx, db, served, clk.Now()); err != nil && ctx.Err() == nil {
			slog.ErrorContext(ctx, "give up unserved messages", "err", err)
		}
		if clock.Sleep(ctx, unservedGrace) != nil {
			return
		}
	}
}

// retention empties message texts older than keep and deletes the
// statement files in statements written as long ago, and deletes the
// prospects not heard from in prospects, at start and then once a day
// (privacy.Prune, privacy.PruneFiles, membership.Prune).
func retention(ctx context.Context, db *store.DB, statements string, keep, prospects time.Duration, clk clock.Clock) {
	for {
		p, err := privacy.Prune(ctx, db, clk.Now().Add(-keep))
		switch {
		case err != nil && ctx.Err() == nil:
			slog.ErrorContext(ctx, "drop old message texts", "err", err)
		case p.Inbox+p.Outbox > 0:
			slog.InfoContext(ctx, "old message texts dropped", "inbound", p.Inbox, "outbound", p.Outbox)
		}
		files, err := privacy.PruneFiles(ctx, db, statements, clk.Now().Add(-keep))
		switch {
		case err != nil && ctx.Err() == nil:
			slog.ErrorContext(ctx, "delete old statement files", "err", err)
		case files > 0:
			slog.InfoContext(ctx, "old statement files deleted", "count", files)
		}
		var n int64
		err = db.Write(ctx, func(tx *sql.Tx) error {
			n, err = membership.Prune(ctx, tx, clk.Now().Add(-prospects))
			return err
		})
		switch {
		case err != nil && ctx.Err() == nil:
			slog.ErrorContext(ctx, "delete unregistered prospects", "err", err)
		case n > 0:
			slog.InfoContext(ctx, "unregistered prospects deleted", "count", n)
		}
		if clock.Sleep(ctx, 24*time.Hour) != nil {
			return
		}
	}
}
