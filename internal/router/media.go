package router

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"strconv"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/member"
)

// Messages about files members send.
const (
	msgTooLarge    = "payment.proof.too_large"
	msgFetchFailed = "payment.proof.fetch_failed"
)

// Proofs takes the files members send: kept on disk before the message's
// transaction (a download never holds the writer), then, inside it, taken
// as a transfer proof; and a member's answer to "what was this transfer
// for?".
type Proofs interface {
	Keep(ctx context.Context, f *channel.File) (channel.Attachment, error)
	// Limit is the largest file Keep takes, in bytes.
	Limit() int64
	// Take records a kept file as a transfer proof and returns what to tell
	// the member.
	Take(ctx context.Context, tx *sql.Tx, m member.Member, msgID, caption string, a channel.Attachment, now time.Time) (string, error)
	// Clarify takes text as the answer to a question about a proof; done
	// is false when no proof awaits one or text is no answer.
	Clarify(ctx context.Context, tx *sql.Tx, m member.Member, text string, now time.Time) (said string, done bool, err error)
}

// SetProofs makes r keep the files members send and take transfer proofs.
// Without it a file is answered with a request to type.
func (r *Router) SetProofs(p Proofs) { r.proofs = p }

// kept is what became of a message's file before the transaction.
type kept struct {
	file *channel.Attachment
	// tooLarge and failed say why there is no file.
	tooLarge, failed bool
}

// keep downloads the file of a member's message when something will be
// done with it: an image or document may be a transfer proof, and during a
// handoff every file is forwarded. Stickers and voice notes outside a
// handoff, and files from strangers, are not fetched at all.
func (r *Router) keep(ctx context.Context, msg channel.Message) kept {
	if r.proofs == nil || msg.Kind != channel.Media || msg.File == nil || msg.File.Fetch == nil ||
		(byAccount(msg) && msg.Chat != msg.From) {
		return kept{}
	}
	m, err := MemberOf(ctx, r.db.R, msg)
	if err != nil {
		return kept{}
	}
	if k := msg.File.Kind; k != channel.Image && k != channel.Document {
		if _, err := member.OpenHandoffOf(ctx, r.db.R, m.ID); err != nil {
			return kept{}
		}
	}
	a, err := r.proofs.Keep(ctx, msg.File)
	switch {
	case errors.Is(err, channel.ErrTooLarge):
		return kept{tooLarge: true}
	case err != nil:
		// A file that cannot be fetched now (expired on WhatsApp's servers)
		// will not be fetched by a redelivery either: the member is asked to
		// send it again instead.
		slog.WarnContext(ctx, "member file not fetched", "channel", msg.Channel, "id", msg.ID, "err", err)
		return kept{failed: true}
	}
	return kept{file: &a}
}

// media answers a member's file: forwarded during a handoff, taken as a
// transfer proof when it can be one, otherwise a friendly request to type.
func (r *Router) media(ctx context.Context, tx *sql.Tx, m member.Member, msg channel.Message, k kept, now time.Time) (string, error) {
	msgID := string(msg.Channel) + ":" + msg.ID
	if said, done, err := r.relay(ctx, tx, m, msgID, msg.Text, k.file, now); err != nil || done {
		return said, err
	}
	switch {
	case msg.File == nil || (msg.File.Kind != channel.Image && msg.File.Kind != channel.Document) || r.proofs == nil:
		return r.msgs.T(m.Lang, msgPleaseType, map[string]any{"Name": m.Name}), nil
	case k.tooLarge:
		return r.msgs.T(m.Lang, msgTooLarge, map[string]any{"Max": sizeText(r.proofs.Limit())}), nil
	case k.file == nil:
		return r.msgs.T(m.Lang, msgFetchFailed, nil), nil
	}
	return r.proofs.Take(ctx, tx, m, msgID, msg.Text, *k.file, now)
}

// sizeText says a file size limit the way a member reads it.
func sizeText(n int64) string {
	if n >= 1<<20 {
		return strconv.FormatInt(n>>20, 10) + " MB"
	}
	return strconv.FormatInt(max(n>>10, 1), 10) + " KB"
}
