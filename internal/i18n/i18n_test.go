package i18n

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

// sample has two areas per language; "only.id" lacks an English text.
var sample = fstest.MapFS{
	"common.id.toml": file(`
["common.hello"]
other = "Halo, {{.Name}}!"

["common.only_id"]
other = "Hanya bahasa Indonesia"
`),
	"common.en.toml": file(`
["common.hello"]
other = "Hello, {{.Name}}!"
`),
	"loan.id.toml": file(`
["loan.count"]
other = "{{.PluralCount}} pinjaman"

["loan.due"]
other = "Jatuh tempo {{.Loan.Due}}"
`),
	"loan.en.toml": file(`
["loan.count"]
one = "{{.PluralCount}} loan"
other = "{{.PluralCount}} loans"

["loan.due"]
other = "Due {{.Loan.Due}}"
`),
}

func load(t *testing.T, fsys fstest.MapFS) *Bundle {
	t.Helper()
	b, err := Load(fsys)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return b
}

func TestT(t *testing.T) {
	t.Parallel()
	b := load(t, sample)
	tests := []struct {
		name, lang, id string
		data           any
		want           string
	}{
		{"indonesian", "id", "common.hello", map[string]any{"Name": "Siti"}, "Halo, Siti!"},
		{"english", "en", "common.hello", map[string]any{"Name": "Siti"}, "Hello, Siti!"},
		{"struct data", "en", "common.hello", struct{ Name string }{"Budi"}, "Hello, Budi!"},
		{"nested data", "en", "loan.due", map[string]any{"Loan": map[string]string{"Due": "5 Jan"}}, "Due 5 Jan"},
		{"typed name normalised", "English", "common.hello", map[string]any{"Name": "A"}, "Hello, A!"},
		{"unknown lang is Indonesian", "fr", "common.hello", map[string]any{"Name": "A"}, "Halo, A!"},
		{"empty lang is Indonesian", "", "common.hello", map[string]any{"Name": "A"}, "Halo, A!"},
		{"missing in English falls back", "en", "common.only_id", nil, "Hanya bahasa Indonesia"},
		{"unknown id returns id", "en", "no.such", nil, "no.such"},
		{"unknown id in default", "id", "no.such", nil, "no.such"},
		{"missing field still renders", "id", "common.hello", map[string]any{}, "Halo, <no value>!"},
		{"data with markup kept", "id", "common.hello", map[string]any{"Name": "*Ani* <b>"}, "Halo, *Ani* <b>!"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := b.T(tt.lang, tt.id, tt.data); got != tt.want {
				t.Errorf("T(%q, %q) = %q, want %q", tt.lang, tt.id, got, tt.want)
			}
		})
	}
}

func TestN(t *testing.T) {
	t.Parallel()
	b := load(t, sample)
	tests := []struct {
		lang  string
		count int
		want  string
	}{
		{"en", 1, "1 loan"},
		{"en", 2, "2 loans"},
		{"en", 0, "0 loans"},
		{"id", 1, "1 pinjaman"},
		{"id", 5, "5 pinjaman"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+strings.Repeat("x", tt.count), func(t *testing.T) {
			t.Parallel()
			if got := b.N(tt.lang, "loan.count", tt.count, nil); got != tt.want {
				t.Errorf("N(%q, %d) = %q, want %q", tt.lang, tt.count, got, tt.want)
			}
		})
	}
}

func TestBundleQueries(t *testing.T) {
	t.Parallel()
	b := load(t, sample)
	if got, want := b.Langs(), []string{"id", "en"}; !slices.Equal(got, want) {
		t.Errorf("Langs = %v, want %v", got, want)
	}
	if got, want := b.IDs(), []string{"common.hello", "common.only_id", "loan.count", "loan.due"}; !slices.Equal(got, want) {
		t.Errorf("IDs = %v, want %v", got, want)
	}
	for id, want := range map[string]bool{"common.hello": true, "common.only_id": false, "no.such": false} {
		if got := b.Has(id); got != want {
			t.Errorf("Has(%q) = %v, want %v", id, got, want)
		}
	}
	missing := b.Missing()
	if len(missing) != 1 || !slices.Equal(missing["en"], []string{"common.only_id"}) {
		t.Errorf("Missing = %v, want en: [common.only_id]", missing)
	}
	if err := b.Check(); err != nil {
		t.Errorf("Check on consistent files: %v", err)
	}
}

func TestMissingBothWays(t *testing.T) {
	t.Parallel()
	b := load(t, fstest.MapFS{
		"a.id.toml": file("[\"a.x\"]\nother = \"x\"\n"),
		"a.en.toml": file("[\"a.y\"]\nother = \"y\"\n"),
	})
	got := b.Missing()
	if len(got) != 2 || !slices.Equal(got["id"], []string{"a.y"}) || !slices.Equal(got["en"], []string{"a.x"}) {
		t.Errorf("Missing = %v", got)
	}
}

func TestCheckFindsDefects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, en, want string
	}{
		{"renamed placeholder", `["a.x"]` + "\nother = \"Hi {{.Nama}}\"\n", "differ"},
		{"dropped placeholder", `["a.x"]` + "\nother = \"Hi\"\n", "differ"},
		{"execution error", `["a.x"]` + "\nother = \"Hi {{.Name}}{{index .Name 50}}\"\n", "index"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := load(t, fstest.MapFS{
				"a.id.toml": file("[\"a.x\"]\nother = \"Halo {{.Name}}{{index .Name 0}}\"\n"),
				"a.en.toml": file(tt.en),
			})
			err := b.Check()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Check = %v, want error containing %q", err, tt.want)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	ok := file("[\"a.x\"]\nother = \"x\"\n")
	tests := []struct {
		name string
		fsys fstest.MapFS
		want string // the error must name this
	}{
		{"no files", fstest.MapFS{}, "default language"},
		{"no indonesian", fstest.MapFS{"a.en.toml": ok}, "default language"},
		{"bad name", fstest.MapFS{"a.id.toml": ok, "b.toml": ok}, "b.toml"},
		{"bad language", fstest.MapFS{"a.id.toml": ok, "b.x_y.toml": ok}, "b.x_y.toml"},
		{"bad toml", fstest.MapFS{"a.id.toml": ok, "b.id.toml": file("[\"b.x\"\nother=")}, "b.id.toml"},
		{"duplicate across files", fstest.MapFS{"a.id.toml": ok, "b.id.toml": ok}, "a.id.toml"},
		{"bad template", fstest.MapFS{"a.id.toml": file("[\"a.x\"]\nother = \"{{.Name\"\n")}, "a.x"},
		{"no other form", fstest.MapFS{"a.id.toml": file("[\"a.x\"]\none = \"x\"\n")}, "other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Load(tt.fsys)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load = %v, want error containing %q", err, tt.want)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"id": "id", "ind": "id", "in": "id", "Indonesia": "id", "bahasa  Indonesia": "id", " ID ": "id",
		"en": "en", "ENG": "en", "English": "en", "inggris": "en", "Bahasa Inggris": "en",
		"": "", "fr": "", "jawa": "", "indo": "",
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			if got := Normalize(in); got != want {
				t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
			}
		})
	}
}

func TestUnusedIDs(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	write := func(rel, content string) {
		t.Helper()
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("internal/x/x.go", "package x\n// \"in.comment\"\nvar a = \"go.used\"\nvar b = `go.raw`\nvar c = \"go.prefix.\" + \"tail\"\n")
	write("internal/x/x_test.go", "package x\nvar t = \"test.only\"\n")
	write("flows/menu.toml", "id = \"menu\"\n[[steps]]\nsay = ['flow.single', \"flow.double\"]\n[steps.on]\nok = \"flow.on\"\n")
	write("locales/a.id.toml", "[\"locale.only\"]\nother = \"locale.only\"\n")
	write("other/x.toml", "k = \"toml.outside.flows\"\n")
	write(".git/x.go", "package x\nvar h = \"hidden\"\n")
	write("testdata/x.go", "package x\nvar h = \"testdata\"\n")

	ids := []string{"go.used", "go.raw", "flow.single", "flow.double", "flow.on",
		"in.comment", "test.only", "go.prefix", "locale.only", "toml.outside.flows", "hidden", "testdata"}
	got, err := UnusedIDs(ids, root)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"in.comment", "test.only", "go.prefix", "locale.only", "toml.outside.flows", "hidden", "testdata"}
	if !slices.Equal(got, want) {
		t.Errorf("UnusedIDs = %v, want %v", got, want)
	}

	write("flows/broken.toml", "say = [\n")
	if _, err := UnusedIDs(ids, root); err == nil || !strings.Contains(err.Error(), "broken.toml") {
		t.Errorf("UnusedIDs with a broken flow = %v, want error naming it", err)
	}
}
