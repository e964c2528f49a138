package officer

import (
	"fmt"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/member"
)

// nameWidth is how much of a member's name a table shows: a phone screen's
// monospace line holds about 35 characters.
const nameWidth = 14

// queue is /antrian: the requests still to decide, oldest first.
func (d *Desk) queue(t *turn, _ []string) (string, error) {
	apps, err := loan.Pending(t.ctx, t.tx)
	if err != nil {
		return "", err
	}
	if len(apps) == 0 {
		return d.say(t, "officer.antrian.empty", nil), nil
	}
	lines := make([]string, len(apps))
	for i, a := range apps {
		m, err := member.ByID(t.ctx, t.tx, a.MemberID)
		if err != nil {
			return "", err
		}
		lines[i] = fmt.Sprintf("%s %s %s\n  %s · %s", a.Ref, cell(m.Name, nameWidth), amounts(t.lang, a.Amount)[0],
			d.statusName(t, a.Status), d.age(t, t.now.Sub(a.AppliedAt)))
		x, err := d.exchangeLine(t, a)
		if err != nil {
			return "", err
		}
		if x != "" {
			lines[i] += "\n  " + x
		}
	}
	return d.say(t, "officer.antrian", map[string]any{"Count": len(apps), "Lines": strings.Join(lines, "\n")}), nil
}

// age says how long a request has waited: hours for the first two days,
// then days.
func (d *Desk) age(t *turn, wait time.Duration) string {
	if hours := int(wait / time.Hour); hours < 48 {
		return d.say(t, "officer.age.hours", map[string]any{"N": hours})
	}
	return d.say(t, "officer.age.days", map[string]any{"N": int(wait / (24 * time.Hour))})
}
