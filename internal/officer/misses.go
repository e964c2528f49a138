package officer

import (
	"strings"

	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/router"
)

// missesShown is how many of the most frequent misses /tidakpaham lists:
// a screenful, the ones worth a word in flows/words.
const missesShown = 20

// misses is /tidakpaham: what members wrote in the last 30 days that kopbot
// did not understand, most frequent first, shortened and with every figure
// masked, so the cooperative can add the words to flows/words.
func (d *Desk) misses(t *turn, _ []string) (string, error) {
	list, err := router.Misses(t.ctx, t.tx, t.now.Add(-router.MissWindow), missesShown)
	if err != nil {
		return "", err
	}
	if len(list) == 0 {
		return d.say(t, "officer.misses.none", nil), nil
	}
	lines := make([]string, len(list))
	for i, m := range list {
		lines[i] = d.say(t, "officer.misses.line", map[string]any{"Count": m.Count, "Text": markup.Escape(m.Text)})
	}
	return d.say(t, "officer.misses.list", map[string]any{"Lines": strings.Join(lines, "\n")}), nil
}
