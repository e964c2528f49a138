package dialog

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"

	"github.com/BurntSushi/toml"
)

// MessageChecker tells whether a message id exists in every language.
type MessageChecker interface {
	Has(id string) bool
}

// LoadFlows reads every *.toml file in fsys as one flow.
func LoadFlows(fsys fs.FS) ([]Flow, error) {
	files, err := fs.Glob(fsys, "*.toml")
	if err != nil {
		return nil, fmt.Errorf("list flows: %w", err)
	}
	if len(files) == 0 {
		return nil, errors.New("no flows found")
	}
	flows := make([]Flow, 0, len(files))
	for _, f := range files {
		body, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("read flow %s: %w", f, err)
		}
		var fl Flow
		md, err := toml.Decode(string(body), &fl)
		if err != nil {
			return nil, fmt.Errorf("flow %s: %w", f, err)
		}
		if undec := md.Undecoded(); len(undec) > 0 {
			return nil, fmt.Errorf("flow %s: unknown setting %q", f, undec[0].String())
		}
		if fl.ID == "" {
			fl.ID = path.Base(f[:len(f)-len(".toml")])
		}
		flows = append(flows, fl)
	}
	return flows, nil
}

// validate checks everything the flows refer to, and collects every problem
// so a flow author fixes them in one pass.
func validate(flows []Flow, reg *Registry, msgs MessageChecker) error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	byID := map[string]*Flow{}
	keywords := map[string]string{}
	menus := 0
	for i := range flows {
		fl := &flows[i]
		if _, dup := byID[fl.ID]; dup {
			bad("flow %s: defined twice", fl.ID)
		}
		byID[fl.ID] = fl
		for _, k := range fl.Keywords {
			n := normalize(k)
			if other, dup := keywords[n]; dup {
				bad("flow %s: keyword %q already starts flow %s", fl.ID, k, other)
			}
			keywords[n] = fl.ID
		}
		if fl.Menu {
			menus++
			if len(fl.Steps) == 0 || fl.Steps[0].Input != inputChoice {
				bad("flow %s: a menu flow must start with a choice step", fl.ID)
			}
		}
		if len(fl.Steps) == 0 {
			bad("flow %s: has no steps", fl.ID)
		}
	}
	if menus != 1 {
		bad("flows: exactly one flow must be the menu, found %d", menus)
	}
	for i := range flows {
		validateFlow(&flows[i], byID, reg, msgs, bad)
	}
	return errors.Join(errs...)
}

func validateFlow(fl *Flow, flows map[string]*Flow, reg *Registry, msgs MessageChecker, bad func(string, ...any)) {
	steps := map[string]*Step{}
	for i := range fl.Steps {
		st := &fl.Steps[i]
		if st.ID == "" {
			bad("flow %s: step %d has no id", fl.ID, i+1)
		}
		if _, dup := steps[st.ID]; dup {
			bad("flow %s: step %s defined twice", fl.ID, st.ID)
		}
		steps[st.ID] = st
	}
	target := func(st *Step, what, to string) {
		if to == "" {
			return
		}
		if _, ok := steps[to]; !ok {
			bad("flow %s step %s: %s goes to unknown step %q", fl.ID, st.ID, what, to)
		}
	}
	message := func(st *Step, id string) {
		if id != "" && !msgs.Has(id) {
			bad("flow %s step %s: message %q is missing in a locale", fl.ID, st.ID, id)
		}
	}
	if fl.Title != "" && !msgs.Has(fl.Title) {
		bad("flow %s: title %q is missing in a locale", fl.ID, fl.Title)
	}
	if first := fl.Steps; fl.Catch && (len(first) == 0 || first[0].Action == "" || len(first[0].On) == 0 ||
		first[0].Input != inputText || first[0].Save == "") {
		bad("flow %s: a catch flow must start with a text step whose action branches when it does not apply", fl.ID)
	}
	if st, ok := steps[fl.Confirm]; fl.Confirm != "" && (!ok || st.Input != inputYesNo) {
		bad("flow %s: confirm %q must be a yesno step of the flow", fl.ID, fl.Confirm)
	}
	for i := range fl.Steps {
		st := &fl.Steps[i]
		if len(st.Say) == 0 && st.Action == "" {
			bad("flow %s step %s: says nothing and does nothing", fl.ID, st.ID)
		}
		for _, id := range st.Say {
			message(st, id)
		}
		message(st, st.Invalid)
		if st.Action != "" {
			if known, _ := reg.has(st.Action, ""); !known {
				bad("flow %s step %s: unknown action %q", fl.ID, st.ID, st.Action)
			}
		}
		for outcome, to := range st.On {
			if _, declared := reg.has(st.Action, outcome); !declared {
				bad("flow %s step %s: action %q has no outcome %q", fl.ID, st.ID, st.Action, outcome)
			}
			target(st, "on."+outcome, to)
		}
		target(st, "next", st.Next)
		target(st, "yes", st.Yes)
		target(st, "no", st.No)
		validateInput(fl, st, flows, bad, target)
	}
	validateNoSilentLoop(fl, steps, bad)
}

func validateInput(fl *Flow, st *Step, flows map[string]*Flow, bad func(string, ...any), target func(*Step, string, string)) {
	if st.Input != inputYesNo && len(st.YesWords)+len(st.NoWords) > 0 {
		bad("flow %s step %s: yes_words and no_words need a yesno input", fl.ID, st.ID)
	}
	if st.Input == "" {
		if len(st.Choices) > 0 || st.Save != "" || st.Yes != "" || st.No != "" {
			bad("flow %s step %s: choices, save, yes and no need an input", fl.ID, st.ID)
		}
		return
	}
	if !slices.Contains(inputKinds, st.Input) {
		bad("flow %s step %s: unknown input kind %q", fl.ID, st.ID, st.Input)
	}
	switch st.Input {
	case inputChoice:
		if len(st.Choices) == 0 {
			bad("flow %s step %s: a choice step needs choices", fl.ID, st.ID)
		}
		seen := map[string]bool{}
		for _, c := range st.Choices {
			for _, w := range append([]string{c.Key}, c.Words...) {
				if n := normalize(w); seen[n] {
					bad("flow %s step %s: choice word %q used twice", fl.ID, st.ID, w)
				} else {
					seen[n] = true
				}
			}
			if c.Flow != "" {
				if _, ok := flows[c.Flow]; !ok {
					bad("flow %s step %s: choice %s starts unknown flow %q", fl.ID, st.ID, c.Key, c.Flow)
				}
			}
			target(st, "choice "+c.Key, c.Next)
		}
	case inputYesNo:
		if st.Yes == "" && st.No == "" && st.Next == "" {
			bad("flow %s step %s: a yesno step needs yes, no or next", fl.ID, st.ID)
		}
	}
}

// validateNoSilentLoop refuses steps that lead back to themselves without
// ever waiting for the member: such a flow would spin forever on one message.
func validateNoSilentLoop(fl *Flow, steps map[string]*Step, bad func(string, ...any)) {
	for _, start := range fl.Steps {
		seen := map[string]bool{}
		var walk func(id string) bool
		walk = func(id string) bool {
			st, ok := steps[id]
			if !ok || st.Input != "" {
				return false
			}
			if seen[id] {
				return true
			}
			seen[id] = true
			defer delete(seen, id)
			if walk(st.Next) {
				return true
			}
			for _, to := range st.On {
				if walk(to) {
					return true
				}
			}
			return false
		}
		if walk(start.ID) {
			bad("flow %s: step %s loops without waiting for an answer", fl.ID, start.ID)
			return
		}
	}
}
