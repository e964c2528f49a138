package officer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/i18n"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/router"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/shopspring/decimal"
)

// turn is one command or press being handled.
type turn struct {
	ctx context.Context
	tx  *sql.Tx
	now time.Time
	// from is the sender's platform id; off is their roster entry when
	// isOfficer.
	from      string
	off       Officer
	isOfficer bool
	lang      string
	ch        channel.Name
	chat      string
	msgID     string
	// replyTo is the message an officer's message answers, "" if none.
	replyTo string
	// text is the message as typed, line breaks and all.
	text string
	// press is true for a button press, whose notice is shown to the
	// presser alone even in the group.
	press bool
	// subject is what the action was about (a ref, a member number, a
	// transaction id), for the audit row.
	subject string
	// amount and txID are the money the action moved or tried to move and
	// the ledger transaction it posted, for the audit row.
	amount decimal.Decimal
	txID   int64
	// read is what the command's read found before the writer was taken
	// (command.read), nil for a command without one.
	read any
	// note is what the audit row says of a granted action that needed more
	// than the usual rules (a manajer's override), "" for none.
	note string
}

// newTurn starts handling what m (a message, or a press dressed as one)
// asks of the desk.
func (d *Desk) newTurn(ctx context.Context, tx *sql.Tx, now time.Time, m channel.Message) *turn {
	t := &turn{ctx: ctx, tx: tx, now: now.In(d.cfg.Location), from: m.From, ch: m.Channel, chat: m.Chat, msgID: m.ID,
		replyTo: m.ReplyTo, text: m.Text, lang: i18n.Default}
	t.off, t.isOfficer = d.officers[m.From]
	if t.isOfficer {
		t.lang = t.off.Lang
	} else if mem, err := router.MemberOf(ctx, tx, m); err == nil {
		// A member who typed an officer command is refused in their language.
		t.lang = mem.Lang
	}
	return t
}

func (t *turn) inGroupOf(d *Desk) bool { return d.inGroup(t.ch, t.chat) }

// say renders id in the officer's language.
func (d *Desk) say(t *turn, id string, data any) string { return d.cfg.Msgs.T(t.lang, id, data) }

// refusal is a polite answer to input the desk will not act on: the officer
// reads the message, the audit row records why, and nothing else is written.
type refusal struct {
	id   string
	data map[string]any
	why  string
}

func (r *refusal) Error() string { return "refused: " + r.why }

func refuse(why, id string, data map[string]any) error {
	return &refusal{id: id, data: data, why: why}
}

// step runs fn inside a savepoint, so whatever a refused or failed step
// wrote before it stopped is undone while the router's transaction goes on
// to record the message, the audit row and the answer. Domain calls need not
// be atomic on their own for "refused means nothing written" to hold.
func step(t *turn, fn func() (string, error)) (string, error) {
	if _, err := t.tx.ExecContext(t.ctx, `SAVEPOINT officer_step`); err != nil {
		return "", fmt.Errorf("savepoint: %w", err)
	}
	out, err := fn()
	// Undo even when ctx has ended, or the rest of the transaction would
	// carry the half-done step.
	ctx := context.WithoutCancel(t.ctx)
	if err != nil {
		if _, rbErr := t.tx.ExecContext(ctx, `ROLLBACK TO officer_step`); rbErr != nil {
			return "", errors.Join(err, fmt.Errorf("rollback to savepoint: %w", rbErr))
		}
	}
	if _, relErr := t.tx.ExecContext(ctx, `RELEASE officer_step`); relErr != nil {
		return "", errors.Join(err, fmt.Errorf("release savepoint: %w", relErr))
	}
	return out, err
}

// settle audits what a step came to and returns the text for the sender:
// its answer, or the refusal's message. Any other error is the caller's to
// return, rolling the whole transaction back.
func (d *Desk) settle(t *turn, action, text string, err error) (string, error) {
	ok, detail := true, t.note
	var r *refusal
	switch {
	case errors.As(err, &r):
		// The step was undone: whatever it posted is gone.
		ok, detail, text, t.txID = false, r.why, d.say(t, r.id, r.data), 0
	case err != nil:
		return "", fmt.Errorf("officer %s %s %s: %w", t.from, action, t.subject, err)
	}
	if err := audit(t, action, detail, ok); err != nil {
		return "", err
	}
	return text, nil
}

// reply queues text to the chat the turn came from.
func (t *turn) reply(text string) error {
	if text == "" {
		return nil
	}
	_, err := outbox.Enqueue(t.ctx, t.tx, outbox.Item{Reply: channel.Reply{Channel: t.ch, Chat: t.chat, Text: text}, Lane: channel.Interactive}, t.now)
	return err
}

// toGroup queues text, with buttons, to the officers' group.
func (d *Desk) toGroup(ctx context.Context, q store.Queryer, text string, buttons [][]channel.Button, now time.Time) error {
	return d.toGroupKeyed(ctx, q, text, buttons, "", now)
}

// toGroupKeyed is toGroup with the message's key, by which an officer's
// reply to it is traced back (outbox.SentAs).
func (d *Desk) toGroupKeyed(ctx context.Context, q store.Queryer, text string, buttons [][]channel.Button, key string, now time.Time) error {
	if _, err := outbox.Enqueue(ctx, q, outbox.Item{Reply: channel.Reply{Channel: d.cfg.Group.Channel,
		Chat: d.cfg.Group.Chat, Text: text, Buttons: buttons}, Key: key}, now); err != nil {
		return fmt.Errorf("tell the officers' group: %w", err)
	}
	return nil
}
