package dialog

import (
	"context"
	"fmt"
	"maps"
	"slices"
)

// catch offers text, which nothing else understood, to the flows marked
// Catch, in the order of their ids: the first whose opening action applies
// takes it as the answer to its first step. caught is false when none
// applies, and then nothing was said or kept.
func (tr *turn) catch(ctx context.Context, text string) (st state, caught bool, err error) {
	for _, id := range slices.Sorted(maps.Keys(tr.e.flows)) {
		fl := tr.e.flows[id]
		if !fl.Catch {
			continue
		}
		first := &fl.Steps[0]
		clear(tr.env.Slots)
		out, err := tr.e.reg.actions[first.Action].fn(ctx, &tr.env)
		if err != nil {
			return state{}, false, fmt.Errorf("flow %s step %s action %s: %w", fl.ID, first.ID, first.Action, err)
		}
		if _, branch := first.On[out.Name]; branch {
			continue // not waiting for anything
		}
		maps.Copy(tr.data, out.Data)
		tr.served = append(tr.served, fl.ID)
		st := state{Flow: fl.ID, Step: first.ID, Slots: tr.env.Slots}
		a, bad, data := parse(first, text, tr.m, tr.env.Lang)
		if bad != "" { // too long: the step asks again, the dialog now open
			tr.sayWith(bad, data)
			st, err = tr.walk(ctx, st)
		} else {
			st, err = tr.answer(ctx, st, first, a)
		}
		return st, true, err
	}
	return state{}, false, nil
}
