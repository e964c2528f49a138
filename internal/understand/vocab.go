package understand

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

// wordsFile is one vocabulary in flows/words: a language's or a region's.
type wordsFile struct {
	Lang     string              `toml:"lang"`
	Fillers  []string            `toml:"fillers"`
	Yes      []string            `toml:"yes"`
	No       []string            `toml:"no"`
	Concepts map[string][]string `toml:"concepts"`
}

// intentsFile is flows/words/intents.toml.
type intentsFile struct {
	Intents []Intent `toml:"intent"`
	Marks   []Mark   `toml:"mark"`
}

// Mark is a concept that says how to answer rather than what ("as a
// file"): wherever it stands in a message it fills Slot of the flow
// served, and Unmarked takes its words out of what follows a keyword.
type Mark struct {
	Concept string `toml:"concept"`
	Slot    string `toml:"slot"`
}

// Intent is a request a member can make: the flow that serves it and the
// sets of concepts that make it.
type Intent struct {
	Flow string     `toml:"flow"`
	When [][]string `toml:"when"`
	// Info marks flows that only show something, served together when a
	// message asks for several ("saldo dan tagihan").
	Info bool `toml:"info"`
	// Confirm marks flows that change something the member cannot simply
	// take back (reminders stopped, a request withdrawn): from inside
	// another dialog they are asked about first.
	Confirm bool `toml:"confirm"`
}

// Entity names the understanding puts into Meaning.Concepts for figures.
const (
	conceptOffTopic = "luar"
	conceptAmount   = "#amount"
	conceptTenor    = "#tenor"
)

// term is what a word or phrase of the vocabulary means.
type term struct {
	concept string
	lang    string
}

// vocab is every vocabulary merged, ready for lookups.
type vocab struct {
	phrases   map[string]term // joined words → concept; single words too
	maxPhrase int
	fillers   map[string]string // word → lang
	yes, no   map[string]bool
	maxYesNo  int
	typos     map[byte][]typo // single words of 4+ letters by first letter, for near matches
	intents   []Intent
	marks     map[string]string // concept → slot
}

type typo struct {
	word string
	term term
}

// Dir is where the vocabularies live inside the flows folder.
const Dir = "words"

func loadVocab(fsys fs.FS) (*vocab, error) {
	v := &vocab{phrases: map[string]term{}, fillers: map[string]string{}, yes: map[string]bool{}, no: map[string]bool{}, typos: map[byte][]typo{}}
	files, err := fs.Glob(fsys, Dir+"/*.toml")
	if err != nil {
		return nil, fmt.Errorf("list vocabularies: %w", err)
	}
	var errs []error
	for _, f := range files {
		body, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("read vocabulary %s: %w", f, err)
		}
		if strings.HasSuffix(f, "/intents.toml") {
			var in intentsFile
			if err := decodeStrict(string(body), &in); err != nil {
				return nil, fmt.Errorf("vocabulary %s: %w", f, err)
			}
			v.intents = in.Intents
			v.marks = map[string]string{}
			for _, mk := range in.Marks {
				v.marks[mk.Concept] = mk.Slot
			}
			continue
		}
		var wf wordsFile
		if err := decodeStrict(string(body), &wf); err != nil {
			return nil, fmt.Errorf("vocabulary %s: %w", f, err)
		}
		errs = append(errs, v.add(f, wf)...)
	}
	if len(v.intents) == 0 {
		errs = append(errs, fmt.Errorf("vocabulary: no %s/intents.toml with intents", Dir))
	}
	for _, in := range v.intents {
		for _, set := range in.When {
			for _, c := range set {
				if !v.hasConcept(c) {
					errs = append(errs, fmt.Errorf("intent %s: concept %q is in no vocabulary", in.Flow, c))
				}
			}
		}
	}
	for c, slot := range v.marks {
		if !v.hasConcept(c) || slot == "" {
			errs = append(errs, fmt.Errorf("mark %q: want a concept of a vocabulary and a slot (slot %q)", c, slot))
		}
	}
	for _, ts := range v.typos {
		slices.SortFunc(ts, func(a, b typo) int { return strings.Compare(a.word, b.word) })
	}
	return v, errors.Join(errs...)
}

func decodeStrict(body string, into any) error {
	md, err := toml.Decode(body, into)
	if err != nil {
		return err
	}
	if undec := md.Undecoded(); len(undec) > 0 {
		return fmt.Errorf("unknown setting %q", undec[0].String())
	}
	return nil
}

// add merges one file; a word meaning two different things is an error
// the author must settle, since a guess between them would be arbitrary.
func (v *vocab) add(name string, wf wordsFile) []error {
	var errs []error
	for _, w := range wf.Fillers {
		v.fillers[join(Words(w))] = wf.Lang
	}
	for _, w := range wf.Yes {
		k := Words(w)
		v.yes[join(k)] = true
		v.maxYesNo = max(v.maxYesNo, len(k))
	}
	for _, w := range wf.No {
		k := Words(w)
		v.no[join(k)] = true
		v.maxYesNo = max(v.maxYesNo, len(k))
	}
	for c, ws := range wf.Concepts {
		for _, w := range ws {
			k := Words(w)
			if len(k) == 0 {
				continue
			}
			key := join(k)
			if old, dup := v.phrases[key]; dup && old.concept != c {
				errs = append(errs, fmt.Errorf("vocabulary %s: %q means both %s and %s", name, w, old.concept, c))
				continue
			}
			t := term{concept: c, lang: wf.Lang}
			v.phrases[key] = t
			v.maxPhrase = max(v.maxPhrase, len(k))
			// Off-topic words are matched only as typed: a typo is no reason
			// to tell a member we cannot help ("lalu" is not "lagu").
			if len(k) == 1 && len([]rune(key)) >= 4 && c != conceptOffTopic {
				v.typos[key[0]] = append(v.typos[key[0]], typo{word: key, term: t})
			}
		}
	}
	return errs
}

func (v *vocab) hasConcept(c string) bool {
	if c == conceptAmount || c == conceptTenor {
		return true
	}
	for _, t := range v.phrases {
		if t.concept == c {
			return true
		}
	}
	return false
}

// near finds the one concept a mistyped word stands for; two different
// candidates are no answer.
func (v *vocab) near(w string) (term, bool) {
	var found term
	ok := false
	for _, t := range v.typos[w[0]] {
		if d := len(t.word) - len(w); d > 2 || d < -2 || !Near(w, t.word) {
			continue
		}
		if ok && found.concept != t.term.concept {
			return term{}, false
		}
		found, ok = t.term, true
	}
	return found, ok
}

func join(ws []string) string { return strings.Join(ws, " ") }
