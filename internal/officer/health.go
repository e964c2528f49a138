package officer

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kopmem/kopbot/internal/health"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/shopspring/decimal"
)

// healthProfile is the profile /kesehatan [2021|2016] names, or the
// configured one.
func (d *Desk) healthProfile(args []string) (health.Profile, error) {
	if len(args) == 0 || strings.EqualFold(args[0], "isi") {
		return d.cfg.Health[d.cfg.HealthKey], nil
	}
	p, ok := d.cfg.Health[args[0]]
	if !ok {
		return health.Profile{}, refuse("unknown profile", "officer.error.health_profile", map[string]any{"Subject": args[0]})
	}
	return p, nil
}

// healthRead builds the assessment as of today for /kesehatan in the read:
// without a snapshot of today, that judges every loan.
func (d *Desk) healthRead(t *turn, args []string) (any, error) {
	p, err := d.healthProfile(args)
	if err != nil || len(args) > 0 && strings.EqualFold(args[0], "isi") {
		return nil, nil // healthCmd refuses or asks
	}
	today := dateOnly(t.now)
	in, err := health.Gather(t.ctx, t.tx, d.cfg.Chart, d.cfg.Kolek, today)
	if err != nil {
		return nil, err
	}
	return health.Build(t.ctx, t.tx, p, in, today)
}

// healthCmd is /kesehatan [2021|2016], the health assessment as of today
// (built by healthRead), and /kesehatan isi [<indikator> <ya>/<dari>
// [catatan]], the manajer's questionnaire.
func (d *Desk) healthCmd(t *turn, args []string) (string, error) {
	p, err := d.healthProfile(args)
	if err != nil {
		return "", err
	}
	if len(args) > 0 && strings.EqualFold(args[0], "isi") {
		return d.healthAnswer(t, p, args[1:])
	}
	r, ok := t.read.(health.Report)
	if !ok {
		return "", fmt.Errorf("/kesehatan: %w", errNotRead)
	}
	aspects := make([]string, len(r.Aspects))
	for i, a := range r.Aspects {
		score := "-"
		if len(a.Rated) > 0 && (a.Complete || a.Score.IsPositive()) {
			score = comma(a.Score)
		}
		aspects[i] = fmt.Sprintf("%s %5s × %s%%", cell(a.Name, 22), score, a.Weight)
		if !a.Complete {
			aspects[i] += " *"
		}
	}
	costly := make([]string, len(r.Costliest))
	for i, c := range r.Costliest {
		data := map[string]any{"Name": c.Name, "Value": comma(c.Value) + c.Unit, "Nilai": c.Nilai, "Lost": comma(c.Lost),
			"Next": "", "NextNilai": c.Nilai - 1}
		if c.Next != nil {
			data["Next"] = c.Next.Describe()
		}
		costly[i] = d.say(t, "officer.kesehatan.costly", data)
	}
	return d.say(t, "officer.kesehatan", map[string]any{"Date": t.now.Format(DateLayout), "Profile": p.Name,
		"Score": comma(r.Score), "Band": r.Band, "Partial": r.Partial, "Aspects": strings.Join(aspects, "\n"),
		"Costliest": strings.Join(costly, "\n")}), nil
}

// healthAnswer starts the questionnaire dialog, or records one answer
// typed whole (/kesehatan isi TK1 8/10 catatan).
func (d *Desk) healthAnswer(t *turn, p health.Profile, args []string) (string, error) {
	if t.off.Role != loan.RoleManajer {
		return "", refuse("needs manajer", "officer.error.manager_only", map[string]any{"Command": "/kesehatan isi"})
	}
	if len(args) == 0 {
		return d.startQuestionnaire(t, p)
	}
	if len(args) < 2 {
		return "", refuse("bad answer", "officer.error.health_answer", map[string]any{"Subject": strings.ToUpper(args[0])})
	}
	key := strings.ToUpper(args[0])
	t.subject = key
	metS, ofS, ok := strings.Cut(args[1], "/")
	met, err1 := strconv.Atoi(metS)
	of, err2 := strconv.Atoi(ofS)
	if !ok || err1 != nil || err2 != nil {
		return "", refuse("bad answer", "officer.error.health_answer", map[string]any{"Subject": key})
	}
	a := health.Answer{Indicator: key, Met: met, Of: of, On: dateOnly(t.now), Officer: t.off.ID, Note: strings.Join(args[2:], " ")}
	if err := health.SaveAnswer(t.ctx, t.tx, p, a); err != nil {
		return "", refuse(err.Error(), "officer.error.health_answer", map[string]any{"Subject": key})
	}
	return d.say(t, "officer.kesehatan.saved", map[string]any{"Key": key, "Met": met, "Of": of,
		"Ratio": comma(a.Ratio())}), nil
}

// comma writes a figure with two decimals the Indonesian way.
func comma(v decimal.Decimal) string { return strings.Replace(v.StringFixed(2), ".", ",", 1) }
