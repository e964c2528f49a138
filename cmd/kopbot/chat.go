package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/channel/console"
	"github.com/kopmem/kopbot/internal/demo"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/phone"
)

func runChat(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs, db := flags("chat")
	as := fs.String("as", "", "the member's phone number, e.g. 6281234567890 or 0812-3456-7890")
	if _, err := parseInterspersed(fs, args); err != nil {
		return exitError{2}
	}
	if *as == "" {
		return errors.New("usage: kopbot chat --db F --as PHONE")
	}
	p, err := phone.Normalize(*as)
	if err != nil {
		return fmt.Errorf("--as: %w", err)
	}
	a, err := app.Open(ctx, *db, app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	return chat(ctx, a, p, stdin, stdout)
}

func runDemo(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("kopbot demo", flag.ContinueOnError)
	db := fs.String("db", "", "keep the demo cooperative in this file (default: a temporary one, removed at exit)")
	as := fs.String("as", demo.Phone, "chat as the member with this phone number")
	if _, err := parseInterspersed(fs, args); err != nil {
		return exitError{2}
	}
	path := *db
	if path == "" {
		dir, err := os.MkdirTemp("", "kopbot-demo-")
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "kopbot-demo.db")
	}
	p, err := phone.Normalize(*as)
	if err != nil {
		return fmt.Errorf("--as: %w", err)
	}
	a, err := app.Open(ctx, path, app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	if _, err := demo.Seed(ctx, a.DB, demo.Small, a.Clock.Now()); err != nil {
		return err
	}
	fmt.Fprintln(stdout, a.Msgs.T("id", "demo.banner", map[string]any{"Phone": p}))
	fmt.Fprintln(stdout)
	return chat(ctx, a, p, stdin, stdout)
}

// chat runs a member seat in the terminal: each line goes through the same
// router as WhatsApp, and the replies it queued are printed before the next
// line is read.
func chat(ctx context.Context, a *app.App, p string, stdin io.Reader, stdout io.Writer) error {
	tty := isTerminal(stdin) && isTerminal(stdout)
	opts := console.Options{Phone: p, Chat: p, Color: tty, Now: a.Clock.Now}
	if tty {
		opts.Prompt = "> "
	}
	con := console.New(stdin, stdout, opts)
	filter := outbox.Filter{Channel: channel.Console, Chat: p, Limit: 100}
	return con.Run(ctx, func(ctx context.Context, m channel.Message) error {
		if err := a.Router.Handle(ctx, m); err != nil {
			// The router has queued an apology; the seat stays open.
			slog.WarnContext(ctx, "message not handled", "err", err)
		}
		if _, err := outbox.Deliver(ctx, a.DB, filter, con, a.Clock.Now); err != nil {
			return err
		}
		return nil
	})
}

func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	if !ok {
		return false
	}
	info, err := file.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
