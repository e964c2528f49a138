package dialog

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/store"
)

// Env is what an action sees of the turn it runs in.
type Env struct {
	// Q runs inside the transaction that handles the message, so what an
	// action writes commits together with the replies it causes.
	Q store.Queryer
	// MessageID is the platform id of the message being answered.
	MessageID string
	Member    member.Member
	// Lang is the language the replies are rendered in; an action that
	// changes the member's language changes it here too.
	Lang  string
	Slots map[string]string
	Now   time.Time
}

// Outcome is what an action tells the engine: Name selects a branch of the
// step's On table ("" follows Next), Data fills the messages' templates.
type Outcome struct {
	Name string
	Data map[string]any
	// File, when set, goes with the turn's answer, its text the caption: a
	// statement asked for as a file.
	File *channel.Attachment
}

// Action does the work behind a step.
type Action func(ctx context.Context, env *Env) (Outcome, error)

type actionDef struct {
	fn       Action
	outcomes []string
}

// Registry holds the actions flows may name.
type Registry struct {
	actions map[string]actionDef
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{actions: map[string]actionDef{}} }

// Register adds an action under name, declaring the outcome names it may
// return besides "" so that flows branching on anything else fail at start.
func (r *Registry) Register(name string, fn Action, outcomes ...string) {
	if _, dup := r.actions[name]; dup {
		panic(fmt.Sprintf("dialog: action %q registered twice", name))
	}
	r.actions[name] = actionDef{fn: fn, outcomes: outcomes}
}

func (r *Registry) has(name, outcome string) (known, declared bool) {
	def, ok := r.actions[name]
	return ok, ok && slices.Contains(def.outcomes, outcome)
}
