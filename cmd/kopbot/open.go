package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/config"
	"github.com/kopmem/kopbot/internal/i18n"
	"github.com/kopmem/kopbot/internal/server"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/kopmem/kopbot/locales"
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

// speech renders messages in the language a command was asked to speak.
type speech struct {
	lang string
	msgs *i18n.Bundle
}

func (s speech) say(id string, data map[string]any) string { return s.msgs.T(s.lang, id, data) }

// parseSpoken adds --lang to a command that speaks to an officer and
// parses its arguments as parseInterspersed does. A bad flag is exit 2,
// its usage printed.
func parseSpoken(fs *flag.FlagSet, args []string) ([]string, speech, error) {
	lang := fs.String("lang", "id", "language of what is said: id or en")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return nil, speech{}, exitError{2}
	}
	msgs, err := i18n.Load(locales.FS)
	if err != nil {
		return nil, speech{}, err
	}
	return pos, speech{lang: *lang, msgs: msgs}, nil
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

// open loads the settings and opens their existing database with the
// cooperative's products and officers.
func (f dataFlags) open(ctx context.Context) (*app.App, config.Config, error) {
	cfg, err := f.load()
	if err != nil {
		return nil, config.Config{}, err
	}
	if err := mustExist(cfg.DB); err != nil {
		return nil, config.Config{}, err
	}
	a, err := open(ctx, cfg)
	return a, cfg, err
}

// mustExist refuses a database file that is not there: SQLite would make
// an empty one, and a typo in --db would then report an empty cooperative
// as checked, back it up, or serve it to members as "not registered". Only
// import (which starts a cooperative) and the demo create one.
func mustExist(path string) error {
	_, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		where, _ := filepath.Abs(path)
		return fmt.Errorf("%s tidak ditemukan — periksa --db atau db di kopbot.toml (dicari di %s); database baru dibuat oleh "+
			"`kopbot import members FILE.csv`, dan `kopbot demo` untuk mencoba (%s not found)", path, where, path)
	}
	if err != nil {
		return fmt.Errorf("database %s: %w", path, err)
	}
	return nil
}

// lock claims the database for what; a second serve, or an import while
// serve runs, is refused before anything is opened or connected.
func lock(cfg config.Config, what string) (*store.Lock, error) {
	l, err := store.LockFor(cfg.DB, what, cfg.Clock().Now())
	if errors.Is(err, store.ErrLocked) {
		return nil, fmt.Errorf("%w — hentikan proses itu dulu; satu database hanya dilayani satu kopbot serve, dan import berjalan saat serve berhenti", err)
	}
	return l, err
}

// open opens the database of cfg with the cooperative's products and officers.
func open(ctx context.Context, cfg config.Config) (*app.App, error) {
	opts := app.OptionsFrom(cfg)
	caps := server.NewCapacity(cfg)
	opts.BulkCapacity = caps.Pace
	a, err := app.Open(ctx, cfg.DB, opts)
	if err != nil {
		return nil, err
	}
	if err := caps.Configure(ctx, cfg, a.DB.R); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}
