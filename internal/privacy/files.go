package privacy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/store"
)

// PruneFiles deletes the files under dir (the statements kopbot wrote for
// members: their savings and loans in full) last written before before,
// as the message texts that asked for them are emptied; a file a message
// still waiting to go carries is kept. A missing dir has nothing to prune.
func PruneFiles(ctx context.Context, db *store.DB, dir string, before time.Time) (int, error) {
	waiting, err := waitingFiles(ctx, db)
	if err != nil {
		return 0, err
	}
	n := 0
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if !info.ModTime().Before(before) || waiting[path] {
			return nil
		}
		if err := os.Remove(path); err != nil {
			return err
		}
		n++
		return ctx.Err()
	})
	if err != nil {
		return n, fmt.Errorf("prune files in %s: %w", dir, err)
	}
	return n, nil
}

// waitingFiles is the path of every file a pending outbox message carries.
func waitingFiles(ctx context.Context, db *store.DB) (map[string]bool, error) {
	rows, err := db.R.QueryContext(ctx, `SELECT attachment FROM outbox WHERE status = 'pending' AND attachment IS NOT NULL`)
	if err != nil {
		return nil, fmt.Errorf("files waiting to go: %w", err)
	}
	defer rows.Close()
	waiting := map[string]bool{}
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			return nil, fmt.Errorf("files waiting to go: %w", err)
		}
		var a channel.Attachment
		if err := json.Unmarshal([]byte(raw), &a); err != nil {
			return nil, fmt.Errorf("files waiting to go: %w", err)
		}
		waiting[a.Path] = true
	}
	return waiting, rows.Err()
}
