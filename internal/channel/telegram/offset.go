package telegram

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"strconv"

	"github.com/kopmem/kopbot/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Schema is the adapter's table; open the store with it.
var Schema = store.EmbeddedSchema("telegram", migrations, "migrations")

func offsetKey(botID int64) string { return "offset/" + strconv.FormatInt(botID, 10) }

// loadOffset returns the next update id to fetch, 0 when none was stored
// (getUpdates then starts at the oldest update Telegram still holds).
func loadOffset(ctx context.Context, db *store.DB, botID int64) (int, error) {
	var v string
	err := db.R.QueryRowContext(ctx, `SELECT value FROM telegram_state WHERE key = ?`, offsetKey(botID)).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("load telegram offset (is the store opened with telegram.Schema?): %w", err)
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("load telegram offset: stored value %q: %w", v, err)
	}
	return n, nil
}

func saveOffset(ctx context.Context, db *store.DB, botID int64, offset int) error {
	err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO telegram_state (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, offsetKey(botID), strconv.Itoa(offset))
		return err
	})
	if err != nil {
		return fmt.Errorf("save telegram offset %d: %w", offset, err)
	}
	return nil
}
