package officer

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/payment"
	"github.com/kopmem/kopbot/internal/withdraw"
)

// maxCallbackData is Telegram's limit on a button's data, in bytes.
const maxCallbackData = 64

// Button data is "<verb>:<ref>": ap approves, rj asks for the reason to
// reject, if asks for the question to the member.
var verbs = map[string]loan.Verdict{"ap": loan.Approve, "rj": loan.Reject, "if": loan.AskInfo}

func buttonData(verb, ref string) string { return verb + ":" + ref }

// confirmVerb is the button data's verb of a second officer's confirmation
// of a proposal: "cf:<id>".
const confirmVerb = "cf"

func confirmData(id int64) string { return confirmVerb + ":" + strconv.FormatInt(id, 10) }

// parseConfirm reads a confirmation's button data.
func parseConfirm(data string) (int64, bool) {
	verb, id, ok := strings.Cut(data, ":")
	if !ok || verb != confirmVerb {
		return 0, false
	}
	n, err := strconv.ParseInt(id, 10, 64)
	return n, err == nil && n > 0
}

// parseData reads button data, refusing anything kopbot did not make.
func parseData(data string) (loan.Verdict, string, bool) {
	verb, ref, ok := strings.Cut(data, ":")
	v, known := verbs[verb]
	if !ok || !known || len(data) > maxCallbackData || !validRef(ref) {
		return "", "", false
	}
	return v, ref, true
}

// validRef accepts what loan references are made of (PJ-2611-0007).
func validRef(ref string) bool {
	if ref == "" {
		return false
	}
	for _, c := range ref {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

// pressCommand is the command a loan's button or a confirmation stands
// for, which a pengawas may or may not use.
func pressCommand(verdict loan.Verdict, confirming bool) string {
	switch {
	case confirming:
		return "konfirmasi"
	case verdict == loan.Approve:
		return "setujui"
	case verdict == loan.Reject:
		return "tolak"
	}
	return "info"
}

// Press handles Setujui / Tolak / Minta info under an announcement. The
// role is checked again on every press; of two presses on one request only
// the first decides, the second is told who decided.
func (d *Desk) Press(ctx context.Context, tx *sql.Tx, c channel.Callback, now time.Time) (string, error) {
	if pr, ok := payment.ParsePress(c.Data); ok {
		return d.pressProof(ctx, tx, c, pr, now)
	}
	if id, reject, ok := payment.ParseBankPress(c.Data); ok {
		return d.pressLine(ctx, tx, c, id, reject, now)
	}
	if pr, ok := withdraw.ParsePress(c.Data); ok {
		return d.pressWithdrawal(ctx, tx, c, pr, now)
	}
	t := d.newTurn(ctx, tx, now, channel.Message{Channel: c.Channel, ID: c.ID, Chat: c.Chat, From: c.From})
	t.press = true
	if id, send, ok := parseAnnounceData(c.Data); ok {
		out, err := step(t, func() (string, error) { return d.pressAnnounce(t, id, send, c.MessageID) })
		action := "press:announce:cancel"
		if send {
			action = "press:announce:send"
		}
		return d.settle(t, action, out, err)
	}
	t.subject = c.Data
	verdict, ref, ok := parseData(c.Data)
	proposal, confirming := parseConfirm(c.Data)
	leaver, leaving := parseLeaveEmpty(c.Data)
	out, err := step(t, func() (string, error) {
		if err := notForPengawas(t, pressCommand(verdict, confirming)); err != nil {
			return "", err
		}
		switch {
		case !t.isOfficer:
			return "", refuse("not an officer", "officer.error.not_officer", nil)
		case confirming:
			return d.confirm(t, proposal)
		case leaving:
			return d.confirmLeaveEmpty(t, leaver)
		case !ok:
			return "", refuse("unknown button", "officer.error.bad_button", nil)
		case verdict == loan.Approve:
			return d.decide(t, verdict, ref, "", c.MessageID)
		}
		t.subject = ref
		return d.askReason(t, verdict, ref, c.MessageID)
	})
	action := "press"
	switch {
	case ok:
		action += ":" + string(verdict)
	case confirming:
		action += ":confirm"
	case leaving:
		action += ":leave"
	}
	return d.settle(t, action, out, err)
}
