package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// PrivateFile and PrivateDir are the modes of everything kopbot creates:
// the database holds members' names, phone numbers and money, so only the
// account kopbot runs as reads it.
const (
	PrivateFile fs.FileMode = 0o600
	PrivateDir  fs.FileMode = 0o700
)

// CreatePrivate makes sure path exists with mode PrivateFile (its folder
// PrivateDir when kopbot creates it), before SQLite opens it: SQLite gives
// the -wal and -shm files the database file's own mode, so they are private
// too. An existing file is left as it is.
func CreatePrivate(path string) error {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, PrivateDir); err != nil {
			return fmt.Errorf("create folder of %s: %w", path, err)
		}
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, PrivateFile)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	return f.Close()
}

// ErrMoved is returned once the database file kopbot opened is no longer at
// its path (deleted, or replaced by another file): what would be written
// now goes to a file nobody will read again.
var ErrMoved = errors.New("the database file was deleted or replaced while kopbot ran")

// identity is which file a path names: its device and inode.
type identity struct{ dev, ino uint64 }

func identify(path string) (identity, error) {
	info, err := os.Stat(path)
	if err != nil {
		return identity{}, err
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return identity{}, fmt.Errorf("%s: no inode on this system", path)
	}
	return identity{dev: uint64(st.Dev), ino: st.Ino}, nil //nolint:unconvert // Dev is int32 on some systems
}

// Same reports ErrMoved when the file at the database's path is not the
// one opened. It is checked before every write and by /healthz.
func (db *DB) Same() error {
	now, err := identify(db.path)
	if err != nil || now != db.file {
		return fmt.Errorf("%s: %w", db.path, ErrMoved)
	}
	return nil
}

// ErrLocked is returned by Lock while another kopbot holds the database.
var ErrLocked = errors.New("the database is in use by another kopbot")

// Lock is an exclusive claim on a database by one process: kopbot serve,
// or an import. SQLite's own locks last one transaction, so they cannot
// keep a second serve from connecting the same WhatsApp number and
// Telegram bot and sending every message twice; an flock on a file beside
// the database lasts as long as the process, and the kernel drops it when
// the process dies, so a crash never leaves a stale lock behind.
type Lock struct{ f *os.File }

// LockFor takes the lock of the database at path for what (the command,
// for the other process's message), or returns ErrLocked naming the
// process that holds it.
func LockFor(path, what string, now time.Time) (*Lock, error) {
	name := path + ".lock"
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, PrivateFile)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%s: %w (%s)", path, ErrLocked, lockNote(path))
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	note := what + ", pid " + strconv.Itoa(os.Getpid()) + ", since " + now.Format(time.RFC3339)
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(note+"\n"), 0) // only a courtesy for the next one's message
	}
	return &Lock{f: f}, nil
}

// lockNote is what the holder of the database's lock wrote about itself
// ("kopbot import, pid 4242, since …"), or "" when none holds it.
func lockNote(path string) string {
	note, _ := os.ReadFile(path + ".lock")
	return strings.TrimSpace(string(note))
}

// Release gives the lock up.
func (l *Lock) Release() error {
	if l == nil {
		return nil
	}
	return l.f.Close()
}
