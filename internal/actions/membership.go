package actions

import (
	"context"
	"fmt"

	"github.com/kopmem/kopbot/internal/dialog"
	"github.com/kopmem/kopbot/internal/i18n"
	"github.com/kopmem/kopbot/internal/member"
)

// Requirer says what someone needs to join the cooperative, in a language.
type Requirer interface {
	Requirements(lang string) string
}

// registerMembership adds the actions behind joining and leaving.
// membership.requirements shows a member what a relative or friend needs
// to join; membership.leave hands a member who wants to leave to the
// officers, with a note that points them to /keluar.
func (d Deps) registerMembership(reg *dialog.Registry) {
	reg.Register("membership.requirements", func(_ context.Context, env *dialog.Env) (dialog.Outcome, error) {
		return dialog.Outcome{Data: map[string]any{"Number": env.Member.Number, "Requirements": d.Joining.Requirements(env.Lang)}}, nil
	})
	reg.Register("membership.leave", func(ctx context.Context, env *dialog.Env) (dialog.Outcome, error) {
		h, err := member.StartHandoff(ctx, env.Q, env.Member.ID, env.Now)
		if err != nil {
			return dialog.Outcome{}, err
		}
		note := d.Msgs.T(i18n.Default, "membership.leave.note", map[string]any{"Number": env.Member.Number})
		if err := d.Officers.Relay(ctx, env.Q, h, env.Member, env.MessageID, note, env.Now); err != nil {
			return dialog.Outcome{}, fmt.Errorf("hand a member leaving to the officers: %w", err)
		}
		return dialog.Outcome{Data: map[string]any{"Tag": h.Tag()}}, nil
	})
}
