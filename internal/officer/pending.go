package officer

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/store"
)

// DefaultReasonWait is how long after pressing Tolak or Minta info the
// officer's reply is still taken as the reason or the question, unless
// Config.ReasonWait says otherwise: long enough to phone the member first,
// short enough that a reply an hour later is not read as a rejection.
const DefaultReasonWait = 10 * time.Minute

// pending is a press waiting for its reason.
type pending struct {
	verdict   loan.Verdict
	ref       string
	messageID string
	at        time.Time
}

// awaitReason remembers that the officer's next message in this chat is
// the reason (or question) for verdict on ref; a later press replaces it.
func awaitReason(t *turn, verdict loan.Verdict, ref, messageID string) error {
	if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO officer_pending (officer_id, channel, chat, action, ref, message_id, at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (officer_id, channel, chat) DO UPDATE SET action = excluded.action,
		ref = excluded.ref, message_id = excluded.message_id, at = excluded.at`,
		t.off.ID, string(t.ch), t.chat, string(verdict), ref, messageID, store.Stamp(t.now)); err != nil {
		return fmt.Errorf("await reason for %s: %w", ref, err)
	}
	return nil
}

// peekReason returns what the officer's reply in this chat is awaited for,
// if anything.
func peekReason(t *turn) (pending, bool, error) {
	var p pending
	var verdict, at string
	err := t.tx.QueryRowContext(t.ctx, `SELECT action, ref, message_id, at FROM officer_pending
		WHERE officer_id = ? AND channel = ? AND chat = ?`, t.off.ID, string(t.ch), t.chat).Scan(&verdict, &p.ref, &p.messageID, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return pending{}, false, nil
	}
	if err != nil {
		return pending{}, false, fmt.Errorf("awaited reason: %w", err)
	}
	p.verdict = loan.Verdict(verdict)
	if p.at, err = time.Parse(time.RFC3339Nano, at); err != nil {
		return pending{}, false, fmt.Errorf("awaited reason for %s: time %q: %w", p.ref, at, err)
	}
	return p, true, nil
}

// dropReason forgets what the officer's reply in this chat was awaited for.
func dropReason(t *turn) error {
	if _, err := t.tx.ExecContext(t.ctx, `DELETE FROM officer_pending WHERE officer_id = ? AND channel = ? AND chat = ?`,
		t.off.ID, string(t.ch), t.chat); err != nil {
		return fmt.Errorf("drop awaited reason: %w", err)
	}
	return nil
}

// askReason answers a press of Tolak or Minta info: nothing is decided yet,
// the officer is asked for the reason or the question.
func (d *Desk) askReason(t *turn, verdict loan.Verdict, ref, messageID string) (string, error) {
	if err := d.notOwnApplication(t, ref); err != nil {
		return "", err
	}
	a, err := loan.ApplicationByRef(t.ctx, t.tx, ref)
	if err != nil {
		return "", d.explain(t, err)
	}
	if !a.Status.Undecided() {
		return "", d.explain(t, d.decidedError(t, a))
	}
	if err := awaitReason(t, verdict, ref, messageID); err != nil {
		return "", err
	}
	promptID, noticeID := "officer.prompt.reason", "officer.notice.type_reason"
	if verdict == loan.AskInfo {
		promptID, noticeID = "officer.prompt.question", "officer.notice.type_question"
	}
	data := map[string]any{"Ref": ref, "Officer": t.off.Name, "Minutes": d.reasonMinutes()}
	// Keyed to the request, so a reply to the prompt is the reason.
	if err := t.replyKeyed(d.say(t, promptID, data), requestKey(ref, "prompt", t.msgID)); err != nil {
		return "", err
	}
	return d.say(t, noticeID, data), nil
}

// plain handles a message that is no command. An answer the health
// questionnaire dialog waits for in this chat is taken as one; in the
// officers' group it goes where the officer's reply points (route); an
// officer writing privately is shown the way to /bantuan. Others in the group are not the
// desk's to answer.
func (d *Desk) plain(t *turn, text string) error {
	if !t.isOfficer {
		return nil
	}
	if handled, err := d.questionnaireReply(t, text); err != nil || handled {
		return err
	}
	if t.inGroupOf(d) {
		return d.route(t, text)
	}
	return t.reply(d.say(t, "officer.hint", nil))
}
