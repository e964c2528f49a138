package router

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/i18n"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/membership"
	"github.com/kopmem/kopbot/internal/phone"
	"github.com/kopmem/kopbot/internal/understand"
)

// joinFlow is the flow of a member asking to join (flows/join.toml): the
// understanding reads "daftar", "mau jadi anggota" or "gimana caranya
// gabung" as it, from members and strangers alike.
const joinFlow = "join"

// nameWord starts a stranger's message that leaves their name for the
// officers, as the requirements ask: "daftar Siti Aminah".
const nameWord = "daftar"

// join answers a number that is no member and asks to join: the desk tells
// it the requirements, or takes the name it left. asked is false for any
// other message, which the once-a-day stranger answer takes. Only a
// channel that gives the number takes part: the officers need it to call.
func (r *Router) join(ctx context.Context, tx *sql.Tx, msg channel.Message, meaning *understand.Meaning, now time.Time) (said string, asked bool, err error) {
	if r.desk == nil || msg.Phone == "" || msg.Kind != channel.Text {
		return "", false, nil
	}
	name := r.nameIn(msg.Text)
	if name == "" && (len(meaning.Flows) == 0 || meaning.Flows[0] != joinFlow) {
		return "", false, nil
	}
	lang := i18n.Default
	if meaning.English {
		lang = "en"
	}
	said, err = r.desk.Prospect(ctx, tx, msg, lang, name, now)
	return said, true, err
}

// joinByAccount answers a Telegram account bound to no member that asks to
// join, or that shares its own number after asking: the desk keeps the ask
// and its name, and the number once shared, so the officers get a number
// to call. asked is false for anything else, which bind answers. The reply
// asks for the number with Telegram's button until it comes.
func (r *Router) joinByAccount(ctx context.Context, tx *sql.Tx, msg channel.Message, meaning *understand.Meaning, now time.Time) (reply channel.Reply, asked bool, err error) {
	if r.desk == nil {
		return channel.Reply{}, false, nil
	}
	// The kept ask is looked up only for what may join: an account's every
	// other word goes straight to bind.
	lang, name := i18n.Default, ""
	switch {
	case msg.Kind == channel.Contact:
		// Only one's own number, of no member, after asking to join: any
		// other contact is bind's, which binds a member or refuses.
		c := msg.Contact
		if c == nil || c.UserID != msg.From {
			return channel.Reply{}, false, nil
		}
		if _, known, err := membership.ProspectOf(ctx, tx, msg.Channel, msg.Chat); err != nil || !known {
			return channel.Reply{}, false, err
		}
		num, err := phone.Normalize(c.Phone)
		if err != nil {
			return channel.Reply{}, false, nil
		}
		switch _, err := member.ByPhone(ctx, tx, num); {
		case err == nil:
			return channel.Reply{}, false, nil
		case !errors.Is(err, member.ErrNotFound):
			return channel.Reply{}, false, err
		}
		msg.Phone = num
	case msg.Kind == channel.Text:
		name = r.nameIn(msg.Text)
		if name == "" && (len(meaning.Flows) == 0 || meaning.Flows[0] != joinFlow) {
			return channel.Reply{}, false, nil
		}
		if meaning.English {
			lang = "en"
		}
		p, _, err := membership.ProspectOf(ctx, tx, msg.Channel, msg.Chat)
		if err != nil {
			return channel.Reply{}, false, err
		}
		msg.Phone = p.Phone
	default:
		return channel.Reply{}, false, nil
	}
	said, err := r.desk.Prospect(ctx, tx, msg, lang, name, now)
	if err != nil || said == "" {
		return channel.Reply{}, true, err
	}
	reply = channel.Reply{Text: said}
	if msg.Phone == "" {
		reply.Buttons = [][]channel.Button{{{Text: r.msgs.T(lang, msgShareButton, nil), Data: channel.ContactRequest}}}
	} else if msg.Kind == channel.Contact {
		reply.Buttons = [][]channel.Button{{{Data: channel.KeyboardRemove}}}
	}
	return reply, true, nil
}

// nameIn is the name in "daftar <name>", "" when the words after daftar
// are no name: a request ("daftar anggota"), or only politeness ("daftar
// dong"), which the vocabulary knows.
func (r *Router) nameIn(text string) string {
	first, rest, ok := strings.Cut(strings.TrimSpace(text), " ")
	if !ok || !strings.EqualFold(first, nameWord) {
		return ""
	}
	m := r.engine.Understand(rest)
	if len(m.Flows) > 0 || m.Greeting != "" || m.Unknown == 0 || m.Yes || m.No {
		return ""
	}
	name, err := membership.CleanName(rest)
	if err != nil {
		return ""
	}
	return name
}
