package officer

import (
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/outbox"
)

// failedWindow is how far back /gagal looks: a week covers a long weekend's
// worth of given-up messages without drowning the list in history.
const (
	failedWindow = 7 * 24 * time.Hour
	failedShown  = 20
)

// failed lists the messages the outbox gave up on, so an officer can reach
// those members another way.
func (d *Desk) failed(t *turn, _ []string) (string, error) {
	items, err := outbox.Failed(t.ctx, t.tx, t.now.Add(-failedWindow), failedShown)
	if err != nil {
		return "", err
	}
	if len(items) == 0 {
		return d.say(t, "officer.gagal.none", nil), nil
	}
	lines := make([]string, len(items))
	for i, it := range items {
		lines[i] = d.say(t, "officer.gagal.line", map[string]any{
			"ID": it.ID, "Channel": string(it.Channel), "Chat": it.Chat, "Excerpt": markup.Escape(it.Excerpt),
			"Attempts": it.Attempts, "Error": markup.Escape(it.LastError), "Age": d.age(t, t.now.Sub(it.Created)),
		})
	}
	return d.say(t, "officer.gagal.list", map[string]any{"Count": len(items), "Lines": strings.Join(lines, "\n")}), nil
}
