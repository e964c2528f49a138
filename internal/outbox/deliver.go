package outbox

import (
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/store"
)

// MaxAttempts bounds how often a failing message is tried before it is
// marked failed for an officer to see.
const MaxAttempts = 5

// Backoff after the n-th failed attempt: 10s, 20s, 40s, … at most 30 minutes.
func backoff(attempts int) time.Duration {
	return min(10*time.Second<<max(attempts-1, 0), 30*time.Minute)
}

// Verdict is what a Vet says of a keyed message about to go.
type Verdict struct {
	Action Action
	// Until is when a held message is looked at again.
	Until time.Time
	// Reason is recorded for a dropped message.
	Reason string
}

// Action is a Vet's decision.
type Action int

// The three decisions.
const (
	Send Action = iota
	// Hold keeps the message pending until Verdict.Until (quiet hours).
	Hold
	// Drop never sends it (paid meanwhile, the member said STOP).
	Drop
)

// Filter selects what Deliver sends.
type Filter struct {
	Channel channel.Name
	// Chat limits delivery to one chat (a terminal seat); "" means all.
	Chat  string
	Limit int
	// Vet, when set, is asked just before each keyed message (a reminder)
	// goes, so what is sent reflects the ledger and the member's wishes at
	// that moment rather than when it was queued.
	Vet func(ctx context.Context, it Item) (Verdict, error)
	// Pacer, when set, says when each message may go; a message not yet
	// ready is left for a later round while other chats go on.
	Pacer channel.Pacer
	// Late, when set, rewrites an interactive reply that waited longer than
	// LateAfter (the channel was down): "sorry for the delay" and the answer.
	Late      func(it Item) Item
	LateAfter time.Duration
	// Claimer names this sender in its claims; "" means one made up for the
	// process.
	Claimer string
	// Burst, when set, sends a chat's answers queued within Burst of each
	// other as one message, a repeated answer once: a member who sends ten
	// lines in a few seconds gets one answer, not ten 3 seconds apart. The
	// lines of one Batch so queued go as one message likewise.
	Burst time.Duration
}

// ClaimFor is how long a claimed message is kept from other senders. A
// sender that died holding claims releases them when this runs out, and the
// messages go again: at least once, never lost.
const ClaimFor = 5 * time.Minute

// headOfLine is how many of one chat's waiting messages a round reads.
const headOfLine = 10

// burstRows and burstRunes bound one joined message: a member's flood of
// lines into a handoff goes in a few messages, each within one Telegram
// message (4096), however long its head of line was.
const (
	burstRows  = 200
	burstRunes = 3500
)

// OutageProbe is how soon a channel that is down is tried again.
const OutageProbe = 30 * time.Second

// process names this process's claims unless a Filter names its own.
var process = func() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand never fails on the platforms Go supports
	return hex.EncodeToString(b)
}()

type pending struct {
	id      int64
	lane    channel.Lane
	created time.Time
	nextTry time.Time
	Item
}

// Round is what one delivery round did.
type Round struct {
	Sent int
	// Next is the earliest instant a message left waiting (paced, held or
	// backed off) may go; zero when none waits.
	Next time.Time
	// Down is set when the channel was unreachable: nothing more was tried.
	Down bool
}

func (r *Round) wake(t time.Time) {
	if r.Next.IsZero() || t.Before(r.Next) {
		r.Next = t
	}
}

// Deliver runs one round (see DeliverRound) and says how many went.
func Deliver(ctx context.Context, db *store.DB, f Filter, s channel.Sender, now func() time.Time) (int, error) {
	r, err := DeliverRound(ctx, db, f, s, now)
	return r.Sent, err
}

// DeliverRound sends what may go now of up to f.Limit pending messages,
// interactive replies first, then notices, then bulk, oldest first within
// a lane. In a chat, a reply or notice never overtakes an earlier reply or
// notice, and a bulk message waits for everything before it. Each message
// is claimed before it is sent and marked after the sender accepted it; a
// crash between the two means it goes again once its claim runs out: at
// least once, never lost. A failed send is tried again after a growing
// pause, up to MaxAttempts; a permanent failure is marked failed at once;
// a channel that is down or asks to wait costs no attempt.
func DeliverRound(ctx context.Context, db *store.DB, f Filter, s channel.Sender, now func() time.Time) (Round, error) {
	var r Round
	if err := expire(ctx, db, f.Channel, now()); err != nil {
		return r, err
	}
	batch, err := due(ctx, db, f, now())
	if err != nil {
		return r, err
	}
	claimer := cmp.Or(f.Claimer, process)
	// Once a message went, its mark must be written even if ctx ends now:
	// an unmarked message goes again after a restart.
	record := context.WithoutCancel(ctx)
	// blocked holds the chats whose earliest message cannot go yet: nothing
	// later of theirs may overtake it. Conversation (replies and notices)
	// and bulk are kept apart, so a waiting reminder holds up no reply.
	type lineOf struct {
		chat string
		bulk bool
	}
	blocked := map[lineOf]bool{}
	block := func(p pending) {
		blocked[lineOf{p.Chat, p.lane == channel.Bulk}] = true
		if p.lane != channel.Bulk {
			blocked[lineOf{p.Chat, true}] = true
		}
	}
	queue := ordered(batch)
	// cut holds the chats whose line this round read only the head of: a
	// burst of theirs reads on from the database.
	cut := map[string]bool{}
	if f.Chat == "" {
		talk := map[string]int{}
		for _, p := range batch {
			if p.lane != channel.Bulk {
				talk[p.Chat]++
			}
		}
		for chat, n := range talk {
			cut[chat] = n >= headOfLine
		}
	}
	joined := map[int64]bool{} // sent within an earlier message's burst
	for i, p := range queue {
		if ctx.Err() != nil {
			return r, ctx.Err()
		}
		if joined[p.id] || blocked[lineOf{p.Chat, p.lane == channel.Bulk}] {
			continue
		}
		t := now()
		if p.nextTry.After(t) {
			r.wake(p.nextTry)
			block(p)
			continue
		}
		slot := channel.Slot{Chat: p.Chat, Lane: p.lane, Queued: p.created, Runes: utf8.RuneCountInString(p.Text)}
		if f.Pacer != nil {
			if at := f.Pacer.Ready(slot, t); at.After(t) {
				r.wake(at)
				block(p)
				continue
			}
		}
		if f.Vet != nil && p.Key != "" {
			v, err := f.Vet(ctx, p.Item)
			if err != nil {
				return r, fmt.Errorf("vet outbox %d (%s): %w", p.id, p.Key, err)
			}
			if v.Action != Send {
				if err := settle(record, db, p.id, v); err != nil {
					return r, err
				}
				if v.Action == Hold {
					r.wake(v.Until)
					block(p)
				}
				continue
			}
		}
		n, err := claim(record, db, []int64{p.id}, claimer, t)
		if err != nil {
			return r, err
		}
		if n == 0 {
			block(p) // another sender has it
			continue
		}
		it := p.Item
		var rest []pending // the rest of p's burst, claimed
		if f.Burst > 0 {
			next := queue[i+1:]
			if cut[p.Chat] && joins(p, p) {
				if next, err = lineAfter(record, db, f.Channel, p.Chat, p.id, t); err != nil {
					return r, err
				}
			}
			if rest, err = claimBurst(record, db, f, p, next, claimer, t); err != nil {
				return r, err
			}
			it.Text = burstText(p, rest)
			for _, q := range rest {
				joined[q.id] = true
			}
		}
		if f.Late != nil && p.lane == channel.Interactive && f.LateAfter > 0 && t.Sub(p.created) > f.LateAfter {
			it = f.Late(it)
		}
		platformID, sendErr := send(ctx, s, it.Reply)
		at := now()
		// The rest of the burst shares p's fate, in one write.
		ids := []int64{p.id}
		for _, q := range rest {
			ids = append(ids, q.id)
		}
		var throttled channel.Throttled
		switch {
		case errors.Is(sendErr, channel.ErrUnavailable):
			// The channel is down: every other message would fail the same
			// way. Nothing is counted against this one; all wait in order.
			if err := release(record, db, ids, sendErr, time.Time{}); err != nil {
				return r, err
			}
			slog.WarnContext(ctx, "channel down; delivery waits", "channel", f.Channel, "err", sendErr)
			r.Down = true
			r.wake(at.Add(OutageProbe))
			return r, nil
		case errors.As(sendErr, &throttled) && throttled.Wait() > 0 && (!bulkOnly(sendErr) || p.lane == channel.Bulk):
			until := at.Add(throttled.Wait())
			if f.Pacer != nil && !bulkOnly(sendErr) {
				f.Pacer.Hold(p.Chat, until)
			}
			if err := release(record, db, ids, sendErr, until); err != nil {
				return r, err
			}
			r.wake(until)
			block(p)
			continue
		}
		if f.Pacer != nil {
			f.Pacer.Sent(record, slot, at)
		}
		if err := mark(record, db, ids, platformID, sendErr, at); err != nil {
			return r, err
		}
		if sendErr != nil {
			slog.WarnContext(ctx, "send failed", "channel", f.Channel, "outbox_id", p.id, "err", sendErr)
			block(p)
			continue
		}
		r.Sent += 1 + len(rest)
	}
	return r, nil
}

// plain reports whether p is text alone: no buttons, file, edit or quoted
// message.
func plain(p pending) bool {
	return len(p.Buttons) == 0 && p.Attachment == nil && p.EditOf == "" && p.ReplyTo == ""
}

// joins reports whether q may go in p's message: both are plain answers
// without a key, or plain lines of one batch.
func joins(p, q pending) bool {
	if !plain(p) || !plain(q) {
		return false
	}
	if p.Batch != nil {
		return q.Batch != nil && q.Batch.Group == p.Batch.Group
	}
	return q.Batch == nil && p.lane == channel.Interactive && q.lane == channel.Interactive && p.Key == "" && q.Key == ""
}

// claimBurst claims the messages that follow p in its chat's line (next,
// in sending order), may go in p's message (joins) and were queued within
// f.Burst of the one before, up to the first that may not, and returns
// those it claimed. Another batch's lines are passed over, not stopped
// at: two members writing to the officers at once are two conversations,
// and each still goes as one message. A keyed message goes only if f.Vet
// lets it now; otherwise it is left for its own turn.
func claimBurst(ctx context.Context, db *store.DB, f Filter, p pending, next []pending, claimer string,
	now time.Time) ([]pending, error) {
	if !joins(p, p) {
		return nil, nil
	}
	var rest []pending
	last, runes := p.created, joinedRunes(p)
	for _, q := range next {
		if q.Chat != p.Chat || q.lane == channel.Bulk {
			continue
		}
		if p.Batch != nil && q.Batch != nil && q.Batch.Group != p.Batch.Group && plain(q) {
			continue
		}
		if !joins(p, q) || q.created.Sub(last) > f.Burst || q.nextTry.After(now) ||
			len(rest)+1 >= burstRows || runes+joinedRunes(q) > burstRunes {
			break
		}
		if f.Vet != nil && q.Key != "" {
			v, err := f.Vet(ctx, q.Item)
			if err != nil {
				return nil, fmt.Errorf("vet outbox %d (%s): %w", q.id, q.Key, err)
			}
			if v.Action != Send {
				break
			}
		}
		rest = append(rest, q)
		last, runes = q.created, runes+joinedRunes(q)
	}
	ids := make([]int64, len(rest))
	for i, q := range rest {
		ids[i] = q.id
	}
	n, err := claim(ctx, db, ids, claimer, now)
	return rest[:n], err
}

// joinedRunes is how much p adds to a joined message: its line of a batch,
// else its text, and the line break.
func joinedRunes(p pending) int {
	if p.Batch != nil {
		return utf8.RuneCountInString(p.Batch.Line) + 1
	}
	return utf8.RuneCountInString(p.Text) + 2
}

// burstText is p's message with the rest's: a batch's lines in order under
// its head, answers one after another, an answer repeated only once.
func burstText(p pending, rest []pending) string {
	if p.Batch != nil {
		lines := []string{p.Batch.Line}
		for _, q := range rest {
			lines = append(lines, q.Batch.Line)
		}
		return p.Batch.text(lines...)
	}
	texts := []string{p.Text}
	for _, q := range rest {
		if !slices.Contains(texts, q.Text) {
			texts = append(texts, q.Text)
		}
	}
	return strings.Join(texts, "\n\n")
}

// bulkOnly reports whether err refuses bulk only (channel.BulkRefused).
func bulkOnly(err error) bool {
	var r channel.BulkRefused
	return errors.As(err, &r)
}

// ordered puts a batch (read lane by lane, oldest first) in sending order:
// where a chat's first reply or notice stands, all its replies and notices
// follow in the order they were queued, so a notice queued before a reply
// still goes first, and the chat still goes as early as its most urgent
// message.
func ordered(batch []pending) []pending {
	talk := map[string][]pending{} // each chat's replies and notices, by id
	for _, p := range batch {
		if p.lane != channel.Bulk {
			talk[p.Chat] = append(talk[p.Chat], p)
		}
	}
	out := make([]pending, 0, len(batch))
	for _, p := range batch {
		if p.lane == channel.Bulk {
			out = append(out, p)
			continue
		}
		if ps, ok := talk[p.Chat]; ok {
			slices.SortFunc(ps, func(a, b pending) int { return cmp.Compare(a.id, b.id) })
			out = append(out, ps...)
			delete(talk, p.Chat)
		}
	}
	return out
}

func due(ctx context.Context, db *store.DB, f Filter, now time.Time) ([]pending, error) {
	// Replies and notices are few but may flood from one chat: only the
	// head of each chat's line can go in one round, so a chat with hundreds
	// waiting fills no more of the batch than its head (unless the filter
	// is that one chat: a terminal seat reads its whole line). Bulk is many chats
	// with a message or two each, read straight off the index in the order
	// they may go: a day's reminders are spread over the window.
	const where = `channel = ?1 AND status = 'pending' AND (?2 = '' OR chat = ?2) AND (claimed_until IS NULL OR claimed_until <= ?3)`
	rows, err := db.R.QueryContext(ctx, `SELECT * FROM (SELECT `+pendingCols+` FROM (
			SELECT *, row_number() OVER (PARTITION BY chat ORDER BY id) AS place FROM outbox WHERE `+where+` AND lane < 3)
		WHERE place <= ?4 OR ?2 != '' ORDER BY lane, id LIMIT ?5)
		UNION ALL SELECT * FROM (SELECT `+pendingCols+` FROM outbox WHERE `+where+` AND status = 'pending' AND lane = 3
			ORDER BY coalesce(next_try, created_at), id LIMIT ?5)`,
		string(f.Channel), f.Chat, store.Stamp(now), headOfLine, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("list outbox of %s: %w", f.Channel, err)
	}
	defer rows.Close()
	return scanPending(rows, f.Channel)
}

// pendingCols are the columns scanPending reads.
const pendingCols = `id, chat, text, coalesce(buttons, ''), coalesce(edit_of, ''), coalesce(key, ''), coalesce(reply_to, ''),
	coalesce(attachment, ''), lane, created_at, coalesce(next_try, ''), coalesce(batch, '')`

// lineAfter is chat's line of replies and notices after row id, up to
// burstRows of it, unclaimed: what a burst may join beyond the head of the
// line a round reads.
func lineAfter(ctx context.Context, db *store.DB, ch channel.Name, chat string, id int64, now time.Time) ([]pending, error) {
	rows, err := db.R.QueryContext(ctx, `SELECT `+pendingCols+` FROM outbox WHERE channel = ? AND chat = ? AND status = 'pending'
		AND lane < 3 AND id > ? AND (claimed_until IS NULL OR claimed_until <= ?) ORDER BY id LIMIT ?`,
		string(ch), chat, id, store.Stamp(now), burstRows)
	if err != nil {
		return nil, fmt.Errorf("line of %s after %d: %w", ch, id, err)
	}
	defer rows.Close()
	return scanPending(rows, ch)
}

// scanPending reads rows of pendingCols.
func scanPending(rows *sql.Rows, ch channel.Name) ([]pending, error) {
	var batch []pending
	for rows.Next() {
		p := pending{Item: Item{Reply: channel.Reply{Channel: ch}}}
		var buttons, attachment, created, next, lines string
		var err error
		if err := rows.Scan(&p.id, &p.Chat, &p.Text, &buttons, &p.EditOf, &p.Key, &p.ReplyTo, &attachment, &p.lane, &created, &next,
			&lines); err != nil {
			return nil, fmt.Errorf("list outbox of %s: %w", ch, err)
		}
		p.Lane = p.lane
		if buttons != "" {
			if err := json.Unmarshal([]byte(buttons), &p.Buttons); err != nil {
				return nil, fmt.Errorf("outbox %d: bad buttons: %w", p.id, err)
			}
		}
		if attachment != "" {
			p.Attachment = new(channel.Attachment)
			if err := json.Unmarshal([]byte(attachment), p.Attachment); err != nil {
				return nil, fmt.Errorf("outbox %d: bad attachment: %w", p.id, err)
			}
		}
		if lines != "" {
			p.Batch = new(Batch)
			if err := json.Unmarshal([]byte(lines), p.Batch); err != nil {
				return nil, fmt.Errorf("outbox %d: bad batch: %w", p.id, err)
			}
		}
		if p.created, err = time.Parse(time.RFC3339Nano, created); err != nil {
			return nil, fmt.Errorf("outbox %d: created %q: %w", p.id, created, err)
		}
		if next != "" {
			if p.nextTry, err = time.Parse(time.RFC3339Nano, next); err != nil {
				return nil, fmt.Errorf("outbox %d: next try %q: %w", p.id, next, err)
			}
		}
		batch = append(batch, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list outbox of %s: %w", ch, err)
	}
	return batch, nil
}

// claim takes rows ids for claimer, in order and in one transaction (a
// flood's hundreds of lines cost one write, not one each), up to the first
// that another sender holds, and says how many it took.
func claim(ctx context.Context, db *store.DB, ids []int64, claimer string, now time.Time) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	claimed := 0
	err := db.Write(ctx, func(tx *sql.Tx) error {
		claimed = 0 // a retried transaction starts again
		for _, id := range ids {
			res, err := tx.ExecContext(ctx, `UPDATE outbox SET claimed_by = ?, claimed_until = ?
				WHERE id = ? AND status = 'pending' AND (claimed_until IS NULL OR claimed_until <= ?)`,
				claimer, store.Stamp(now.Add(ClaimFor)), id, store.Stamp(now))
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				return err
			}
			claimed++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("claim outbox %d: %w", ids[0], err)
	}
	return claimed, nil
}

// release gives a claimed row back unsent, without counting an attempt:
// the channel was down or asked to wait until until (zero: no wait).
func release(ctx context.Context, db *store.DB, ids []int64, why error, until time.Time) error {
	var next any
	if !until.IsZero() {
		next = store.Stamp(until)
	}
	err := db.Write(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE outbox SET claimed_by = NULL, claimed_until = NULL, last_error = ?, next_try = ?
				WHERE id = ?`, why.Error(), next, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("release outbox %d: %w", ids[0], err)
	}
	return nil
}

// DropExpired is recorded on a message dropped because its time passed
// (Item.Expires) before it could go.
const DropExpired = "expired"

// expire drops the unsent messages of ch whose time is past: a reminder
// that did not go on its day is not sent the next.
func expire(ctx context.Context, db *store.DB, ch channel.Name, now time.Time) error {
	err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'dropped', last_error = ?
			WHERE channel = ? AND status = 'pending' AND expires_at IS NOT NULL AND expires_at <= ?`, DropExpired, string(ch), store.Stamp(now))
		return err
	})
	if err != nil {
		return fmt.Errorf("expire outbox of %s: %w", ch, err)
	}
	return nil
}

// mark records how a send went. It goes through the database's group
// commit, so under load the marks of many messages share one fsync.
func mark(ctx context.Context, db *store.DB, ids []int64, platformID string, sendErr error, now time.Time) error {
	err := db.Write(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			var err error
			switch {
			case sendErr == nil:
				_, err = tx.ExecContext(ctx, `UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = ?, platform_id = ?,
					claimed_by = NULL, claimed_until = NULL WHERE id = ?`, store.Stamp(now), null(platformID), id)
			case errors.Is(sendErr, channel.ErrPermanent):
				_, err = tx.ExecContext(ctx, `UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?,
					claimed_by = NULL, claimed_until = NULL WHERE id = ?`, sendErr.Error(), id)
			default:
				var attempts int
				if err = tx.QueryRowContext(ctx, `SELECT attempts + 1 FROM outbox WHERE id = ?`, id).Scan(&attempts); err != nil {
					return err
				}
				_, err = tx.ExecContext(ctx, `UPDATE outbox SET attempts = ?, last_error = ?, next_try = ?,
					claimed_by = NULL, claimed_until = NULL, status = CASE WHEN ? >= ? THEN 'failed' ELSE 'pending' END WHERE id = ?`,
					attempts, sendErr.Error(), store.Stamp(now.Add(backoff(attempts))), attempts, MaxAttempts, id)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("mark outbox %d: %w", ids[0], err)
	}
	return nil
}

// settle records a Vet's hold or drop.
func settle(ctx context.Context, db *store.DB, id int64, v Verdict) error {
	err := db.Write(ctx, func(tx *sql.Tx) error {
		var err error
		if v.Action == Drop {
			_, err = tx.ExecContext(ctx, `UPDATE outbox SET status = 'dropped', last_error = ? WHERE id = ?`, v.Reason, id)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE outbox SET next_try = ? WHERE id = ?`, store.Stamp(v.Until), id)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("settle outbox %d: %w", id, err)
	}
	return nil
}

// send delivers r, keeping the platform's id for it when the sender tells.
func send(ctx context.Context, s channel.Sender, r channel.Reply) (string, error) {
	if t, ok := s.(channel.Tracer); ok {
		return t.SendTraced(ctx, r)
	}
	return "", s.Send(ctx, r)
}

// SentWithButton returns the platform ids of the messages sent to chat on ch
// that carried a button with data, where the channel told the ids: all the
// announcements of one loan request, so a decision can take their buttons
// away wherever it was taken.
func SentWithButton(ctx context.Context, q store.Queryer, ch channel.Name, chat, data string) ([]string, error) {
	needle, err := json.Marshal(data)
	if err != nil {
		return nil, fmt.Errorf("button %q: %w", data, err)
	}
	rows, err := q.QueryContext(ctx, `SELECT platform_id FROM outbox WHERE channel = ? AND chat = ? AND platform_id IS NOT NULL
		AND instr(buttons, ?) > 0 ORDER BY id`, string(ch), chat, `"Data":`+string(needle))
	if err != nil {
		return nil, fmt.Errorf("messages with button %q: %w", data, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("messages with button %q: %w", data, err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
