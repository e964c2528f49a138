package dialog

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Schema is the dialog state table's migrations.
var Schema = store.EmbeddedSchema("dialog", migrations, "migrations")

// Messages the engine itself says.
const (
	msgNotUnderstood = "dialog.not_understood"
	msgCancelled     = "dialog.cancelled"
)

// Words that leave any dialog. STOP is not among them: it belongs to the
// reminder opt-out.
var cancelWords = []string{"batal", "batalkan", "cancel", "keluar", "exit"}

// maxStepsPerTurn bounds the steps one message may walk through; validation
// already refuses silent loops, this guards against a bug in that check.
const maxStepsPerTurn = 32

// Localizer renders message ids in a language.
type Localizer interface {
	MessageChecker
	T(lang, id string, data any) string
}

// Options tune the engine.
type Options struct {
	// IdleAfter is how long a half-finished dialog waits for the member;
	// after that a message is read afresh, not as an answer to an old question.
	IdleAfter time.Duration
}

// Engine runs flows.
type Engine struct {
	flows    map[string]*Flow
	keywords map[string]string
	menu     *Flow
	reg      *Registry
	msgs     Localizer
	opts     Options
}

// New loads and validates the flows in fsys against the registry's actions
// and the localizer's messages.
func New(fsys fs.FS, reg *Registry, msgs Localizer, opts Options) (*Engine, error) {
	flows, err := LoadFlows(fsys)
	if err != nil {
		return nil, err
	}
	if err := validate(flows, reg, msgs); err != nil {
		return nil, fmt.Errorf("invalid flows: %w", err)
	}
	if opts.IdleAfter <= 0 {
		opts.IdleAfter = time.Hour
	}
	e := &Engine{flows: map[string]*Flow{}, keywords: map[string]string{}, reg: reg, msgs: msgs, opts: opts}
	for i := range flows {
		fl := &flows[i]
		e.flows[fl.ID] = fl
		for _, k := range fl.Keywords {
			e.keywords[normalize(k)] = fl.ID
		}
		if fl.Menu {
			e.menu = fl
		}
	}
	return e, nil
}

// Turn is one message to answer.
type Turn struct {
	// Q is the transaction the message is handled in.
	Q    store.Queryer
	Chat string
	// MessageID identifies the message being answered, for actions whose
	// effect must happen once per message (a loan request's key).
	MessageID string
	Member    member.Member
	Text      string
	Now       time.Time
}

type state struct {
	Flow  string
	Step  string
	Slots map[string]string
}

// turn carries one message's work: what is said and the data it is said with.
type turn struct {
	e    *Engine
	env  Env
	data map[string]any
	said []string
}

// Handle answers one message and returns the reply text (one message, so a
// member on a slow WhatsApp line gets one bubble per question).
func (e *Engine) Handle(ctx context.Context, t Turn) (string, error) {
	st, active, stored, err := e.load(ctx, t)
	if err != nil {
		return "", err
	}
	tr := &turn{e: e, env: Env{Q: t.Q, MessageID: t.MessageID, Member: t.Member, Lang: t.Member.Lang, Slots: st.Slots, Now: t.Now}}
	tr.data = map[string]any{"Name": t.Member.Name}
	next, err := tr.dispatch(ctx, st, active, t.Text)
	if err != nil {
		return "", err
	}
	// Most messages (a balance, a statement) open no dialog and find none:
	// there is nothing to close.
	if next.Flow != "" || stored {
		if err := e.save(ctx, t, next); err != nil {
			return "", err
		}
	}
	return strings.Join(tr.said, "\n\n"), nil
}

// dispatch decides what the text means and walks the flows; it returns the
// state to keep (Flow empty when no dialog is open).
func (tr *turn) dispatch(ctx context.Context, st state, active bool, text string) (state, error) {
	norm := normalize(text)
	var cur *Step
	if active {
		cur = tr.e.step(st.Flow, st.Step)
	}
	switch {
	case cur != nil && containsWord(cancelWords, norm):
		tr.say(msgCancelled)
		return state{}, nil
	}
	// A keyword wins even inside a dialog: a member who types "saldo" while
	// asked for a loan purpose wants their balance, not a loan "for saldo".
	if fid, ok := tr.e.keywords[norm]; ok {
		return tr.start(ctx, fid, "")
	}
	if fid, rest, ok := tr.e.keywordWithRest(norm); ok && cur == nil {
		return tr.start(ctx, fid, rest)
	}
	if cur != nil {
		a, bad, data := parse(cur, text, tr.env.Lang)
		if bad == "" {
			return tr.answer(ctx, st, cur, a)
		}
		// Asking again re-enters the step, so its action recomputes what
		// the question shows; actions on input steps must be repeatable.
		tr.sayWith(bad, data)
		return tr.walk(ctx, st)
	}
	// Outside a dialog a bare "1" picks from the main menu.
	first := &tr.e.menu.Steps[0]
	if a, bad, _ := parse(first, text, tr.env.Lang); bad == "" {
		return tr.answer(ctx, state{Flow: tr.e.menu.ID, Step: first.ID, Slots: map[string]string{}}, first, a)
	}
	tr.say(msgNotUnderstood)
	return tr.start(ctx, tr.e.menu.ID, "")
}

// keywordWithRest finds the longest keyword that starts norm and belongs to
// a flow taking the words after it. Only outside a dialog: inside one, "riwayat
// sakit" may well be the answer to the question asked.
func (e *Engine) keywordWithRest(norm string) (flowID, rest string, ok bool) {
	words := strings.Fields(norm)
	for i := len(words) - 1; i > 0; i-- {
		if fid, found := e.keywords[strings.Join(words[:i], " ")]; found && e.flows[fid].Rest != "" {
			return fid, strings.Join(words[i:], " "), true
		}
	}
	return "", "", false
}

func (tr *turn) start(ctx context.Context, flowID, rest string) (state, error) {
	fl := tr.e.flows[flowID]
	clear(tr.env.Slots)
	if fl.Rest != "" {
		tr.env.Slots[fl.Rest] = rest
	}
	return tr.walk(ctx, state{Flow: fl.ID, Step: fl.Steps[0].ID, Slots: tr.env.Slots})
}

func (tr *turn) answer(ctx context.Context, st state, cur *Step, a answer) (state, error) {
	tr.env.Slots = st.Slots
	if cur.Save != "" {
		st.Slots[cur.Save] = a.value
	}
	next := cur.Next
	switch {
	case a.choice != nil:
		maps.Copy(st.Slots, a.choice.Set)
		if a.choice.Flow != "" {
			fl := tr.e.flows[a.choice.Flow]
			return tr.walk(ctx, state{Flow: fl.ID, Step: fl.Steps[0].ID, Slots: st.Slots})
		}
		if a.choice.Next != "" {
			next = a.choice.Next
		}
	case cur.Input == inputYesNo && a.yes && cur.Yes != "":
		next = cur.Yes
	case cur.Input == inputYesNo && !a.yes && cur.No != "":
		next = cur.No
	}
	if next == "" {
		return state{}, nil
	}
	st.Step = next
	return tr.walk(ctx, st)
}

// walk enters st.Step and goes on through steps that need no answer, until
// one waits for input or the flow ends.
func (tr *turn) walk(ctx context.Context, st state) (state, error) {
	tr.env.Slots = st.Slots
	for range maxStepsPerTurn {
		step := tr.e.step(st.Flow, st.Step)
		next := step.Next
		if step.Action != "" {
			out, err := tr.e.reg.actions[step.Action].fn(ctx, &tr.env)
			if err != nil {
				return state{}, fmt.Errorf("flow %s step %s action %s: %w", st.Flow, st.Step, step.Action, err)
			}
			maps.Copy(tr.data, out.Data)
			// A branch replaces the step: its messages are for the usual case.
			if to, ok := step.On[out.Name]; ok {
				st.Step = to
				continue
			}
		}
		tr.say(step.Say...)
		if step.Input != "" {
			return st, nil
		}
		if next == "" {
			return state{}, nil
		}
		st.Step = next
	}
	return state{}, fmt.Errorf("flow %s: more than %d steps in one turn", st.Flow, maxStepsPerTurn)
}

func (tr *turn) say(ids ...string) {
	for _, id := range ids {
		tr.sayWith(id, nil)
	}
}

func (tr *turn) sayWith(id string, extra map[string]any) {
	data := make(map[string]any, len(tr.data)+len(tr.env.Slots)+len(extra))
	for k, v := range tr.env.Slots {
		data[k] = v
	}
	maps.Copy(data, tr.data)
	maps.Copy(data, extra)
	tr.said = append(tr.said, tr.e.msgs.T(tr.env.Lang, id, data))
}

func (e *Engine) step(flowID, stepID string) *Step {
	fl, ok := e.flows[flowID]
	if !ok {
		return nil
	}
	for i := range fl.Steps {
		if fl.Steps[i].ID == stepID {
			return &fl.Steps[i]
		}
	}
	return nil
}

// load reads the chat's open dialog; stored reports that the chat has a
// row. A dialog that has lapsed, or whose step no longer exists after a
// flow was edited, counts as none.
func (e *Engine) load(ctx context.Context, t Turn) (st state, active, stored bool, err error) {
	var slots, updated string
	err = t.Q.QueryRowContext(ctx, `SELECT flow, step, slots, updated_at FROM dialog_state WHERE chat = ?`, t.Chat).
		Scan(&st.Flow, &st.Step, &slots, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return state{Slots: map[string]string{}}, false, false, nil
	}
	if err != nil {
		return state{}, false, false, fmt.Errorf("load dialog of %s: %w", t.Chat, err)
	}
	if err := json.Unmarshal([]byte(slots), &st.Slots); err != nil || st.Slots == nil {
		st.Slots = map[string]string{}
	}
	at, err := time.Parse(time.RFC3339Nano, updated)
	if err != nil || t.Now.Sub(at) > e.opts.IdleAfter || e.step(st.Flow, st.Step) == nil {
		return state{Slots: map[string]string{}}, false, true, nil
	}
	return st, true, true, nil
}

func (e *Engine) save(ctx context.Context, t Turn, st state) error {
	if st.Flow == "" {
		if _, err := t.Q.ExecContext(ctx, `DELETE FROM dialog_state WHERE chat = ?`, t.Chat); err != nil {
			return fmt.Errorf("close dialog of %s: %w", t.Chat, err)
		}
		return nil
	}
	slots, err := json.Marshal(st.Slots)
	if err != nil {
		return fmt.Errorf("save dialog of %s: %w", t.Chat, err)
	}
	if _, err := t.Q.ExecContext(ctx, `INSERT INTO dialog_state (chat, flow, step, slots, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (chat) DO UPDATE SET flow = excluded.flow, step = excluded.step, slots = excluded.slots, updated_at = excluded.updated_at`,
		t.Chat, st.Flow, st.Step, string(slots), store.Stamp(t.Now)); err != nil {
		return fmt.Errorf("save dialog of %s: %w", t.Chat, err)
	}
	return nil
}
