package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Schema is one package's own migrations: files named NNNN_description.sql
// in FS, applied in order of NNNN and recorded under Name, so each domain
// package owns its tables and numbers them on its own.
type Schema struct {
	Name string
	FS   fs.FS
}

type migration struct {
	version int
	file    string
}

func (s Schema) migrations() ([]migration, error) {
	files, err := fs.Glob(s.FS, "*.sql")
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", s.Name, err)
	}
	var ms []migration
	seen := map[int]string{}
	for _, f := range files {
		prefix, _, ok := strings.Cut(path.Base(f), "_")
		v, err := strconv.Atoi(prefix)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("schema %s: migration %q must be named NNNN_description.sql", s.Name, f)
		}
		if other, dup := seen[v]; dup {
			return nil, fmt.Errorf("schema %s: migrations %q and %q share version %d", s.Name, other, f, v)
		}
		seen[v] = f
		ms = append(ms, migration{version: v, file: f})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

func (db *DB) migrate(ctx context.Context, schemas []Schema) error {
	if _, err := db.W.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		schema TEXT NOT NULL,
		version INTEGER NOT NULL,
		applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
		PRIMARY KEY (schema, version)
	) STRICT`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	applied, err := db.applied(ctx)
	if err != nil {
		return err
	}
	for _, s := range schemas {
		ms, err := s.migrations()
		if err != nil {
			return err
		}
		for _, m := range ms {
			if applied[s.Name+"/"+strconv.Itoa(m.version)] {
				continue
			}
			if err := db.apply(ctx, s, m); err != nil {
				return err
			}
		}
	}
	return nil
}

// applied is the set of migrations recorded as "schema/version", read once
// so that opening an up-to-date database costs no write transaction per
// migration; apply checks again inside its own transaction.
func (db *DB) applied(ctx context.Context) (map[string]bool, error) {
	rows, err := db.W.QueryContext(ctx, `SELECT schema, version FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	defer rows.Close()
	done := map[string]bool{}
	for rows.Next() {
		var name string
		var v int
		if err := rows.Scan(&name, &v); err != nil {
			return nil, fmt.Errorf("read schema_migrations: %w", err)
		}
		done[name+"/"+strconv.Itoa(v)] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	return done, nil
}

// apply runs one migration and records it in the same transaction, so a
// crash mid-migration leaves it either fully applied or not at all.
func (db *DB) apply(ctx context.Context, s Schema, m migration) error {
	body, err := fs.ReadFile(s.FS, m.file)
	if err != nil {
		return fmt.Errorf("read migration %s/%s: %w", s.Name, m.file, err)
	}
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE schema = ? AND version = ?`,
			s.Name, m.version).Scan(&n); err != nil {
			return fmt.Errorf("check migration %s/%d: %w", s.Name, m.version, err)
		}
		if n > 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return fmt.Errorf("apply migration %s/%s: %w", s.Name, m.file, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (schema, version) VALUES (?, ?)`,
			s.Name, m.version); err != nil {
			return fmt.Errorf("record migration %s/%d: %w", s.Name, m.version, err)
		}
		return nil
	})
}

// EmbeddedSchema builds a Schema from the directory dir of an embedded FS.
// It panics when dir is missing, which only a build mistake can cause.
func EmbeddedSchema(name string, fsys fs.FS, dir string) Schema {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(fmt.Sprintf("schema %s: %v", name, err))
	}
	return Schema{Name: name, FS: sub}
}
