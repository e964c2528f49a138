package payment

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/channel"
)

func fileOf(kind channel.MediaKind, name string, data []byte) *channel.File {
	return &channel.File{Kind: kind, Name: name, Fetch: func(_ context.Context, limit int64) ([]byte, error) {
		if int64(len(data)) > limit {
			return nil, channel.ErrTooLarge
		}
		return data, nil
	}}
}

func TestKeepIsContentAddressedAndPrivate(t *testing.T) {
	t.Parallel()
	fs := Files{Dir: filepath.Join(t.TempDir(), "proofs"), Limit: 1 << 20}
	jpeg := append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, bytes.Repeat([]byte{1}, 100)...)
	pdf := []byte("%PDF-1.4\n")
	tests := []struct {
		name     string
		file     *channel.File
		mime     string
		kind     channel.MediaKind
		isProof  bool
		fileName string
	}{
		{"photo", fileOf(channel.Image, "", jpeg), "image/jpeg", channel.Image, true, ""},
		{"pdf with its name", fileOf(channel.Document, "../../slip.pdf", pdf), "application/pdf", channel.Document, true, "slip.pdf"},
		{"a photo sent as a file is shown as a photo", fileOf(channel.Document, "scan.jpg", jpeg), "image/jpeg", channel.Image, true, "scan.jpg"},
		{"a document claiming to be a PDF but text", fileOf(channel.Document, "slip.pdf", []byte("hello")), "text/plain", channel.Document, false, "slip.pdf"},
	}
	for _, tc := range tests {
		a, err := fs.Keep(context.Background(), tc.file)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if a.MIME != tc.mime || a.Kind != tc.kind || IsProof(a) != tc.isProof || (tc.fileName != "" && a.Name != tc.fileName) {
			t.Errorf("%s: kept %+v", tc.name, a)
		}
		if filepath.Base(filepath.Dir(a.Path)) != a.SHA256[:2] || filepath.Dir(filepath.Dir(a.Path)) != fs.Dir {
			t.Errorf("%s: path %s not under %s by content", tc.name, a.Path, fs.Dir)
		}
		st, err := os.Stat(a.Path)
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v mode %v, want 0600", tc.name, err, st.Mode())
		}
	}
	// The same bytes are the same file.
	a1, _ := fs.Keep(context.Background(), fileOf(channel.Image, "", jpeg))
	a2, _ := fs.Keep(context.Background(), fileOf(channel.Image, "", jpeg))
	if a1.Path != a2.Path {
		t.Errorf("same content kept twice: %s, %s", a1.Path, a2.Path)
	}
	if st, _ := os.Stat(filepath.Dir(a1.Path)); st.Mode().Perm() != 0o700 {
		t.Errorf("folder mode %v, want 0700", st.Mode().Perm())
	}
	if _, err := (Files{Dir: fs.Dir, Limit: 10}).Keep(context.Background(), fileOf(channel.Image, "", jpeg)); !errors.Is(err, channel.ErrTooLarge) {
		t.Errorf("over the limit: %v", err)
	}
	if _, err := fs.Keep(context.Background(), fileOf(channel.Image, "", nil)); err == nil {
		t.Error("an empty file was kept")
	}
}

func TestParsePress(t *testing.T) {
	t.Parallel()
	tests := []struct {
		data string
		want Press
		ok   bool
	}{
		{"bt:a:17:491667", Press{ProofID: 17, Purpose: Angsuran, Amount: decimal.NewFromInt(491667)}, true},
		{"bt:w:3:100000", Press{ProofID: 3, Purpose: Wajib, Amount: decimal.NewFromInt(100000)}, true},
		{"bt:x:3", Press{ProofID: 3, Other: true}, true},
		{"bt:t:3", Press{ProofID: 3, Reject: true}, true},
		{"bt:a:3", Press{}, false},
		{"bt:a:3:-5", Press{}, false},
		{"bt:a:0:5", Press{}, false},
		{"bt:t:3:5", Press{}, false},
		{"bt:z:3:5", Press{}, false},
		{"ap:PJ-1", Press{}, false},
	}
	for _, tc := range tests {
		got, ok := ParsePress(tc.data)
		if ok != tc.ok || got.ProofID != tc.want.ProofID || got.Purpose != tc.want.Purpose || !got.Amount.Equal(tc.want.Amount) ||
			got.Other != tc.want.Other || got.Reject != tc.want.Reject {
			t.Errorf("ParsePress(%q) = %+v, %v; want %+v, %v", tc.data, got, ok, tc.want, tc.ok)
		}
	}
}
