package officer

import (
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/health"
	"github.com/kopmem/kopbot/internal/store"
)

// questionnaireWait is how long the dialog waits for the next answer: long
// enough to look a figure up in the minutes of the RAT, short enough that
// a number typed the next day is not taken for an answer.
const questionnaireWait = time.Hour

// The words that steer the questionnaire dialog.
var (
	skipWords = map[string]bool{"lewati": true, "lewat": true, "skip": true}
	stopWords = map[string]bool{"batal": true, "selesai": true, "stop": true, "berhenti": true}
)

// questions lists p's questionnaire indicators in the profile's order.
func questions(p health.Profile) []health.Indicator {
	var out []health.Indicator
	for _, a := range p.Aspects {
		for _, in := range a.Indicators {
			if in.Questions > 0 {
				out = append(out, in)
			}
		}
	}
	return out
}

// startQuestionnaire is /kesehatan isi: the questionnaire as a dialog, one
// indicator at a time, in a chat where the officer's plain messages reach
// the desk (a private chat with the bot, or the terminal).
func (d *Desk) startQuestionnaire(t *turn, p health.Profile) (string, error) {
	if t.inGroupOf(d) && repliesTraced(t.ch) {
		return "", refuse("questionnaire in the group", "officer.kesehatan.private", nil)
	}
	qs := questions(p)
	if len(qs) == 0 {
		return "", refuse("no questionnaire", "officer.error.health_answer", map[string]any{"Subject": p.Key})
	}
	answers, err := health.Answers(t.ctx, t.tx, p, dateOnly(t.now))
	if err != nil {
		return "", err
	}
	lines := make([]string, len(qs))
	for i, in := range qs {
		last := "-"
		if a, ok := answers[in.Key]; ok {
			last = fmt.Sprintf("%d/%d (%s)", a.Met, a.Of, a.On.Format(DateLayout))
		}
		lines[i] = d.say(t, "officer.kesehatan.line", map[string]any{"Key": in.Key, "Name": in.Name,
			"Points": in.Questions, "Last": last})
	}
	ask, err := d.askNext(t, p, qs[0])
	if err != nil {
		return "", err
	}
	return d.say(t, "officer.kesehatan.isi", map[string]any{"Profile": p.Name, "Lines": strings.Join(lines, "\n"),
		"Count": len(qs)}) + "\n\n" + ask, nil
}

// askNext remembers that the officer's next message answers in, and asks it.
func (d *Desk) askNext(t *turn, p health.Profile, in health.Indicator) (string, error) {
	if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO officer_questionnaire (officer_id, channel, chat, profile, indicator, at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (officer_id, channel, chat) DO UPDATE SET profile = excluded.profile,
		indicator = excluded.indicator, at = excluded.at`, t.off.ID, string(t.ch), t.chat, p.Key, in.Key, store.Stamp(t.now)); err != nil {
		return "", fmt.Errorf("questionnaire %s: %w", in.Key, err)
	}
	return d.say(t, "officer.kesehatan.ask", map[string]any{"Key": in.Key, "Name": in.Name, "Points": in.Questions}), nil
}

// questionnaireReply takes a plain message as the answer the dialog waits
// for in this chat; handled is false when none waits, or the wait lapsed.
func (d *Desk) questionnaireReply(t *turn, text string) (handled bool, err error) {
	var profile, indicator, at string
	err = t.tx.QueryRowContext(t.ctx, `SELECT profile, indicator, at FROM officer_questionnaire
		WHERE officer_id = ? AND channel = ? AND chat = ?`, t.off.ID, string(t.ch), t.chat).Scan(&profile, &indicator, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("questionnaire: %w", err)
	}
	since, err := time.Parse(store.StampLayout, at)
	if err != nil {
		return false, fmt.Errorf("questionnaire: time %q: %w", at, err)
	}
	p, ok := d.cfg.Health[profile]
	if !ok || t.now.Sub(since) > questionnaireWait {
		return false, d.endQuestionnaire(t)
	}
	t.subject = indicator
	out, err := step(t, func() (string, error) { return d.answerQuestion(t, p, indicator, text) })
	reply, err := d.settle(t, "kesehatan:isi", out, err)
	if err != nil {
		return true, err
	}
	return true, t.reply(reply)
}

// answerQuestion records text as the answer to indicator (a number of
// points met, then an optional note), or skips it or stops, and asks the
// next one.
func (d *Desk) answerQuestion(t *turn, p health.Profile, indicator, text string) (string, error) {
	words := strings.Fields(text)
	first := ""
	if len(words) > 0 {
		first = strings.ToLower(words[0])
	}
	if stopWords[first] {
		return d.say(t, "officer.kesehatan.stopped", nil), d.endQuestionnaire(t)
	}
	in, _ := p.Indicator(indicator)
	said := ""
	if !skipWords[first] {
		met, err := strconv.Atoi(strings.TrimSuffix(first, "/"+strconv.Itoa(in.Questions)))
		a := health.Answer{Indicator: in.Key, Met: met, Of: in.Questions, On: dateOnly(t.now), Officer: t.off.ID,
			Note: strings.Join(words[min(1, len(words)):], " ")}
		if err != nil || health.SaveAnswer(t.ctx, t.tx, p, a) != nil {
			return "", refuse("bad answer", "officer.kesehatan.again", map[string]any{"Key": in.Key, "Points": in.Questions})
		}
		said = d.say(t, "officer.kesehatan.saved", map[string]any{"Key": in.Key, "Met": met, "Of": in.Questions,
			"Ratio": comma(a.Ratio())}) + "\n"
	}
	qs := questions(p)
	for i, q := range qs {
		if q.Key == in.Key && i+1 < len(qs) {
			ask, err := d.askNext(t, p, qs[i+1])
			return said + ask, err
		}
	}
	return said + d.say(t, "officer.kesehatan.done", nil), d.endQuestionnaire(t)
}

// endQuestionnaire forgets the dialog of this chat.
func (d *Desk) endQuestionnaire(t *turn) error {
	if _, err := t.tx.ExecContext(t.ctx, `DELETE FROM officer_questionnaire WHERE officer_id = ? AND channel = ? AND chat = ?`,
		t.off.ID, string(t.ch), t.chat); err != nil {
		return fmt.Errorf("end questionnaire: %w", err)
	}
	return nil
}
