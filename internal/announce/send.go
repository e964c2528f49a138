package announce

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/reminder"
	"github.com/kopmem/kopbot/internal/store"
)

// Key is the outbox key of announcement id's copy to member memberID: it
// goes at most once ever, however often Kirim is pressed or the bot restarts.
func Key(id, memberID int64) string { return keyPrefix(id) + strconv.FormatInt(memberID, 10) }

func keyPrefix(id int64) string { return "ann:" + strconv.FormatInt(id, 10) + ":" }

// parseKey reads a Key; ok is false for any other key.
func parseKey(key string) (id, memberID int64, ok bool) {
	rest, found := strings.CutPrefix(key, "ann:")
	if !found {
		return 0, 0, false
	}
	a, b, found := strings.Cut(rest, ":")
	if !found {
		return 0, 0, false
	}
	id, err1 := strconv.ParseInt(a, 10, 64)
	memberID, err2 := strconv.ParseInt(b, 10, 64)
	return id, memberID, err1 == nil && err2 == nil
}

// Footer renders, in a member's language, the line under every copy that
// says how to stop announcements.
type Footer func(lang string) string

// Send queues a draft to its recipients, as of now in loc, in the bulk
// lane: the officer's text as written, and the footer in each member's
// language. A member who said STOP (reminders) or STOP PENGUMUMAN is left
// out and counted as skipped. Copies not sent by the end of its last day
// (see ExpiresIf, validDays) are dropped, counted as expired; a draft
// whose named last day has passed is refused with ErrExpired. Sending
// twice queues nothing more: the second gets a DecidedError.
func Send(ctx context.Context, q store.Queryer, id int64, officer string, footer Footer, now time.Time, loc *time.Location,
	validDays int) (Announcement, error) {
	a, err := ByID(ctx, q, id)
	if err != nil {
		return Announcement{}, err
	}
	if a.Status != Draft {
		return Announcement{}, &DecidedError{Announcement: a}
	}
	expires := a.ExpiresIf(now, loc, validDays)
	if !expires.After(now) {
		return Announcement{}, fmt.Errorf("send announcement %d: %w", id, ErrExpired)
	}
	ms, err := Recipients(ctx, q, a, now.In(loc))
	if err != nil {
		return Announcement{}, err
	}
	wanted, err := Wanting(ctx, q, ms)
	if err != nil {
		return Announcement{}, fmt.Errorf("send announcement %d: %w", id, err)
	}
	at, err := member.ReachAll(ctx, q, wanted)
	if err != nil {
		return Announcement{}, fmt.Errorf("send announcement %d: %w", id, err)
	}
	queued := 0
	for _, m := range wanted {
		to := at[m.ID]
		added, err := outbox.Enqueue(ctx, q, outbox.Item{Reply: channel.Reply{Channel: to.Channel, Chat: to.Chat,
			Text: a.Text + "\n\n" + footer(m.Lang)}, Key: Key(a.ID, m.ID), Lane: channel.Bulk, Expires: expires}, now)
		if err != nil {
			return Announcement{}, fmt.Errorf("send announcement %d: %w", id, err)
		}
		if added {
			queued++
		}
	}
	return decide(ctx, q, id, Sent, officer, queued, len(ms)-len(wanted), expires, now)
}

// Wanting keeps, of ms, the members who still take announcements: neither
// STOP (they asked for nothing unasked) nor STOP PENGUMUMAN.
func Wanting(ctx context.Context, q store.Queryer, ms []member.Member) ([]member.Member, error) {
	ids := make([]int64, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	stopped := map[int64]bool{}
	for _, topic := range []reminder.Topic{reminder.Reminders, reminder.Announcements} {
		out, err := reminder.OptedOutOf(ctx, q, topic, ids)
		if err != nil {
			return nil, fmt.Errorf("%s choices: %w", topic, err)
		}
		for id := range out {
			stopped[id] = true
		}
	}
	kept := make([]member.Member, 0, len(ms))
	for _, m := range ms {
		if !stopped[m.ID] {
			kept = append(kept, m)
		}
	}
	return kept, nil
}

// DropOptedOut is recorded on a copy not sent because its member said STOP
// after it was queued.
const DropOptedOut = "opted out"

// Vetter looks at an announcement's copy again just before it goes.
type Vetter struct {
	DB *store.DB
	// NextOpen says when unasked messages may next go (the reminders'
	// window): a copy waits for it.
	NextOpen func(now time.Time) time.Time
	Now      func() time.Time
}

// Vet is outbox.Filter.Vet for announcements: a member who said STOP or
// STOP PENGUMUMAN since the copy was queued is not written to, and outside
// the sending window the copy waits. Anything else goes.
func (v Vetter) Vet(ctx context.Context, it outbox.Item) (outbox.Verdict, error) {
	_, memberID, ok := parseKey(it.Key)
	if !ok {
		return outbox.Verdict{Action: outbox.Send}, nil
	}
	kept, err := Wanting(ctx, v.DB.R, []member.Member{{ID: memberID}})
	if err != nil {
		return outbox.Verdict{}, fmt.Errorf("vet %s: %w", it.Key, err)
	}
	if len(kept) == 0 {
		return outbox.Verdict{Action: outbox.Drop, Reason: DropOptedOut}, nil
	}
	now := v.Now()
	if next := v.NextOpen(now); next.After(now) {
		return outbox.Verdict{Action: outbox.Hold, Until: next}, nil
	}
	return outbox.Verdict{Action: outbox.Send}, nil
}

// Report is how an announcement's delivery stands.
type Report struct {
	Announcement
	// Waiting copies are queued, not yet sent; Failed were given up on
	// (they show in /gagal); Skipped never went because the member said
	// STOP, before Kirim or after (or WhatsApp may not be written to them);
	// Expired were not sent by the end of its last day.
	Waiting, Delivered, Failed, Skipped, Expired int
}

// ReportOf reads a sent announcement's delivery from the outbox.
func ReportOf(ctx context.Context, q store.Queryer, a Announcement) (Report, error) {
	t, err := outbox.TallyKeyed(ctx, q, keyPrefix(a.ID))
	if err != nil {
		return Report{}, fmt.Errorf("report of announcement %d: %w", a.ID, err)
	}
	return Report{Announcement: a, Waiting: t.Pending, Delivered: t.Sent, Failed: t.Failed,
		Skipped: a.Skipped + t.Dropped - t.Expired, Expired: t.Expired}, nil
}
