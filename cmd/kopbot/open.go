package main

import (
	"context"
	"flag"
	"os"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/config"
)

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

// open loads the settings and opens their database with the cooperative's
// products and officers.
func (f dataFlags) open(ctx context.Context) (*app.App, config.Config, error) {
	cfg, err := f.load()
	if err != nil {
		return nil, config.Config{}, err
	}
	a, err := open(ctx, cfg)
	return a, cfg, err
}

// open opens the database of cfg with the cooperative's products and officers.
func open(ctx context.Context, cfg config.Config) (*app.App, error) {
	return app.Open(ctx, cfg.DB, app.OptionsFrom(cfg))
}
