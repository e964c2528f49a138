package router

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/i18n"
	"github.com/kopmem/kopbot/internal/membership"
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
