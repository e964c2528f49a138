package ruleset

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var errTest = errors.New("test profile")

var embedded = map[string]int{"ksp": 1, "bank5": 5}

func TestLookup(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		key     string
		errWrap error
		want    int
		err     string // "" for none
	}{
		{"", errTest, 1, ""},
		{"bank5", errTest, 5, ""},
		{"ojk", errTest, 0, `test profile: unknown profile "ojk": want one of bank5, ksp`},
		{"ojk", nil, 0, `unknown profile "ojk": want one of bank5, ksp`},
	} {
		got, err := Lookup(embedded, tc.key, "ksp", tc.errWrap)
		switch {
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("%q: %d, %v; want %d", tc.key, got, err, tc.want)
		case tc.err != "" && (err == nil || err.Error() != tc.err):
			t.Errorf("%q: %v; want %q", tc.key, err, tc.err)
		case tc.err != "" && tc.errWrap != nil && !errors.Is(err, tc.errWrap):
			t.Errorf("%q: %v does not wrap %v", tc.key, err, tc.errWrap)
		}
	}
}

// parse reads "key=value" lines, refusing anything else.
func parse(b []byte) (map[string]int, error) {
	out := map[string]int{}
	for _, l := range strings.Fields(string(b)) {
		k, v, ok := strings.Cut(l, "=")
		if !ok || len(v) != 1 || v[0] < '0' || v[0] > '9' {
			return nil, errors.New("bad line " + l)
		}
		out[k] = int(v[0] - '0')
	}
	return out, nil
}

func TestWithFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name string
		file string
		want map[string]int
		err  string // a part of the error; "" for none
	}{
		{"no file", "", embedded, ""},
		{"corrects one and adds one", file("own", "ksp=2 ojk=7"), map[string]int{"ksp": 2, "bank5": 5, "ojk": 7}, ""},
		{"missing file", filepath.Join(dir, "nowhere"), nil, "test profile: open"},
		{"bad file names itself", file("bad", "ksp=x"), nil, "bad: bad line ksp=x"},
	} {
		got, err := WithFile(embedded, tc.file, parse, errTest)
		switch {
		case tc.err == "" && (err != nil || !maps.Equal(got, tc.want)):
			t.Errorf("%s: %v, %v; want %v", tc.name, got, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s: %v; want %q", tc.name, err, tc.err)
		}
	}
	if embedded["ksp"] != 1 || len(embedded) != 2 {
		t.Errorf("a file changed the embedded profiles: %v", embedded)
	}
}
