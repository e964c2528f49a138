package actions

import (
	"context"

	"github.com/kopmem/kopbot/internal/dialog"
	"github.com/kopmem/kopbot/internal/reminder"
)

func registerReminder(reg *dialog.Registry) {
	reg.Register("reminder.stop", func(ctx context.Context, env *dialog.Env) (dialog.Outcome, error) {
		return dialog.Outcome{}, reminder.OptOut(ctx, env.Q, env.Member.ID, env.Now)
	})
	reg.Register("reminder.start", func(ctx context.Context, env *dialog.Env) (dialog.Outcome, error) {
		return dialog.Outcome{}, reminder.OptIn(ctx, env.Q, env.Member.ID, env.Now)
	})
	// STOP PENGUMUMAN and MULAI PENGUMUMAN choose announcements alone.
	reg.Register("announce.stop", func(ctx context.Context, env *dialog.Env) (dialog.Outcome, error) {
		return dialog.Outcome{}, reminder.Choose(ctx, env.Q, reminder.Announcements, env.Member.ID, true, env.Now)
	})
	reg.Register("announce.start", func(ctx context.Context, env *dialog.Env) (dialog.Outcome, error) {
		return dialog.Outcome{}, reminder.Choose(ctx, env.Q, reminder.Announcements, env.Member.ID, false, env.Now)
	})
}
