package dialog

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/kopmem/kopbot/internal/i18n"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/store"
)

const testMessages = `
["menu.main"]
other = "MENU {{.Name}}"
["menu.bad"]
other = "BAD CHOICE"
["shop.ask"]
other = "HOW MUCH"
["shop.confirm"]
other = "BUY {{.amount}}? {{.Hint}}"
["shop.done"]
other = "BOUGHT {{.amount}} {{.Receipt}}"
["shop.refused"]
other = "REFUSED"
["shop.kept"]
other = "KEPT"
["help.text"]
other = "HELP"
["look.text"]
other = "SEE [{{.what}}]"
["amount.error.empty"]
other = "AMT empty"
["amount.error.not_a_number"]
other = "AMT nan"
["amount.error.ambiguous"]
other = "AMT ambiguous"
["amount.error.negative"]
other = "AMT negative"
["amount.error.zero"]
other = "AMT zero"
["amount.error.fraction"]
other = "AMT fraction"
["amount.error.too_large"]
other = "AMT large {{.Max}}"
["understand.fallback"]
other = "HUH"
["dialog.cancelled"]
other = "CANCELLED"
["dialog.invalid.choice"]
other = "PICK ONE"
["dialog.invalid.yesno"]
other = "YES OR NO"
["dialog.invalid.number"]
other = "NUMBER {{.Min}}-{{.Max}}"
["dialog.invalid.text"]
other = "TEXT {{.Max}}"
`

// testWords is the smallest vocabulary the engine starts with.
const testWords = `
lang = "id"
yes = ["ya", "iya"]
no = ["tidak"]
[concepts]
bantuan = ["bantuan", "tolong"]
`

const testIntents = `
[[intent]]
flow = "help"
when = [["bantuan"]]
`

var testFlows = fstest.MapFS{
	"words/id.toml":      {Data: []byte(testWords)},
	"words/intents.toml": {Data: []byte(testIntents)},
	"menu.toml": {Data: []byte(`
id = "menu"
menu = true
keywords = ["menu"]
[[steps]]
id = "main"
say = ["menu.main"]
input = "choice"
invalid = "menu.bad"
  [[steps.choices]]
  key = "1"
  flow = "shop"
  [[steps.choices]]
  key = "2"
  words = ["tolong"]
  flow = "help"
`)},
	"help.toml": {Data: []byte(`
keywords = ["bantuan", "help"]
[[steps]]
id = "show"
say = ["help.text"]
`)},
	"look.toml": {Data: []byte(`
keywords = ["lihat", "lihat semua"]
rest = "what"
[[steps]]
id = "show"
say = ["look.text"]
`)},
	"shop.toml": {Data: []byte(`
keywords = ["beli"]
[[steps]]
id = "amount"
say = ["shop.ask"]
input = "amount"
save = "amount"
next = "confirm"
[[steps]]
id = "confirm"
action = "shop.quote"
say = ["shop.confirm"]
on = { refused = "refused" }
input = "yesno"
yes = "buy"
no = "kept"
[[steps]]
id = "buy"
action = "shop.buy"
say = ["shop.done"]
[[steps]]
id = "kept"
say = ["shop.kept"]
[[steps]]
id = "refused"
say = ["shop.refused"]
`)},
}

type fixture struct {
	db     *store.DB
	engine *Engine
	member member.Member
	bought *int
}

func newFixture(t *testing.T, flows fstest.MapFS) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "k.db"), store.Options{}, member.Schema, Schema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	msgs, err := i18n.Load(fstest.MapFS{"t.id.toml": {Data: []byte(testMessages)}})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, bought: new(int)}
	f.engine, err = New(flows, f.registry(), msgs, Options{IdleAfter: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Write(ctx, func(tx *sql.Tx) error {
		f.member, err = member.Create(ctx, tx, member.Member{Number: "A-1", Name: "Siti", Phone: "6281234567890",
			JoinedOn: time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC)})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) registry() *Registry {
	reg := NewRegistry()
	reg.Register("shop.quote", func(_ context.Context, env *Env) (Outcome, error) {
		if env.Slots["amount"] == "13" {
			return Outcome{Name: "refused"}, nil
		}
		return Outcome{Data: map[string]any{"Hint": "ya/tidak"}}, nil
	}, "refused")
	reg.Register("shop.buy", func(_ context.Context, env *Env) (Outcome, error) {
		*f.bought++
		return Outcome{Data: map[string]any{"Receipt": "R-" + env.Slots["amount"]}}, nil
	})
	return reg
}

func (f *fixture) say(t *testing.T, engine *Engine, text string, now time.Time) string {
	t.Helper()
	var reply string
	err := f.db.Write(context.Background(), func(tx *sql.Tx) error {
		a, err := engine.Handle(context.Background(), Turn{Q: tx, Chat: "console:x", Member: f.member, Text: text, Now: now})
		reply = a.Text
		return err
	})
	if err != nil {
		t.Fatalf("%q: %v", text, err)
	}
	return reply
}

func TestConversations(t *testing.T) {
	t.Parallel()
	type exchange struct{ in, want string }
	tests := []struct {
		name   string
		script []exchange
		bought int
	}{
		{"keyword starts a flow", []exchange{{"BANTUAN!", "HELP"}}, 0},
		{"number outside a dialog picks from the menu", []exchange{{"2", "HELP"}}, 0},
		{"choice word", []exchange{{"menu", "MENU Siti"}, {"tolong", "HELP"}}, 0},
		{"unknown text gets the menu politely", []exchange{{"asdf", "HUH"}}, 0},
		{"bad menu choice re-asks", []exchange{{"menu", "MENU Siti"}, {"9", "BAD CHOICE\n\nMENU Siti"}}, 0},
		{"whole purchase", []exchange{
			{"1", "HOW MUCH"},
			{"1,5 juta", "BUY 1500000? ya/tidak"},
			{"ya", "BOUGHT 1500000 R-1500000"},
		}, 1},
		{"bad amount explains and re-asks", []exchange{
			{"beli", "HOW MUCH"},
			{"-5", "AMT negative\n\nHOW MUCH"},
			{"500rb", "BUY 500000? ya/tidak"},
			{"mungkin", "YES OR NO\n\nBUY 500000? ya/tidak"},
			{"tidak", "KEPT"},
		}, 0},
		{"action outcome branches instead of the step", []exchange{{"beli", "HOW MUCH"}, {"13", "REFUSED"}}, 0},
		{"cancel at any step", []exchange{{"beli", "HOW MUCH"}, {"500rb", "BUY 500000? ya/tidak"}, {"Batal", "CANCELLED"}, {"ya", "HUH"}}, 0},
		{"keyword leaves a dialog", []exchange{{"beli", "HOW MUCH"}, {"help", "HELP"}}, 0},
		{"words after a keyword fill the rest slot", []exchange{{"Lihat  Bulan Lalu!", "SEE [bulan lalu]"}, {"lihat", "SEE []"}}, 0},
		{"the longest keyword takes the rest", []exchange{{"lihat semua maret", "SEE [maret]"}}, 0},
		// "help" is a keyword but not in the test vocabulary: only the keyword could start it
		{"a flow without rest takes no words", []exchange{{"help saya", "HUH"}}, 0},
		{"inside a dialog a keyword with words is an answer", []exchange{{"beli", "HOW MUCH"}, {"lihat 5", "AMT nan\n\nHOW MUCH"}}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, testFlows)
			now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
			for _, ex := range tc.script {
				if got := f.say(t, f.engine, ex.in, now); got != ex.want {
					t.Fatalf("%q → %q, want %q", ex.in, got, ex.want)
				}
				now = now.Add(time.Minute)
			}
			if *f.bought != tc.bought {
				t.Fatalf("bought %d times, want %d", *f.bought, tc.bought)
			}
		})
	}
}

func TestRestartMidDialogResumes(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testFlows)
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	f.say(t, f.engine, "beli", now)
	f.say(t, f.engine, "2 jt", now)
	// A new engine over the same database is what a restarted process has.
	msgs, err := i18n.Load(fstest.MapFS{"t.id.toml": {Data: []byte(testMessages)}})
	if err != nil {
		t.Fatal(err)
	}
	restarted, err := New(testFlows, f.registry(), msgs, Options{IdleAfter: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.say(t, restarted, "ya", now.Add(time.Minute)); got != "BOUGHT 2000000 R-2000000" {
		t.Fatalf("after restart: %q", got)
	}
}

func TestLapsedDialogIsForgotten(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testFlows)
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	f.say(t, f.engine, "beli", now)
	f.say(t, f.engine, "2 jt", now)
	if got := f.say(t, f.engine, "ya", now.Add(2*time.Hour)); got != "HUH" {
		t.Fatalf("a 'ya' two hours later was read as %q", got)
	}
	if *f.bought != 0 {
		t.Fatal("a lapsed confirmation bought")
	}
}

func TestValidationRefusesBrokenFlows(t *testing.T) {
	t.Parallel()
	msgs, err := i18n.Load(fstest.MapFS{"t.id.toml": {Data: []byte(testMessages)}})
	if err != nil {
		t.Fatal(err)
	}
	menu := testFlows["menu.toml"]
	tests := []struct {
		name, flow, want string
	}{
		{"unknown step", `[[steps]]
id = "a"
say = ["help.text"]
next = "nowhere"`, `unknown step "nowhere"`},
		{"unknown action", `[[steps]]
id = "a"
action = "rocket.launch"`, `unknown action "rocket.launch"`},
		{"missing message", `[[steps]]
id = "a"
say = ["no.such.message"]`, `message "no.such.message" is missing`},
		{"undeclared outcome", `[[steps]]
id = "a"
action = "shop.buy"
on = { exploded = "a" }`, `has no outcome "exploded"`},
		{"unknown input", `[[steps]]
id = "a"
say = ["help.text"]
input = "telepathy"`, `unknown input kind "telepathy"`},
		{"silent loop", `[[steps]]
id = "a"
say = ["help.text"]
next = "b"
[[steps]]
id = "b"
say = ["help.text"]
next = "a"`, "loops without waiting"},
		{"unknown setting", `[[steps]]
id = "a"
sya = ["help.text"]`, `unknown setting "steps.sya"`},
		{"catch without a branching action", `catch = true
[[steps]]
id = "a"
say = ["help.text"]
input = "text"
save = "x"`, "a catch flow must start with a text step"},
		{"keyword taken", `keywords = ["menu"]
[[steps]]
id = "a"
say = ["help.text"]`, `keyword "menu" already starts flow`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := &fixture{bought: new(int)}
			_, err := New(fstest.MapFS{"menu.toml": menu, "broken.toml": {Data: []byte(tc.flow)}}, f.registry(), msgs, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to mention %q", err, tc.want)
			}
		})
	}
}
