package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel/whatsapp"
	"github.com/kopmem/kopbot/internal/redact"
	"github.com/kopmem/kopbot/internal/server"
)

func runServe(ctx context.Context, args []string) error {
	fs, data := flags("serve")
	if _, err := parseInterspersed(fs, args); err != nil {
		return exitError{2}
	}
	cfg, err := data.load()
	if err != nil {
		return err
	}
	if err := mustExist(cfg.DB); err != nil {
		return err
	}
	slog.SetDefault(slog.New(redact.Handler(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))))
	return server.Run(ctx, cfg, server.Options{App: app.OptionsFrom(cfg)})
}

func runWhatsApp(ctx context.Context, args []string, stdout io.Writer) error {
	fs, data := flags("whatsapp")
	number := fs.String("phone", "", "pair by a code typed on the phone instead of a QR code: the cooperative's number, 62…")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return exitError{2}
	}
	if len(pos) != 1 || (pos[0] != "link" && pos[0] != "unlink") {
		return fmt.Errorf("usage: kopbot whatsapp link [--phone 62…] | kopbot whatsapp unlink")
	}
	cfg, err := data.load()
	if err != nil {
		return err
	}
	sess, err := whatsapp.Open(ctx, cfg.WhatsApp.Session, slog.Default())
	if err != nil {
		return err
	}
	defer sess.Close()
	if pos[0] == "unlink" {
		if err := sess.Unlink(ctx); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "WhatsApp unlinked.")
		return nil
	}
	if err := sess.Link(ctx, stdout, *number); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "WhatsApp linked as %s. Start kopbot with `kopbot serve`.\n", sess.ID())
	return nil
}
