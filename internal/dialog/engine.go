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
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/kopmem/kopbot/internal/understand"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Schema is the dialog state table's migrations.
var Schema = store.EmbeddedSchema("dialog", migrations, "migrations")

// Messages the engine itself says.
const (
	msgCancelled       = "dialog.cancelled"
	msgFallback        = "understand.fallback"
	msgFallbackSuggest = "understand.fallback.suggest"
	msgOfferEnglish    = "understand.offer_english"
)

// ServedFallback is what a turn served when nothing fitted, besides the
// flows a turn may start.
const ServedFallback = "fallback"

// prefilled is the slot listing the slots a message filled before their
// question was asked; each is taken, once, when its step comes.
const prefilled = "_prefilled"

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
	words    *understand.Understander
	flows    map[string]*Flow
	keywords map[string]string
	menu     *Flow
	reg      *Registry
	msgs     Localizer
	opts     Options
}

// New loads and validates the flows in fsys, and their vocabularies,
// against the registry's actions and the localizer's messages.
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
	ids := make([]string, len(flows))
	for i, fl := range flows {
		ids[i] = fl.ID
	}
	words, err := understand.New(fsys, ids)
	if err != nil {
		return nil, fmt.Errorf("invalid vocabulary: %w", err)
	}
	e := &Engine{words: words, flows: map[string]*Flow{}, keywords: map[string]string{}, reg: reg, msgs: msgs, opts: opts}
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
	// Asked is that an officer waits for the member's answer (read with
	// the member): only then is a message offered to the Catch flows.
	Asked bool
	Text  string
	// Meaning is what Text says, read by Understand before the
	// transaction; nil has the engine read it.
	Meaning *understand.Meaning
	Now     time.Time
}

// Answer is a turn's reply and what it served: the flows started, or
// ServedFallback. File is what an action gave to send with Text.
type Answer struct {
	Text   string
	Served []string
	File   *channel.Attachment
}

// Understand reads what a member wrote; it touches no database, so the
// router calls it before opening the write transaction.
func (e *Engine) Understand(text string) understand.Meaning { return e.words.Read(text) }

type state struct {
	Flow  string
	Step  string
	Slots map[string]string
}

// turn carries one message's work: what is said and the data it is said with.
type turn struct {
	e      *Engine
	env    Env
	m      *understand.Meaning
	data   map[string]any
	said   []string
	served []string
	file   *channel.Attachment
	asked  bool
}

// Handle answers one message and returns the reply text (one message, so a
// member on a slow WhatsApp line gets one bubble per question).
func (e *Engine) Handle(ctx context.Context, t Turn) (Answer, error) {
	st, active, stored, err := e.load(ctx, t)
	if err != nil {
		return Answer{}, err
	}
	if t.Meaning == nil {
		m := e.Understand(t.Text)
		t.Meaning = &m
	}
	tr := &turn{e: e, m: t.Meaning, asked: t.Asked, env: Env{Q: t.Q, MessageID: t.MessageID, Member: t.Member, Lang: t.Member.Lang, Slots: st.Slots, Now: t.Now}}
	tr.data = map[string]any{"Name": t.Member.Name}
	next, err := tr.dispatch(ctx, st, active, t.Text)
	if err != nil {
		return Answer{}, err
	}
	// Most messages (a balance, a statement) open no dialog and find none:
	// there is nothing to close.
	if next.Flow != "" || stored {
		if err := e.save(ctx, t, next); err != nil {
			return Answer{}, err
		}
	}
	return Answer{Text: strings.Join(tr.said, "\n\n"), Served: tr.served, File: tr.file}, nil
}

// dispatch decides what the text means and walks the flows; it returns the
// state to keep (Flow empty when no dialog is open).
func (tr *turn) dispatch(ctx context.Context, st state, active bool, text string) (state, error) {
	norm := normalize(text)
	if active {
		if cur := tr.e.step(st.Flow, st.Step); cur != nil {
			return tr.inDialog(ctx, st, cur, norm, text)
		}
	}
	return tr.fresh(ctx, norm, text)
}

// fresh reads a message that answers no question: a keyword, a number from
// the main menu, or whatever the understanding found in it.
func (tr *turn) fresh(ctx context.Context, norm, text string) (state, error) {
	if fid, ok := tr.e.keywords[norm]; ok {
		return tr.start(ctx, fid, "", false)
	}
	// "mutasi maret" is the statement of March; "mutasi dan saldo" asks
	// for two things, which the understanding found.
	if fid, rest, ok := tr.e.keywordWithRest(norm); ok && len(tr.m.Flows) < 2 {
		return tr.start(ctx, fid, rest, false)
	}
	// Outside a dialog a bare "1" picks from the main menu.
	first := &tr.e.menu.Steps[0]
	if a, bad, _ := parse(first, text, tr.m, tr.env.Lang); bad == "" {
		return tr.answer(ctx, state{Flow: tr.e.menu.ID, Step: first.ID, Slots: map[string]string{}}, first, a)
	}
	// A flow waiting for free words (an officer's question) takes them
	// before any guess at what they ask for: the member was asked, and is
	// shown what was passed on.
	if tr.asked {
		if st, caught, err := tr.catch(ctx, text); err != nil || caught {
			return st, err
		}
	}
	if tr.m.English && tr.env.Lang != "en" {
		defer tr.say(msgOfferEnglish)
		tr.env.Lang = "en"
	}
	if tr.m.Greeting != "" {
		tr.say(understand.GreetingMessage(tr.m.Greeting))
	}
	return tr.serve(ctx, tr.m.Flows)
}

// inDialog reads text as the answer to the step the dialog waits on. A
// free-text answer is taken as typed unless the whole message is a
// keyword, so "bayar cicilan motor" stays a purpose; other answers are
// read first, and only what is not an answer may leave the dialog. A bare
// number is always an answer: "0" does not leave a loan request.
func (tr *turn) inDialog(ctx context.Context, st state, cur *Step, norm, text string) (state, error) {
	leave := func() (string, bool) {
		if fid, ok := tr.e.keywords[norm]; ok && !isNumber(norm) {
			return fid, true
		}
		if cur.Input != inputText && len(tr.m.Flows) > 0 && tr.e.flows[tr.m.Flows[0]] != nil && !isNumber(norm) {
			return tr.m.Flows[0], true
		}
		return "", false
	}
	if cur.Input == inputText {
		if fid, ok := tr.e.keywords[norm]; ok && !isNumber(norm) {
			return tr.start(ctx, fid, "", true)
		}
	}
	a, bad, data := parse(cur, text, tr.m, tr.env.Lang)
	switch {
	case bad == "":
		return tr.answer(ctx, st, cur, a)
	case containsWord(cancelWords, norm):
		tr.say(msgCancelled)
		return state{}, nil
	}
	if fid, ok := leave(); ok {
		return tr.start(ctx, fid, "", true)
	}
	// The main menu waits for a number, but a sentence typed at it is a
	// message of its own: the short fallback, not "pilihan itu belum
	// kami kenali" and the whole menu again.
	if tr.e.flows[st.Flow].Menu && !isNumber(norm) {
		return tr.fresh(ctx, norm, text)
	}
	// Asking again re-enters the step, so its action recomputes what
	// the question shows; actions on input steps must be repeatable.
	tr.sayWith(bad, data)
	return tr.walk(ctx, st)
}

func isNumber(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

// serve starts what the message asks for: one flow, or several that only
// show something ("saldo dan tagihan"); the fallback when nothing fits.
func (tr *turn) serve(ctx context.Context, flows []string) (state, error) {
	if len(flows) == 0 {
		tr.fallback()
		return state{}, nil
	}
	var st state
	var err error
	for i, fid := range flows {
		if tr.e.flows[fid] == nil {
			continue
		}
		if st, err = tr.start(ctx, fid, "", tr.m.Confirm && i == 0); err != nil || st.Flow != "" {
			return st, err
		}
	}
	return st, nil
}

// fallback answers a message that fits nothing: two lines, with the
// closest request when there is one, never the whole menu.
func (tr *turn) fallback() {
	tr.served = append(tr.served, ServedFallback)
	for _, fid := range tr.m.Suggest {
		fl := tr.e.flows[fid]
		if fl == nil || fl.Title == "" {
			continue
		}
		if key := tr.e.menuKey(fl.ID); key != "" {
			tr.sayWith(msgFallbackSuggest, map[string]any{"Title": tr.e.msgs.T(tr.env.Lang, fl.Title, nil), "Key": key})
			return
		}
	}
	tr.say(msgFallback)
}

// menuKey is the main menu's number for a flow, "" when it has none.
func (e *Engine) menuKey(flowID string) string {
	for _, c := range e.menu.Steps[0].Choices {
		if c.Flow == flowID {
			return c.Key
		}
	}
	return ""
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

// start enters a flow; rest is what followed its keyword, for a flow that
// takes it. guessed is true when the member did not name the flow in so
// many words, and a flow with a Confirm step then starts there. The
// message's figures fill the slots their questions would ask for.
func (tr *turn) start(ctx context.Context, flowID, rest string, guessed bool) (state, error) {
	fl := tr.e.flows[flowID]
	tr.served = append(tr.served, fl.ID)
	clear(tr.env.Slots)
	var pre []string
	for k, v := range tr.m.Slots {
		tr.env.Slots[k] = v
		pre = append(pre, k)
	}
	if len(pre) > 0 {
		slices.Sort(pre)
		tr.env.Slots[prefilled] = strings.Join(pre, ",")
	}
	if fl.Rest != "" {
		// The file word of "mutasi maret excel" is in the file slot already.
		tr.env.Slots[fl.Rest] = tr.e.words.Unmarked(rest)
	}
	step := fl.Steps[0].ID
	if guessed && fl.Confirm != "" {
		step = fl.Confirm
	}
	return tr.walk(ctx, state{Flow: fl.ID, Step: step, Slots: tr.env.Slots})
}

// takePrefilled reports that slot was filled by the message that started
// the flow and has not been used yet, and marks it used.
func takePrefilled(slots map[string]string, slot string) bool {
	list := strings.Split(slots[prefilled], ",")
	i := slices.Index(list, slot)
	if slot == "" || i < 0 {
		return false
	}
	list = slices.Delete(list, i, i+1)
	if len(list) == 0 {
		delete(slots, prefilled)
	} else {
		slots[prefilled] = strings.Join(list, ",")
	}
	return slots[slot] != ""
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
			tr.served = append(tr.served, fl.ID)
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
			if out.File != nil {
				tr.file = out.File
			}
			// A branch replaces the step: its messages are for the usual case.
			if to, ok := step.On[out.Name]; ok {
				st.Step = to
				continue
			}
		}
		if step.Input != "" && takePrefilled(st.Slots, step.Save) {
			// answered in the first message: go on without asking
			if step.Next == "" {
				return state{}, nil
			}
			st.Step = step.Next
			continue
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
