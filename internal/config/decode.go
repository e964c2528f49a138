package config

import (
	"encoding"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Problem is one thing wrong with the settings, placed where the treasurer
// can fix it: a line of the config file, an environment variable, or (for a
// value nobody set) just the key.
type Problem struct {
	File string // the config file, when the value came from it
	Line int    // 1-based line in File; 0 when not known
	Env  string // the environment variable the value came from
	Key  string // "loan.products[1].rate_per_month"; "" for a TOML syntax error
	Err  error
}

func (p *Problem) Error() string {
	var b strings.Builder
	switch {
	case p.Env != "":
		fmt.Fprintf(&b, "%s: ", p.Env)
	case p.File != "" && p.Line > 0:
		fmt.Fprintf(&b, "%s:%d: ", p.File, p.Line)
	case p.File != "":
		fmt.Fprintf(&b, "%s: ", p.File)
	}
	if p.Key != "" {
		fmt.Fprintf(&b, "%s: ", p.Key)
	}
	b.WriteString(p.Err.Error())
	return b.String()
}

func (p *Problem) Unwrap() error { return p.Err }

// keyPath names a setting: table keys, with "[i]" elements after an array of
// tables. The same path gives the message key, the env name and the line.
type keyPath []string

func (k keyPath) String() string {
	var b strings.Builder
	for i, e := range k {
		if i > 0 && !strings.HasPrefix(e, "[") {
			b.WriteByte('.')
		}
		b.WriteString(e)
	}
	return b.String()
}

func (k keyPath) key(name string) keyPath { return append(k[:len(k):len(k)], name) }
func (k keyPath) index(i int) keyPath     { return k.key("[" + strconv.Itoa(i) + "]") }

// envName is the rule every setting follows: KOPBOT_, then the key path
// joined by "_", upper case ("loan.plafon_multiple" → KOPBOT_LOAN_PLAFON_MULTIPLE).
func (k keyPath) envName() string {
	return "KOPBOT_" + strings.ToUpper(strings.Join(k, "_"))
}

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

// isScalar reports whether a setting of type t is one value: the setting
// types of this package and slog.Level read themselves from text.
func isScalar(t reflect.Type) bool {
	if reflect.PointerTo(t).Implements(textUnmarshaler) {
		return true
	}
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int64, reflect.Float64:
		return true
	}
	return false
}

// tomlName is a struct field's setting name, if it is a setting.
func tomlName(f reflect.StructField) (string, bool) {
	name := f.Tag.Get("toml")
	return name, f.IsExported() && name != "" && name != "-"
}

// scalars calls fn, in field order, for every setting an environment
// variable can set: the scalars and lists of scalars, not the arrays of
// tables.
func scalars(v reflect.Value, path keyPath, fn func(keyPath, reflect.Value)) {
	for i := range v.NumField() {
		name, ok := tomlName(v.Type().Field(i))
		f := v.Field(i)
		switch {
		case !ok:
		case isScalar(f.Type()), f.Kind() == reflect.Slice && isScalar(f.Type().Elem()):
			fn(path.key(name), f)
		case f.Kind() == reflect.Struct:
			scalars(f, path.key(name), fn)
		}
	}
}

// setText sets a scalar, or a comma-separated list of scalars, from text:
// the one way both the file and the environment set a value, so "8s" means
// the same in both.
func setText(v reflect.Value, s string) error {
	if u, ok := v.Addr().Interface().(encoding.TextUnmarshaler); ok {
		return u.UnmarshalText([]byte(s))
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		b, err := strconv.ParseBool(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("%q: want true or false", s)
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, v.Type().Bits())
		if err != nil {
			return fmt.Errorf("%q: want a whole number", s)
		}
		v.SetInt(n)
	case reflect.Float64:
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return fmt.Errorf("%q: want a number", s)
		}
		v.SetFloat(f)
	case reflect.Slice:
		var parts []string
		if strings.TrimSpace(s) != "" {
			parts = strings.Split(s, ",")
		}
		list := reflect.MakeSlice(v.Type(), len(parts), len(parts))
		for i, p := range parts {
			if err := setText(list.Index(i), strings.TrimSpace(p)); err != nil {
				return fmt.Errorf("item %d: %w", i+1, err)
			}
		}
		v.Set(list)
	default:
		// Only reachable by adding a setting of a new kind to Config.
		panic(fmt.Sprintf("config: no text form for %s", v.Type()))
	}
	return nil
}

// tomlText turns a TOML value into the text setText reads, so a value may
// be written as a number or a string alike: 25 and "25", 0.015 and "1,5%".
func tomlText(data any) (string, error) {
	switch d := data.(type) {
	case string:
		return d, nil
	case int64:
		return strconv.FormatInt(d, 10), nil
	case float64:
		return strconv.FormatFloat(d, 'f', -1, 64), nil
	case bool:
		return strconv.FormatBool(d), nil
	}
	return "", fmt.Errorf("want a single value, not %s", tomlKind(data))
}

func tomlKind(data any) string {
	switch reflect.ValueOf(data).Kind() {
	case reflect.Map:
		return "a table"
	case reflect.Slice:
		return "a list"
	}
	return fmt.Sprintf("%T", data)
}

// refused are keys that must not be in the file, with what to do instead:
// config files get copied, mailed and committed, secrets must not travel
// with them.
var refused = map[string]string{
	"telegram.token": "the bot token is never read from the config file; " +
		"set KOPBOT_TELEGRAM_TOKEN or put it in a file named by telegram.token_file",
	"telegram.webhook_secret": "the webhook secret is never read from the config file; " +
		"set KOPBOT_TELEGRAM_WEBHOOK_SECRET or put it in a file named by telegram.webhook_secret_file",
}

// decode sets v from the TOML value data found at path. Problems are
// collected, not returned, so one run lists everything to fix.
func (l *loader) decode(v reflect.Value, data any, path keyPath) {
	switch {
	case isScalar(v.Type()):
		s, err := tomlText(data)
		if err == nil {
			err = setText(v, s)
		}
		if err != nil {
			l.fileProblem(path, err)
		}
	case v.Kind() == reflect.Slice:
		items := reflect.ValueOf(data)
		if items.Kind() != reflect.Slice {
			l.fileProblem(path, fmt.Errorf("want a list, not %s", tomlKind(data)))
			return
		}
		list := reflect.MakeSlice(v.Type(), items.Len(), items.Len())
		for i := range items.Len() {
			l.decode(list.Index(i), items.Index(i).Interface(), path.index(i))
		}
		v.Set(list)
	case v.Kind() == reflect.Struct:
		table, ok := data.(map[string]any)
		if !ok {
			l.fileProblem(path, fmt.Errorf("want a table, not %s", tomlKind(data)))
			return
		}
		fields := map[string]int{}
		for i := range v.NumField() {
			if name, ok := tomlName(v.Type().Field(i)); ok {
				fields[name] = i
			}
		}
		for name, val := range table {
			i, ok := fields[name]
			if !ok {
				l.unknown(path.key(name))
				continue
			}
			l.decode(v.Field(i), val, path.key(name))
		}
	default:
		panic(fmt.Sprintf("config: cannot decode into %s", v.Type()))
	}
}

func (l *loader) unknown(path keyPath) {
	msg, ok := refused[path.String()]
	if !ok {
		msg = "unknown setting (misspelt, or in the wrong [section]?)"
	}
	l.fileProblem(path, fmt.Errorf("%s", msg))
}

// lineOf finds the line of the config file that sets path, or 0. The TOML
// decoder keeps key positions to itself (and reports the last entry's line
// for every entry of an array of tables), so this follows table headers,
// counts array-of-tables entries, and matches plain and dotted keys. A key
// inside a multi-line string can fool it; the message then still names the
// key.
func lineOf(src string, path keyPath) int {
	var table keyPath
	entries := map[string]int{}
	for n, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		var full keyPath
		switch {
		case strings.HasPrefix(line, "[["):
			name, _, _ := strings.Cut(line[2:], "]]")
			k := splitKey(name)
			table = k.index(entries[k.String()])
			entries[k.String()]++
			full = table
		case strings.HasPrefix(line, "["):
			name, _, _ := strings.Cut(line[1:], "]")
			table = splitKey(name)
			full = table
		case strings.HasPrefix(line, "#"):
			continue
		default:
			name, _, ok := strings.Cut(line, "=")
			if !ok {
				continue
			}
			full = append(table[:len(table):len(table)], splitKey(name)...)
		}
		if len(full) >= len(path) && slices.Equal(full[:len(path)], path) {
			return n + 1
		}
	}
	return 0
}

func splitKey(s string) keyPath {
	parts := strings.Split(s, ".")
	for i, p := range parts {
		parts[i] = strings.Trim(strings.TrimSpace(p), `"'`)
	}
	return parts
}
