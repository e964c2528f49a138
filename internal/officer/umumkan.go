package officer

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/kopmem/kopbot/internal/announce"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/markup"
	"github.com/kopmem/kopbot/internal/outbox"
)

// The wiring of announcements (package announce) to the desk: /umumkan
// writes a draft and shows its preview with Kirim / Batal, a manajer's
// press sends or cancels it, /umumkan status reports the delivery.

// announceCommands are the announcement's officer commands.
func announceCommands() map[string]command {
	return map[string]command{
		"umumkan": {args: 1, manager: true, usage: "announce.usage", run: (*Desk).announceCmd},
	}
}

// announceHelpOrder is where /bantuan lists them, after the books'.
var announceHelpOrder = []string{"umumkan"}

// statusShown is how many announcements /umumkan status lists.
const statusShown = 5

// Button data: "an:go:<id>" sends announcement id, "an:no:<id>" cancels it.
const (
	announceSend   = "an:go:"
	announceCancel = "an:no:"
)

// parseAnnounceData reads an announcement button's data.
func parseAnnounceData(data string) (id int64, send, ok bool) {
	rest, send := strings.CutPrefix(data, announceSend)
	if !send {
		if rest, ok = strings.CutPrefix(data, announceCancel); !ok {
			return 0, false, false
		}
	}
	id, err := strconv.ParseInt(rest, 10, 64)
	return id, send, err == nil && id > 0
}

// announceCmd is /umumkan [sampai <tanggal>] [tunggakan|baru|ke <nomor,…>]
// <teks>, /umumkan status [no], or /umumkan kirim|batal <no>: the buttons
// typed, for the terminal, which has none. A text that merely starts with
// one of these words ("Status keanggotaan …") is an announcement.
func (d *Desk) announceCmd(t *turn, args []string) (string, error) {
	verb := strings.ToLower(args[0])
	if verb == "status" && len(args) == 1 {
		return d.announceStatus(t, 0)
	}
	if id, ok := announceNo(args); ok {
		switch verb {
		case "status":
			return d.announceStatus(t, id)
		case "kirim", "batal":
			// The press's answer goes to the chat; its notice is the press's alone.
			_, err := d.pressAnnounce(t, id, verb == "kirim", "")
			return "", err
		}
	}
	// skip counts the words before the text, the command's own first.
	audience, skip := announce.All, 1
	var until time.Time
	if strings.EqualFold(args[0], "sampai") {
		var err error
		if until, err = d.lastDay(t, args); err != nil {
			return "", err
		}
		args, skip = args[2:], 3
	}
	var members []int64
	switch strings.ToLower(args[0]) {
	case "tunggakan":
		audience, skip = announce.Arrears, skip+1
	case "baru":
		audience, skip = announce.Newcomers, skip+1
	case "ke":
		if len(args) < 3 {
			return "", refuse("missing words", "officer.error.usage", map[string]any{"Usage": d.say(t, "announce.usage", nil)})
		}
		ids, unknown, err := announce.Resolve(t.ctx, t.tx, strings.Split(args[1], ","))
		if err != nil {
			return "", err
		}
		if len(unknown) > 0 || len(ids) == 0 {
			return "", refuse("unknown members", "announce.error.unknown_members",
				map[string]any{"Unknown": markup.Escape(strings.Join(unknown, ", "))})
		}
		audience, members, skip = announce.Listed, ids, skip+2
	}
	text := afterWords(t.text, skip)
	if text == "" {
		return "", refuse("no text", "announce.error.empty", nil)
	}
	a, err := announce.Create(t.ctx, t.tx, audience, members, text, t.off.ID, until, t.now)
	if err != nil {
		return "", err
	}
	t.subject = "#" + strconv.FormatInt(a.ID, 10)
	p, err := announce.PreviewOf(t.ctx, t.tx, a, t.now, d.cfg.BulkCapacity)
	if err != nil {
		return "", err
	}
	if p.Copies == 0 {
		return "", refuse("no recipients", "announce.error.no_recipients", map[string]any{"Audience": d.audienceName(t, audience)})
	}
	preview := d.say(t, "announce.preview", map[string]any{"ID": a.ID, "Audience": d.audienceName(t, audience), "Text": text,
		"Copies": p.Copies, "Skipped": p.Skipped, "Estimate": d.estimate(t, p.Estimate),
		"LastDay": d.lastDayOf(a.ExpiresIf(t.now, d.cfg.Location, d.cfg.AnnounceValidDays))})
	id := strconv.FormatInt(a.ID, 10)
	buttons := [][]channel.Button{{{Text: d.say(t, "announce.button.send", nil), Data: announceSend + id},
		{Text: d.say(t, "announce.button.cancel", nil), Data: announceCancel + id}}}
	if _, err := outbox.Enqueue(t.ctx, t.tx, outbox.Item{Reply: channel.Reply{Channel: t.ch, Chat: t.chat, Text: preview,
		Buttons: buttons}, Lane: channel.Interactive}, t.now); err != nil {
		return "", err
	}
	return "", nil
}

// lastDay reads the last day of "/umumkan sampai <tanggal> …": 10/12 (the
// next 10 December from today) or a full date, today or later.
func (d *Desk) lastDay(t *turn, args []string) (time.Time, error) {
	if len(args) < 3 {
		return time.Time{}, refuse("missing words", "officer.error.usage", map[string]any{"Usage": d.say(t, "announce.usage", nil)})
	}
	today := t.now.In(d.cfg.Location)
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, d.cfg.Location)
	day, ok := parseDay(args[1], d.cfg.Location)
	if !ok {
		short, err := time.ParseInLocation("2/1", args[1], d.cfg.Location)
		if err != nil {
			return time.Time{}, refuse("unreadable last day", "announce.error.until", map[string]any{"Date": markup.Escape(args[1])})
		}
		day = time.Date(today.Year(), short.Month(), short.Day(), 0, 0, 0, 0, d.cfg.Location)
		if day.Before(today) {
			day = day.AddDate(1, 0, 0)
		}
	}
	if day.Before(today) {
		return time.Time{}, refuse("last day passed", "announce.error.until_past", map[string]any{"Date": day.Format(DateLayout)})
	}
	return day, nil
}

// lastDayOf is the last day copies go before expires, as officers read it;
// "" for none (an announcement sent before they expired).
func (d *Desk) lastDayOf(expires time.Time) string {
	if expires.IsZero() {
		return ""
	}
	return expires.In(d.cfg.Location).AddDate(0, 0, -1).Format(DateLayout)
}

// announceNo reads the number of "/umumkan <verb> <no>" (3 or #3).
func announceNo(args []string) (int64, bool) {
	if len(args) != 2 {
		return 0, false
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(args[1], "#"), 10, 64)
	return id, err == nil && id > 0
}

// afterWords is s without its first n words, its own line breaks kept: an
// announcement keeps the layout its writer gave it.
func afterWords(s string, n int) string {
	s = strings.TrimSpace(s)
	for range n {
		i := strings.IndexFunc(s, unicode.IsSpace)
		if i < 0 {
			return ""
		}
		s = strings.TrimLeftFunc(s[i:], unicode.IsSpace)
	}
	return s
}

// audienceNames are the messages naming each audience.
var audienceNames = map[announce.Audience]string{
	announce.All: "announce.audience.all", announce.Arrears: "announce.audience.arrears",
	announce.Newcomers: "announce.audience.new", announce.Listed: "announce.audience.list",
}

func (d *Desk) audienceName(t *turn, a announce.Audience) string {
	return d.say(t, audienceNames[a], nil)
}

// estimate words how long the bulk pace takes.
func (d *Desk) estimate(t *turn, e announce.Estimate) string {
	switch {
	case e.Days > 0:
		return d.say(t, "announce.estimate.days", map[string]any{"Days": e.Days})
	case e.Within <= 0:
		return d.say(t, "announce.estimate.now", nil)
	}
	minutes := int((e.Within + time.Minute - 1) / time.Minute)
	return d.say(t, "announce.estimate.within", map[string]any{"Hours": minutes / 60, "Minutes": minutes % 60})
}

// pressAnnounce handles Kirim and Batal under a preview: a manajer's alone,
// re-checked on every press; of two presses only the first decides.
func (d *Desk) pressAnnounce(t *turn, id int64, send bool, pressed string) (string, error) {
	t.subject = "#" + strconv.FormatInt(id, 10)
	if !t.isOfficer {
		return "", refuse("not an officer", "officer.error.not_officer", nil)
	}
	if t.off.Role != loan.RoleManajer {
		return "", refuse("needs manajer", "officer.error.manager_only", map[string]any{"Command": "/umumkan"})
	}
	var a announce.Announcement
	var err error
	done, notice := "announce.cancelled", "announce.notice.cancelled"
	if send {
		done, notice = "announce.sent", "announce.notice.sent"
		footer := func(lang string) string { return d.cfg.Msgs.T(lang, "announce.footer", nil) }
		a, err = announce.Send(t.ctx, t.tx, id, t.off.ID, footer, t.now, d.cfg.Location, d.cfg.AnnounceValidDays)
	} else {
		a, err = announce.Cancel(t.ctx, t.tx, id, t.off.ID, t.now)
	}
	if err != nil {
		return "", d.explainAnnounce(t, id, err)
	}
	if err := d.takeButtonsOf(t, announceSend+strconv.FormatInt(id, 10), pressed); err != nil {
		return "", err
	}
	data := map[string]any{"ID": a.ID, "Officer": markup.Escape(t.off.Name), "Queued": a.Queued, "Skipped": a.Skipped}
	if err := t.reply(d.say(t, done, data)); err != nil {
		return "", err
	}
	return d.say(t, notice, data), nil
}

// explainAnnounce turns the announce package's refusals into the officer's
// message; anything else is a fault.
func (d *Desk) explainAnnounce(t *turn, id int64, err error) error {
	var decided *announce.DecidedError
	switch {
	case errors.Is(err, announce.ErrNotFound):
		return refuse("no such announcement", "announce.error.unknown_id", map[string]any{"ID": id})
	case errors.Is(err, announce.ErrExpired):
		return refuse("announcement past its last day", "announce.error.expired", map[string]any{"ID": id})
	case errors.As(err, &decided):
		a := decided.Announcement
		return refuse("announcement already "+string(a.Status), "announce.error.decided", map[string]any{"ID": a.ID,
			"Status": string(a.Status), "Officer": markup.Escape(d.officerName(a.DecidedBy))})
	}
	return err
}

// announceStatus is /umumkan status [no]: the delivery of the latest
// announcements, or of announcement id.
func (d *Desk) announceStatus(t *turn, id int64) (string, error) {
	var list []announce.Announcement
	if id > 0 {
		t.subject = "#" + strconv.FormatInt(id, 10)
		a, err := announce.ByID(t.ctx, t.tx, id)
		if err != nil {
			return "", d.explainAnnounce(t, id, err)
		}
		if a.Status != announce.Sent {
			return d.say(t, "announce.status.not_sent", map[string]any{"ID": a.ID, "Cancelled": a.Status == announce.Cancelled}), nil
		}
		list = []announce.Announcement{a}
	} else {
		var err error
		if list, err = announce.Recent(t.ctx, t.tx, statusShown); err != nil {
			return "", err
		}
	}
	if len(list) == 0 {
		return d.say(t, "announce.status.none", nil), nil
	}
	lines := make([]string, len(list))
	for i, a := range list {
		r, err := announce.ReportOf(t.ctx, t.tx, a)
		if err != nil {
			return "", err
		}
		lines[i] = d.say(t, "announce.status.line", map[string]any{"ID": a.ID, "Date": a.Decided.In(d.cfg.Location).Format(DateLayout),
			"Audience": d.audienceName(t, a.Audience), "Excerpt": markup.Escape(outbox.Excerpt(a.Text)),
			"Waiting": r.Waiting, "Delivered": r.Delivered, "Failed": r.Failed, "Skipped": r.Skipped, "Expired": r.Expired,
			"LastDay": d.lastDayOf(a.Expires)})
	}
	return d.say(t, "announce.status.list", map[string]any{"Lines": strings.Join(lines, "\n")}), nil
}
