package router

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/store"
)

// Messages of a member's handoff to the officers.
const (
	msgHandoffForwarded = "handoff.forwarded"
	msgHandoffLeft      = "handoff.left"
)

// HandoffIdle is how long a handoff waits for either side. After that the
// member's next message goes to the menus again: someone who asked an
// officer something last week and types "saldo" today wants their balance.
// An officer's /balas still reaches them and opens the conversation again.
const HandoffIdle = 24 * time.Hour

// leaveWords end a handoff from the member's side, the way the dialog's
// cancel words leave a dialog. After "menu" the member wants the menu, so
// the dialog answers it too; the others only close.
var leaveWords = map[string]bool{
	"menu": true, "selesai": false, "batal": false, "batalkan": false,
	"cancel": false, "keluar": false, "exit": false, "done": false,
}

// relay passes the member's text to the officers while a handoff is open.
// done reports that the text was the handoff's and the dialog must not see
// it; said is what to tell the member either way.
func (r *Router) relay(ctx context.Context, q store.Queryer, m member.Member, msgID, text string, file *channel.Attachment, now time.Time) (said string, done bool, err error) {
	h, err := member.OpenHandoffOf(ctx, q, m.ID)
	switch {
	case errors.Is(err, member.ErrNoHandoff):
		return "", false, nil
	case err != nil:
		return "", false, err
	case text == "" && file == nil: // nothing to pass on; the dialog asks what they meant
		return "", false, nil
	case now.Sub(h.LastAt) > HandoffIdle:
		return "", false, member.CloseHandoff(ctx, q, h.ID, member.ClosedLapsed, now)
	}
	if r.desk == nil {
		return "", false, fmt.Errorf("handoff %s is open, but no desk takes it", h.Tag())
	}
	// A leave word tells the officers the conversation is closed: their
	// replies to it would reach nobody.
	if more, leave := leaveWords[strings.ToLower(strings.TrimRight(text, " .!?"))]; leave && file == nil {
		if err := member.CloseHandoff(ctx, q, h.ID, member.ClosedByMember, now); err != nil {
			return "", false, err
		}
		if err := r.desk.Left(ctx, q, h, m, text, now); err != nil {
			return "", false, fmt.Errorf("tell the officers: %w", err)
		}
		return r.msgs.T(m.Lang, msgHandoffLeft, nil), !more, nil
	}
	if file != nil {
		err = r.desk.Forward(ctx, q, h, m, msgID, text, *file, now)
	} else {
		err = r.desk.Relay(ctx, q, h, m, msgID, text, now)
	}
	if err != nil {
		return "", false, fmt.Errorf("relay to officers: %w", err)
	}
	if err := member.TouchHandoff(ctx, q, h.ID, now); err != nil {
		return "", false, err
	}
	return r.msgs.T(m.Lang, msgHandoffForwarded, map[string]any{"Tag": h.Tag()}), true, nil
}
