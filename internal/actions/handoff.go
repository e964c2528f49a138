package actions

import (
	"context"

	"github.com/kopmem/kopbot/internal/dialog"
	"github.com/kopmem/kopbot/internal/member"
)

// registerHandoff adds the action behind "hubungi petugas". It only opens
// the handoff: the router passes the member's next messages to the
// officers while it stays open, the first one included.
func registerHandoff(reg *dialog.Registry) {
	reg.Register("handoff.open", func(ctx context.Context, env *dialog.Env) (dialog.Outcome, error) {
		_, err := member.StartHandoff(ctx, env.Q, env.Member.ID, env.Now)
		return dialog.Outcome{}, err
	})
}
