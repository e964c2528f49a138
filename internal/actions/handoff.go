package actions

import (
	"context"
	"fmt"

	"github.com/kopmem/kopbot/internal/dialog"
	"github.com/kopmem/kopbot/internal/member"
)

// slotQuestion holds the member's question for an officer, as they wrote it.
const slotQuestion = "question"

// registerHandoff adds the actions behind "hubungi petugas". handoff.open
// only opens the handoff: the router passes the member's next messages to
// the officers while it stays open, the first one included. handoff.ask
// opens it with the question the member already asked, passed on at once.
func (d Deps) registerHandoff(reg *dialog.Registry) {
	reg.Register("handoff.open", func(ctx context.Context, env *dialog.Env) (dialog.Outcome, error) {
		_, err := member.StartHandoff(ctx, env.Q, env.Member.ID, env.Now)
		return dialog.Outcome{}, err
	})
	reg.Register("handoff.ask", func(ctx context.Context, env *dialog.Env) (dialog.Outcome, error) {
		h, err := member.StartHandoff(ctx, env.Q, env.Member.ID, env.Now)
		if err != nil {
			return dialog.Outcome{}, err
		}
		if q := env.Slots[slotQuestion]; q != "" {
			if err := d.Officers.Relay(ctx, env.Q, h, env.Member, env.MessageID, q, env.Now); err != nil {
				return dialog.Outcome{}, fmt.Errorf("pass question to officers: %w", err)
			}
		}
		return dialog.Outcome{Data: map[string]any{"Tag": h.Tag()}}, nil
	})
}
