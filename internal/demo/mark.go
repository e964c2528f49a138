package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/kopmem/kopbot/internal/store"
)

// appID marks a database file as the demo's, in SQLite's application_id
// header field ("KDEM"): `kopbot demo --db FILE` plays with no other file,
// since its seats chat and post money as whoever they like.
const appID = 0x4b44454d

// ErrNotDemo is returned by CheckDemo for a database the demo did not make.
var ErrNotDemo = errors.New("not a demo database")

func mark(ctx context.Context, db *store.DB) error {
	return db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA application_id = %d`, appID))
		return err
	})
}

// CheckDemo refuses a database file at path that exists and was not made
// by the demo; a missing or empty file becomes a new demo.
func CheckDemo(ctx context.Context, path string) error {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && info.Size() == 0) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("demo database %s: %w", path, err)
	}
	conn, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return fmt.Errorf("demo database %s: %w", path, err)
	}
	defer conn.Close()
	var id int64
	if err := conn.QueryRowContext(ctx, `PRAGMA application_id`).Scan(&id); err != nil {
		return fmt.Errorf("%s: %w (%v)", path, ErrNotDemo, err)
	}
	if id != appID {
		return fmt.Errorf("%s: %w", path, ErrNotDemo)
	}
	return nil
}
