package officer

import (
	"strings"

	"github.com/kopmem/kopbot/internal/markup"
)

// slipShown is how many names /tertunda lists per channel: a short day
// of a large cooperative slips thousands, and a list longer than this
// fills messages nobody reads to the end.
const slipShown = 50

// slipping is /tertunda: who will not get today's reminder because a
// channel carries fewer than the day holds — the morning summary's list,
// as it stands now — in the group's language, like the summary.
func (d *Desk) slipping(t *turn, _ []string) (string, error) {
	if d.cfg.Slipping == nil {
		return d.cfg.Msgs.T(groupLang, "officer.tertunda.unknown", nil), nil
	}
	slips, err := d.cfg.Slipping(t.ctx)
	if err != nil {
		return "", err
	}
	var channels []string
	count := 0
	for _, s := range slips {
		if len(s.Who) == 0 {
			continue
		}
		count += len(s.Who)
		lines := make([]string, 0, min(len(s.Who), slipShown)+1)
		for _, who := range s.Who[:min(len(s.Who), slipShown)] {
			lines = append(lines, "• "+markup.Escape(who))
		}
		if more := len(s.Who) - slipShown; more > 0 {
			lines = append(lines, d.cfg.Msgs.T(groupLang, "officer.tertunda.more", map[string]any{"Count": more}))
		}
		channels = append(channels, d.cfg.Msgs.T(groupLang, "officer.tertunda.channel", map[string]any{"Channel": string(s.Channel),
			"Capacity": s.Capacity, "Total": s.Count, "Count": len(s.Who), "Lines": strings.Join(lines, "\n")}))
	}
	if count == 0 {
		return d.cfg.Msgs.T(groupLang, "officer.tertunda.none", nil), nil
	}
	return d.cfg.Msgs.T(groupLang, "officer.tertunda.list", map[string]any{"Count": count,
		"Channels": strings.Join(channels, "\n\n")}), nil
}
