// Package i18n loads the message files in locales/ and renders messages in a
// member's language. Indonesian is the default and the reference: a message
// missing in another language is said in Indonesian rather than not at all.
package i18n

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"path"
	"slices"
	"strings"
	texttemplate "text/template"
	"text/template/parse"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/nicksnyder/go-i18n/v2/i18n/template"
	"golang.org/x/text/language"
)

// Default is the language used when a member's language is unknown, and the
// one every other language falls back to.
const Default = "id"

var defaultTag = language.Indonesian

// strict makes a missing template field an error, so a caller passing the
// wrong data is logged instead of silently showing "<no value>".
var strict = &template.TextParser{Option: "missingkey=error"}

// lenient renders what it can after strict failed. Its non-nil Funcs make it
// non-cacheable: go-i18n caches a template's parse once for whichever
// cacheable parser comes first, and that must stay the strict one.
var lenient = &template.TextParser{Funcs: texttemplate.FuncMap{}}

// Bundle holds every message in every loaded language. It is read-only after
// Load and safe for concurrent use.
type Bundle struct {
	bundle     *goi18n.Bundle
	localizers map[string]*goi18n.Localizer
	// messages keeps the parsed source per language and id for the
	// completeness and consistency checks, which go-i18n does not expose.
	messages map[string]map[string]*goi18n.Message
}

// Load reads every <area>.<lang>.toml file at the root of fsys. Files of the
// same language are merged; an id defined twice in one language, a template
// that does not parse, a message without an "other" form, or no Indonesian
// file at all is an error naming the file.
func Load(fsys fs.FS) (*Bundle, error) {
	names, err := fs.Glob(fsys, "*.toml")
	if err != nil {
		return nil, fmt.Errorf("list message files: %w", err)
	}
	b := &Bundle{
		bundle:     goi18n.NewBundle(defaultTag),
		localizers: map[string]*goi18n.Localizer{},
		messages:   map[string]map[string]*goi18n.Message{},
	}
	definedIn := map[string]string{} // lang+"\x00"+id → file, to name both files of a duplicate
	for _, name := range names {
		if err := b.loadFile(fsys, name, definedIn); err != nil {
			return nil, fmt.Errorf("message file %s: %w", name, err)
		}
	}
	if _, ok := b.messages[Default]; !ok {
		return nil, fmt.Errorf("no %s.toml message file: the default language must be present", "*."+Default)
	}
	for lang := range b.messages {
		b.localizers[lang] = goi18n.NewLocalizer(b.bundle, lang)
	}
	return b, nil
}

func (b *Bundle) loadFile(fsys fs.FS, name string, definedIn map[string]string) error {
	parts := strings.Split(strings.TrimSuffix(path.Base(name), ".toml"), ".")
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return errors.New("name must be <area>.<lang>.toml")
	}
	tag, err := language.Parse(parts[1])
	if err != nil {
		return fmt.Errorf("language %q: %w", parts[1], err)
	}
	lang := tag.String()
	buf, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("read: %w", err)
	}
	msgs, err := goi18n.ParseMessageBytes(buf, toml.Unmarshal)
	if err != nil {
		return fmt.Errorf("parse: %w", err)
	}
	if b.messages[lang] == nil {
		b.messages[lang] = map[string]*goi18n.Message{}
	}
	for _, m := range msgs {
		key := lang + "\x00" + m.ID
		if other, dup := definedIn[key]; dup {
			return fmt.Errorf("message %q already defined in %s", m.ID, other)
		}
		definedIn[key] = name
		if m.Other == "" {
			return fmt.Errorf("message %q has no \"other\" text", m.ID)
		}
		if _, err := fields(m); err != nil {
			return fmt.Errorf("message %q: %w", m.ID, err)
		}
		b.messages[lang][m.ID] = m
	}
	if err := b.bundle.AddMessages(tag, msgs...); err != nil {
		return fmt.Errorf("add messages: %w", err)
	}
	return nil
}

// Langs lists the loaded languages, the default first.
func (b *Bundle) Langs() []string {
	langs := slices.Sorted(maps.Keys(b.messages))
	i := slices.Index(langs, Default)
	return append([]string{Default}, slices.Delete(langs, i, i+1)...)
}

// T renders message id in lang with data (a map or struct; templates read
// it as {{.Name}}).
func (b *Bundle) T(lang, id string, data any) string {
	return b.localize(lang, id, &goi18n.LocalizeConfig{MessageID: id, TemplateData: data})
}

// N renders the plural form of message id that fits count. When data is nil
// the template sees {{.PluralCount}}; otherwise data must carry the number
// itself if the text shows it.
func (b *Bundle) N(lang, id string, count int, data any) string {
	return b.localize(lang, id, &goi18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
}

func (b *Bundle) localize(lang, id string, lc *goi18n.LocalizeConfig) string {
	lang = b.lang(lang)
	loc := b.localizers[lang]
	lc.TemplateParser = strict
	msg, tag, err := loc.LocalizeWithTag(lc)
	var notFound *goi18n.MessageNotFoundErr
	switch {
	case err == nil:
		return msg
	case errors.As(err, &notFound) && tag == language.Und:
		slog.Warn("i18n: unknown message id", "id", id, "lang", lang)
		return id
	case errors.As(err, &notFound) && msg != "":
		// go-i18n fell back to the Indonesian text: a gap Missing reports.
		slog.Warn("i18n: message missing in language, said in Indonesian", "id", id, "lang", lang)
		return msg
	}
	slog.Error("i18n: message does not render with the data given", "id", id, "lang", lang, "err", err)
	lc.TemplateParser = lenient
	if msg, err := loc.Localize(lc); err == nil {
		return msg
	}
	return id
}

// lang picks the loaded language for a member's stored or typed preference.
func (b *Bundle) lang(lang string) string {
	if _, ok := b.localizers[lang]; ok {
		return lang
	}
	if n := Normalize(lang); n != "" {
		if _, ok := b.localizers[n]; ok {
			return n
		}
	}
	return Default
}

// Has reports whether id exists in every loaded language.
func (b *Bundle) Has(id string) bool {
	for _, msgs := range b.messages {
		if _, ok := msgs[id]; !ok {
			return false
		}
	}
	return true
}

// IDs lists every message id of any language, sorted.
func (b *Bundle) IDs() []string {
	set := map[string]bool{}
	for _, msgs := range b.messages {
		for id := range msgs {
			set[id] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// Missing maps each language that lacks messages to the sorted ids some other
// language has; it is empty when the translations are complete.
func (b *Bundle) Missing() map[string][]string {
	all := b.IDs()
	missing := map[string][]string{}
	for lang, msgs := range b.messages {
		for _, id := range all {
			if _, ok := msgs[id]; !ok {
				missing[lang] = append(missing[lang], id)
			}
		}
	}
	return missing
}

// Check reports defects that loading tolerates but a member would see: a
// translation whose placeholders differ from the Indonesian text's (an
// English {{.Nama}} for an Indonesian {{.Name}} renders "<no value>"), or a
// template that fails when executed with a placeholder for each field.
func (b *Bundle) Check() error {
	var errs []error
	for _, lang := range b.Langs() {
		for _, id := range slices.Sorted(maps.Keys(b.messages[lang])) {
			if err := b.check(lang, id); err != nil {
				errs = append(errs, fmt.Errorf("%s %q: %w", lang, id, err))
			}
		}
	}
	return errors.Join(errs...)
}

func (b *Bundle) check(lang, id string) error {
	m := b.messages[lang][id]
	got, err := fields(m)
	if err != nil {
		return err
	}
	if ref, ok := b.messages[Default][id]; ok && lang != Default {
		want, err := fields(ref)
		if err != nil {
			return fmt.Errorf("Indonesian text: %w", err)
		}
		if !slices.Equal(got, want) {
			return fmt.Errorf("placeholders %v differ from Indonesian %v", got, want)
		}
	}
	data := placeholders(got)
	for _, form := range forms(m) {
		t, err := strict.Parse(form, m.LeftDelim, m.RightDelim)
		if err != nil {
			return err
		}
		if _, err := t.Execute(data); err != nil {
			return err
		}
	}
	return nil
}

// placeholders builds template data with a "<Field>" string for every field
// path, nesting maps for paths like Loan.Due.
func placeholders(paths []string) map[string]any {
	data := map[string]any{}
	for _, p := range paths {
		m, parts := data, strings.Split(p, ".")
		for _, part := range parts[:len(parts)-1] {
			next, ok := m[part].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[part] = next
			}
			m = next
		}
		if _, ok := m[parts[len(parts)-1]]; !ok {
			m[parts[len(parts)-1]] = "<" + p + ">"
		}
	}
	return data
}

// forms lists the message's non-empty plural texts.
func forms(m *goi18n.Message) []string {
	var out []string
	for _, s := range []string{m.Zero, m.One, m.Two, m.Few, m.Many, m.Other} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// fields lists, sorted, the data fields ({{.Name}} → "Name", {{.Loan.Due}} →
// "Loan.Due") the message's plural texts read, failing when a text is not a
// valid template.
func fields(m *goi18n.Message) ([]string, error) {
	set := map[string]bool{}
	for _, form := range forms(m) {
		left, right := m.LeftDelim, m.RightDelim
		if left == "" {
			left = "{{"
		}
		if right == "" {
			right = "}}"
		}
		trees, err := parse.Parse("msg", form, left, right, builtinFuncs)
		if err != nil {
			return nil, fmt.Errorf("template: %w", err)
		}
		for _, t := range trees {
			walk(t.Root, func(n parse.Node) {
				if f, ok := n.(*parse.FieldNode); ok {
					set[strings.Join(f.Ident, ".")] = true
				}
			})
		}
	}
	return slices.Sorted(maps.Keys(set)), nil
}

// builtinFuncs names text/template's predefined functions so parse.Parse
// accepts them; the values are never called.
var builtinFuncs = func() map[string]any {
	m := map[string]any{}
	for _, name := range []string{"and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf", "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne"} {
		m[name] = fmt.Sprint
	}
	return m
}()

// walk visits every node of a template tree that can hold a field reference.
func walk(n parse.Node, visit func(parse.Node)) {
	if n == nil {
		return
	}
	visit(n)
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walk(c, visit)
		}
	case *parse.ActionNode:
		walk(n.Pipe, visit)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			walk(c, visit)
		}
	case *parse.CommandNode:
		for _, a := range n.Args {
			walk(a, visit)
		}
	case *parse.ChainNode:
		walk(n.Node, visit)
	case *parse.IfNode:
		walkBranch(&n.BranchNode, visit)
	case *parse.RangeNode:
		walkBranch(&n.BranchNode, visit)
	case *parse.WithNode:
		walkBranch(&n.BranchNode, visit)
	case *parse.TemplateNode:
		walk(n.Pipe, visit)
	}
}

func walkBranch(n *parse.BranchNode, visit func(parse.Node)) {
	walk(n.Pipe, visit)
	walk(n.List, visit)
	walk(n.ElseList, visit)
}

// Normalize maps the ways a member names a language to its code ("bahasa
// indonesia" → "id", "Inggris" → "en"), or "" when it is not one kopbot
// speaks.
func Normalize(lang string) string {
	switch strings.Join(strings.Fields(strings.ToLower(lang)), " ") {
	case "id", "ind", "in", "indonesia", "bahasa indonesia", "indonesian":
		return "id"
	case "en", "eng", "english", "inggris", "bahasa inggris":
		return "en"
	}
	return ""
}
