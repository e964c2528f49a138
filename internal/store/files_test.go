package store

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/proctest"
)

func insertOne(ctx context.Context, db *DB) error {
	return db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO t (v) VALUES (1)`)
		return err
	})
}

// The database, its -wal and -shm, a folder kopbot creates for it, and a
// backup are private to kopbot's account whatever the umask says.
func TestFilesArePrivate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data", "koperasi")
	path := filepath.Join(dir, "k.db")
	db, err := Open(ctx, path, Options{}, testSchema())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := insertOne(ctx, db); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "b.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]fs.FileMode{path: PrivateFile, path + "-wal": PrivateFile,
		path + "-shm": PrivateFile, backup: PrivateFile, dir: PrivateDir, filepath.Dir(dir): PrivateDir} {
		info, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s: mode %v, want %v", name, got, want)
		}
	}
}

func TestLockIsExclusiveAndNamesTheHolder(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "k.db")
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	first, err := LockFor(path, "kopbot serve", now)
	if err != nil {
		t.Fatal(err)
	}
	_, err = LockFor(path, "kopbot import", now)
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "kopbot serve, pid") {
		t.Fatalf("second lock: %v, want ErrLocked naming kopbot serve", err)
	}
	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	again, err := LockFor(path, "kopbot serve", now)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	again.Release()
}

// A database deleted or replaced under a running kopbot takes no more
// writes: they would land in a file nobody reads again.
func TestReplacedDatabaseTakesNoWrites(t *testing.T) {
	t.Parallel()
	for _, how := range []string{"deleted", "replaced"} {
		t.Run(how, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "k.db")
			db, err := Open(ctx, path, Options{}, testSchema())
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := insertOne(ctx, db); err != nil || db.Same() != nil {
				t.Fatalf("before: %v %v", err, db.Same())
			}
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
			if how == "replaced" {
				if err := os.WriteFile(path, nil, PrivateFile); err != nil {
					t.Fatal(err)
				}
			}
			if err := db.Same(); !errors.Is(err, ErrMoved) {
				t.Errorf("Same: %v, want ErrMoved", err)
			}
			if err := insertOne(ctx, db); !errors.Is(err, ErrMoved) {
				t.Errorf("write: %v, want ErrMoved", err)
			}
		})
	}
}

// A backup that fails half-way (here the file size limit, as a full disk
// would) leaves no partial file behind. The backup runs in a child process,
// since the limit is the whole process's.
func TestFailedBackupLeavesNothing(t *testing.T) {
	if dir := os.Getenv("KOPBOT_TEST_BACKUP_DIR"); dir != "" {
		backupUnderLimit(t, dir)
		return
	}
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, filepath.Join(dir, "k.db"), Options{}, testSchema())
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
			INSERT INTO t (v, note) SELECT i, printf('%050d', i) FROM n`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestFailedBackupLeavesNothing$", "-test.count=1", "-test.v")
	proctest.DieWithParent(cmd)
	cmd.Env = append(os.Environ(), "KOPBOT_TEST_BACKUP_DIR="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "backup failed as it should") {
		t.Fatalf("child: %v\n%s", err, out)
	}
	entries, err := os.ReadDir(filepath.Join(dir, "backups"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("left behind: %s", e.Name())
	}
}

func backupUnderLimit(t *testing.T, dir string) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(dir, "k.db"), Options{}, testSchema())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := os.Mkdir(filepath.Join(dir, "backups"), PrivateDir); err != nil {
		t.Fatal(err)
	}
	signal.Ignore(syscall.SIGXFSZ) // a write past the limit fails with EFBIG instead
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: 256 << 10, Max: 256 << 10}); err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(ctx, filepath.Join(dir, "backups", "b.db")); err == nil {
		t.Fatal("a backup past the file size limit succeeded")
	}
	t.Log("backup failed as it should")
}

// A write from another process while an import holds the database for
// longer than busy_timeout waits for it and then goes through, instead of
// failing with SQLITE_BUSY; the wait is logged once, naming the import.
func TestWriterWaitsForALongImport(t *testing.T) {
	ctx := context.Background()
	// The handler writes under its own lock, and every line is written
	// before the write that logs it returns.
	var logged strings.Builder
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(slog.New(slog.NewTextHandler(&logged, nil)))

	path := filepath.Join(t.TempDir(), "k.db")
	opts := Options{BusyTimeout: 50 * time.Millisecond}
	importer, err := Open(ctx, path, opts, testSchema())
	if err != nil {
		t.Fatal(err)
	}
	defer importer.Close()
	other, err := Open(ctx, path, opts, testSchema())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	l, err := LockFor(path, "kopbot import", time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()

	holding, release := make(chan struct{}), make(chan struct{})
	imported := make(chan error, 1)
	go func() {
		imported <- importer.Write(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO t (v) VALUES (1)`); err != nil {
				return err
			}
			close(holding)
			<-release
			return nil
		})
	}()
	<-holding
	time.AfterFunc(400*time.Millisecond, func() { close(release) }) // 8 busy timeouts
	if err := insertOne(ctx, other); err != nil {
		t.Fatalf("a write behind the import: %v; want it to wait and succeed", err)
	}
	if err := <-imported; err != nil {
		t.Fatal(err)
	}
	var n int
	if err := other.R.QueryRowContext(ctx, `SELECT count(*) FROM t`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("rows = %d, %v; want the import's and the waiting write", n, err)
	}
	out := logged.String()
	if strings.Count(out, "database busy") != 1 || !strings.Contains(out, "kopbot import, pid") {
		t.Errorf("log:\n%s\nwant one line saying the database is busy, naming the import", out)
	}

	// A caller that gives up (its context ends) gets its own error, not a hang.
	holding, release = make(chan struct{}), make(chan struct{})
	go func() {
		imported <- importer.Write(ctx, func(*sql.Tx) error { close(holding); <-release; return nil })
	}()
	<-holding
	defer close(release)
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if err := insertOne(short, other); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("write with a deadline behind the import: %v; want the deadline", err)
	}
}
