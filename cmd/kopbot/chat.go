package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/channel/console"
	"github.com/kopmem/kopbot/internal/demo"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/phone"
)

func runChat(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs, data := flags("chat")
	as := fs.String("as", "", "the member's phone number, e.g. 6281234567890 or 0812-3456-7890")
	officerID := fs.String("officer", "", "an officer's id from the config (their Telegram user id)")
	if _, err := parseInterspersed(fs, args); err != nil {
		return exitError{2}
	}
	if (*as == "") == (*officerID == "") {
		return errors.New("usage: kopbot chat --db F --as PHONE, or kopbot chat --db F --officer ID")
	}
	a, _, err := data.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	s := seats{officer: *officerID, session: rand.Text()[:8]}
	if *as != "" {
		if s.member, err = phone.Normalize(*as); err != nil {
			return fmt.Errorf("--as: %w", err)
		}
	}
	return s.run(ctx, a, stdin, stdout)
}

func runDemo(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs, data := flags("demo")
	as := fs.String("as", demo.Phone, "chat as the member with this phone number")
	if _, err := parseInterspersed(fs, args); err != nil {
		return exitError{2}
	}
	cfg, err := data.load()
	if err != nil {
		return err
	}
	if *data.db == "" {
		// A newcomer's demo leaves nothing behind; --db keeps it.
		dir, err := os.MkdirTemp("", "kopbot-demo-")
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		defer os.RemoveAll(dir)
		cfg.DB = filepath.Join(dir, "kopbot-demo.db")
	}
	if len(cfg.Officers) == 0 {
		cfg.Officers = demo.Officers
	}
	p, err := phone.Normalize(*as)
	if err != nil {
		return fmt.Errorf("--as: %w", err)
	}
	if err := demo.CheckDemo(ctx, cfg.DB); err != nil {
		return fmt.Errorf("%w: kopbot demo hanya memakai database demo (file baru, atau yang dibuat kopbot demo); "+
			"untuk database koperasi pakai kopbot chat", err)
	}
	l, err := lock(cfg, "kopbot demo")
	if err != nil {
		return err
	}
	defer l.Release()
	opts := app.OptionsFrom(cfg)
	opts.TerminalReach = true // the demo's member lives in the terminal
	a, err := app.Open(ctx, cfg.DB, opts)
	if err != nil {
		return err
	}
	defer a.Close()
	if _, err := demo.Seed(ctx, a.DB, demo.Small, a.Clock.Now()); err != nil {
		return err
	}
	s := seats{member: p, officer: strconv.FormatInt(demo.Officers[len(demo.Officers)-1].TelegramID, 10), switchable: true}
	fmt.Fprintln(stdout, a.Msgs.T("id", "demo.banner", map[string]any{"Phone": p, "Officer": s.officer}))
	fmt.Fprintln(stdout)
	return s.run(ctx, a, stdin, stdout)
}

// seats is who types in the terminal: a member, an officer, or in the demo
// both, lines starting with "/" being the officer's commands.
type seats struct {
	member  string // the member's phone, or ""
	officer string // the officer's id, or ""
	// switchable lets ":petugas ID" change which officer types (the demo's
	// second officer approves above the maker-checker threshold).
	switchable bool
	// session tells this terminal from another one open on the same
	// database, so neither prints nor marks as sent the other's replies.
	session string
}

// officerChat is the chat the officer's lines come from and their replies
// go to: in the demo the officers' seat, which shows everything; otherwise
// one of this terminal's own.
func (s seats) officerChat() string {
	if s.switchable {
		return app.OfficerSeat
	}
	return app.OfficerSeat + ":" + s.officer + ":" + s.session
}

// dress makes a line typed in the terminal the message of whoever typed it.
func (s seats) dress(m channel.Message) channel.Message {
	if s.officer != "" && (s.member == "" || strings.HasPrefix(strings.TrimSpace(m.Text), "/")) {
		m.Chat, m.From, m.Phone = s.officerChat(), s.officer, ""
	}
	return m
}

// run reads lines and passes each through the same router as WhatsApp and
// Telegram; what the line caused is printed before the next one is read.
func (s seats) run(ctx context.Context, a *app.App, stdin io.Reader, stdout io.Writer) error {
	tty := isTerminal(stdin) && isTerminal(stdout)
	home := s.member
	if home == "" {
		home = s.officerChat()
	}
	opts := console.Options{Phone: s.member, Chat: home, Color: tty, Now: a.Clock.Now}
	if tty {
		opts.Prompt = "> "
	}
	con := console.New(stdin, stdout, opts)
	a.Router.SendDirectly(channel.Console, con)
	// The demo shows everything the terminal's seats receive; a single seat
	// only its own chat, so a shared database's other seats stay queued.
	filter := outbox.Filter{Channel: channel.Console, Limit: 100}
	if !s.switchable {
		filter.Chat = home
	}
	return con.Run(ctx, func(ctx context.Context, m channel.Message) error {
		if id, ok := strings.CutPrefix(strings.TrimSpace(m.Text), ":petugas "); ok && s.switchable {
			s.officer = strings.TrimSpace(id)
			_, err := fmt.Fprintf(stdout, "(%s)\n\n", a.Msgs.T("id", "demo.officer_switched", map[string]any{"Officer": s.officer}))
			return err
		}
		if err := a.Router.Handle(ctx, s.dress(m)); err != nil {
			// The router has queued an apology; the seat stays open.
			slog.WarnContext(ctx, "message not handled", "err", err)
		}
		_, err := outbox.Deliver(ctx, a.DB, filter, con, a.Clock.Now)
		return err
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
