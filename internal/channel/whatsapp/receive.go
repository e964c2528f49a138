package whatsapp

import (
	"context"
	"fmt"
	"github.com/kopmem/kopbot/internal/phone"
	"time"

	"go.mau.fi/whatsmeow"

	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"github.com/kopmem/kopbot/internal/channel"
)

// receive hands one message to h and reports whether it may be
// acknowledged: only once h has recorded it, so a failure means WhatsApp
// delivers it again (and the inbox answers a redelivery once).
func (a *Adapter) receive(ctx context.Context, h channel.Handler, evt *events.Message) bool {
	msg, ok, err := convert(ctx, evt, a.lids, a.log)
	if err != nil {
		a.log.WarnContext(ctx, "whatsapp message left for redelivery", "id", evt.Info.ID, "err", err)
		return false
	}
	if !ok {
		return true
	}
	if msg.File != nil {
		_, dm := media(evt.Message)
		msg.File.Fetch = a.fetcher(dm, msg.File.Size)
	}
	chat := evt.Info.Chat.ToNonAD()
	// They wrote: WhatsApp takes messages to them again.
	a.pace.Wrote(ctx, msg.Chat)
	// "typing…" is shown by the pacer while the reply waits its pause,
	// not here: handling takes milliseconds, and a number answered with
	// silence (a stranger's flood) should not see kopbot typing.
	if err := h.HandleMessage(ctx, msg); err != nil {
		a.log.WarnContext(ctx, "whatsapp message left for redelivery", "id", msg.ID, "chat", phone.Last4(msg.Chat), "err", err)
		return false
	}
	if err := a.wa.MarkRead(ctx, []types.MessageID{evt.Info.ID}, a.clock.Now(), chat, evt.Info.Sender); err != nil {
		a.log.WarnContext(ctx, "whatsapp mark read failed", "id", msg.ID, "chat", phone.Last4(msg.Chat), "err", err)
	}
	return true
}

// typingTimeout bounds showing "typing…": it is worth nothing late.
const typingTimeout = 5 * time.Second

// showTyping shows "typing…" in chat while its reply waits out its pause,
// off the delivery round (the pacer never waits). WhatsApp clears it when
// the reply arrives. A failure only costs the member the indicator, so it
// is logged, not returned.
func (a *Adapter) showTyping(chat string) {
	to, err := recipient(chat)
	if err != nil {
		return // the reply itself will be refused and reported
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), typingTimeout)
		defer cancel()
		if err := a.wa.SendChatPresence(ctx, to, types.ChatPresenceComposing, types.ChatPresenceMediaText); err != nil {
			a.log.DebugContext(ctx, "whatsapp chat presence failed", "chat", phone.Last4(chat), "err", err)
		}
	}()
}

// fetcher downloads dm through whatsmeow, which decrypts it and checks its
// hashes. A declared size above the limit is refused before downloading.
func (a *Adapter) fetcher(dm whatsmeow.DownloadableMessage, declared int64) func(context.Context, int64) ([]byte, error) {
	return func(ctx context.Context, limit int64) ([]byte, error) {
		if declared > limit {
			return nil, fmt.Errorf("whatsapp file of %d bytes, limit %d: %w", declared, limit, channel.ErrTooLarge)
		}
		data, err := a.wa.Download(ctx, dm)
		if err != nil {
			return nil, fmt.Errorf("whatsapp download: %w", err)
		}
		if int64(len(data)) > limit {
			return nil, fmt.Errorf("whatsapp file of %d bytes, limit %d: %w", len(data), limit, channel.ErrTooLarge)
		}
		return data, nil
	}
}
