package payment

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/kopmem/kopbot/internal/channel"
)

// DefaultMaxFileBytes is the largest file kept when the config sets none:
// a phone's photo of a transfer slip is well under it.
const DefaultMaxFileBytes = 5 << 20

// XLSX is an Excel workbook's MIME type.
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// ErrType is a proof whose content is neither an image nor a PDF.
var ErrType = errors.New("not an image or a PDF")

// Files keeps what members send, content-addressed under Dir: the same
// bytes sent twice are one file, and a file's name proves its content.
type Files struct {
	Dir string
	// Limit is the largest file kept, in bytes.
	Limit int64
}

// Keep fetches f and writes it under its SHA-256, readable by kopbot's user
// alone (0600, folders 0700): transfer slips carry account numbers. The
// type is read from the content, never taken from the sender's word.
func (fs Files) Keep(ctx context.Context, f *channel.File) (channel.Attachment, error) {
	if f == nil || f.Fetch == nil {
		return channel.Attachment{}, errors.New("keep file: nothing to fetch")
	}
	data, err := f.Fetch(ctx, fs.Limit)
	if err != nil {
		return channel.Attachment{}, fmt.Errorf("keep %s: %w", f.Kind, err)
	}
	mime := sniff(data)
	kind := f.Kind
	if kind == channel.Document && strings.HasPrefix(mime, "image/") {
		kind = channel.Image // a photo sent as a file is shown as a photo
	}
	a, err := fs.Put(data, channel.Attachment{Kind: kind, Name: f.Name, MIME: mime})
	if err != nil {
		return channel.Attachment{}, fmt.Errorf("keep %s: %w", f.Kind, err)
	}
	return a, nil
}

// Put writes data the way Keep does and returns what as stored: kopbot's
// own files for members (a statement) are private like theirs. what gives
// the kind, the MIME type and the name the receiver sees; without a name
// the content's short hash is its name.
func (fs Files) Put(data []byte, what channel.Attachment) (channel.Attachment, error) {
	if len(data) == 0 {
		return channel.Attachment{}, errors.New("empty file")
	}
	sum := sha256.Sum256(data)
	name := hex.EncodeToString(sum[:])
	dir := filepath.Join(fs.Dir, name[:2])
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return channel.Attachment{}, err
	}
	ext := extension(what.MIME)
	path := filepath.Join(dir, name+ext)
	if err := writeOnce(path, data); err != nil {
		return channel.Attachment{}, err
	}
	what.Path, what.SHA256, what.Size = path, name, int64(len(data))
	if what.Name == "" {
		what.Name = name[:12] + ext
	}
	what.Name = filepath.Base(what.Name)
	return what, nil
}

// writeOnce writes data to path unless it is there: a redelivered photo
// finds its file. The write goes to a temporary name first, so a crash
// never leaves a half file under a content's name.
func writeOnce(path string, data []byte) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".part-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // gone after the rename; cleans up a failure
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// sniff reads the type from the first bytes.
func sniff(data []byte) string {
	mime, _, _ := strings.Cut(http.DetectContentType(data), ";")
	return mime
}

// IsProof reports whether a kept file can be a transfer proof: a photo or
// screenshot, or a PDF from internet banking.
func IsProof(a channel.Attachment) bool {
	switch a.MIME {
	case "image/jpeg", "image/png", "image/webp", "application/pdf":
		return true
	}
	return false
}

func extension(mime string) string {
	switch mime {
	case "image/jpeg":
		return ".jpg"
	case "image/png":
		return ".png"
	case "image/webp":
		return ".webp"
	case "application/pdf":
		return ".pdf"
	case "audio/ogg", "application/ogg":
		return ".ogg"
	case "video/mp4":
		return ".mp4"
	case XLSX:
		return ".xlsx"
	}
	return ".bin"
}
