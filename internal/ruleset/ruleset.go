// Package ruleset holds what the cooperative's rules kept as data share:
// profiles (kolektibilitas, the health assessment) embedded by key, which
// a file of the cooperative's may correct or add to, so a Dinas correction
// of a threshold needs no rebuild.
package ruleset

import (
	"cmp"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
)

// Lookup returns the profile key of all, "" being def. An unknown key is
// refused naming the keys there are, wrapped in errProfile unless nil.
func Lookup[P any](all map[string]P, key, def string, errProfile error) (P, error) {
	key = cmp.Or(key, def)
	p, ok := all[key]
	if !ok {
		err := fmt.Errorf("unknown profile %q: want one of %s", key, strings.Join(slices.Sorted(maps.Keys(all)), ", "))
		if errProfile != nil {
			err = fmt.Errorf("%w: %w", errProfile, err)
		}
		return p, err
	}
	return p, nil
}

// WithFile is all and, when file is set, the profiles parse reads from it,
// which replace those of their keys or add new keys. A file that cannot be
// read is wrapped in errFile, the package's own error for its profiles.
func WithFile[P any](all map[string]P, file string, parse func([]byte) (map[string]P, error), errFile error) (map[string]P, error) {
	if file == "" {
		return all, nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errFile, err)
	}
	own, err := parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	out := maps.Clone(all)
	maps.Copy(out, own)
	return out, nil
}
