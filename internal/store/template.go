package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// templates holds, in a test binary only, the bytes of a freshly migrated
// database per set of schemas. A test suite opens hundreds of new databases
// with the same migrations, and replaying every package's migrations costs
// about 3 s per database under the race detector; copying the result of the
// first costs milliseconds. Production opens one database per process and
// always migrates for real.
var templates sync.Map // schemasKey → []byte

// schemasKey names a list of schemas by everything that decides the
// database its migrations build: names, order, file names and contents.
func schemasKey(schemas []Schema) (string, error) {
	h := sha256.New()
	for _, s := range schemas {
		ms, err := s.migrations()
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "schema %q\n", s.Name)
		for _, m := range ms {
			body, err := fs.ReadFile(s.FS, m.file)
			if err != nil {
				return "", fmt.Errorf("read migration %s/%s: %w", s.Name, m.file, err)
			}
			fmt.Fprintf(h, "%s %d\n", m.file, len(body))
			h.Write(body)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// fromTemplate fills the empty file at path with the database schemas
// build, when this test binary has built it before. It reports whether it
// did, and the key under which to keep the template otherwise ("" outside
// tests or for a file that is not new).
func fromTemplate(path string, schemas []Schema) (key string, filled bool, err error) {
	if !testing.Testing() {
		return "", false, nil
	}
	info, err := os.Stat(path)
	if err != nil {
		return "", false, fmt.Errorf("open %s: %w", path, err)
	}
	if info.Size() > 0 {
		return "", false, nil
	}
	if key, err = schemasKey(schemas); err != nil {
		return "", false, err
	}
	b, ok := templates.Load(key)
	if !ok {
		return key, false, nil
	}
	// WriteFile keeps the file (its inode and private mode) and only fills it.
	if err := os.WriteFile(path, b.([]byte), PrivateFile); err != nil {
		return "", false, fmt.Errorf("open %s from its schema template: %w", path, err)
	}
	return key, true, nil
}

// keepTemplate stores the freshly migrated database as the template for key.
func (db *DB) keepTemplate(ctx context.Context, key string) error {
	dir, err := os.MkdirTemp("", "kopbot-template-")
	if err != nil {
		return fmt.Errorf("schema template: %w", err)
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "t.db")
	if _, err := db.W.ExecContext(ctx, `VACUUM INTO ?`, file); err != nil {
		return fmt.Errorf("schema template: %w", err)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("schema template: %w", err)
	}
	templates.LoadOrStore(key, b)
	return nil
}
