package main

import (
	"context"
	"flag"
	"os"
	"strconv"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/config"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/officer"
)

// officerSeat is the terminal chat officers type in, and where the
// announcements go when no Telegram group is configured.
const officerSeat = "petugas"

// dataFlags adds the --config and --db flags every command that touches
// data shares.
type dataFlags struct {
	config, db *string
}

func newDataFlags(fs *flag.FlagSet) dataFlags {
	return dataFlags{
		config: fs.String("config", os.Getenv("KOPBOT_CONFIG"), "settings file (kopbot.toml); KOPBOT_* variables override it"),
		db:     fs.String("db", "", "SQLite database file (default: the config's db, $KOPBOT_DB, else kopbot.db)"),
	}
}

// load reads the settings; --db, when given, wins over them.
func (f dataFlags) load() (config.Config, error) {
	cfg, err := config.Load(*f.config, os.LookupEnv)
	if err != nil {
		return config.Config{}, err
	}
	if *f.db != "" {
		cfg.DB = *f.db
	}
	return cfg, nil
}

// open opens the database of cfg with the cooperative's products and officers.
func open(ctx context.Context, cfg config.Config) (*app.App, error) {
	return app.Open(ctx, cfg.DB, appOptions(cfg))
}

func appOptions(cfg config.Config) app.Options {
	opts := app.Options{
		Loans:        app.LoanOptions{Catalog: cfg.Catalog(), Policy: cfg.Policy()},
		OfficerGroup: member.Address{Channel: channel.Console, Chat: officerSeat},
	}
	if cfg.Telegram.Enabled && cfg.Telegram.OfficersChatID != 0 {
		opts.OfficerGroup = member.Address{Channel: channel.Telegram, Chat: strconv.FormatInt(cfg.Telegram.OfficersChatID, 10)}
	}
	for _, o := range cfg.Officers {
		opts.Officers = append(opts.Officers, officer.Officer{ID: strconv.FormatInt(o.TelegramID, 10), Name: o.Name, Role: o.Role})
	}
	return opts
}
