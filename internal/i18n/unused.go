package i18n

import (
	"fmt"
	"go/scanner"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// UnusedIDs returns, in the order given, the ids that no Go file and no
// flows/*.toml file under roots names as a whole string literal. Test files
// do not count (a test must not make a message look used), nor do comments
// or ids glued together at run time: an id the code builds as "loan.status."
// + s is reported, so such ids should be spelled out in full somewhere.
// Hidden folders and testdata are skipped.
func UnusedIDs(ids []string, roots ...string) ([]string, error) {
	used := map[string]bool{}
	for _, root := range roots {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if d.IsDir() {
				if p != root && (strings.HasPrefix(name, ".") || name == "testdata") {
					return filepath.SkipDir
				}
				return nil
			}
			switch {
			case strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go"):
				err = goLiterals(p, used)
			case strings.HasSuffix(name, ".toml") && filepath.Base(filepath.Dir(p)) == "flows":
				err = tomlStrings(p, used)
			}
			if err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("scan %s for message ids: %w", root, err)
		}
	}
	var unused []string
	for _, id := range ids {
		if !used[id] {
			unused = append(unused, id)
		}
	}
	return unused, nil
}

// goLiterals adds every string literal of a Go file to used; tokenising
// rather than searching the text keeps ids in comments from counting.
func goLiterals(path string, used map[string]bool) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	fset := token.NewFileSet()
	var s scanner.Scanner
	var bad error
	s.Init(fset.AddFile(path, -1, len(src)), src, func(pos token.Position, msg string) {
		if bad == nil {
			bad = fmt.Errorf("line %d: %s", pos.Line, msg)
		}
	}, 0)
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			return bad
		}
		if tok == token.STRING {
			if v, err := strconv.Unquote(lit); err == nil {
				used[v] = true
			}
		}
	}
}

// tomlStrings adds every string value of a flow file to used, however deep.
func tomlStrings(path string, used map[string]bool) error {
	var v any
	if _, err := toml.DecodeFile(path, &v); err != nil {
		return err
	}
	var visit func(any)
	visit = func(v any) {
		switch v := v.(type) {
		case string:
			used[v] = true
		case map[string]any:
			for _, e := range v {
				visit(e)
			}
		case []map[string]any:
			for _, e := range v {
				visit(e)
			}
		case []any:
			for _, e := range v {
				visit(e)
			}
		}
	}
	visit(v)
	return nil
}
