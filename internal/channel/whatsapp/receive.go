package whatsapp

import (
	"context"
	"fmt"
	"github.com/kopmem/kopbot/internal/phone"

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
	a.presence(ctx, chat, types.ChatPresenceComposing)
	err = h.HandleMessage(ctx, msg)
	a.presence(ctx, chat, types.ChatPresencePaused)
	if err != nil {
		a.log.WarnContext(ctx, "whatsapp message left for redelivery", "id", msg.ID, "chat", phone.Last4(msg.Chat), "err", err)
		return false
	}
	if err := a.wa.MarkRead(ctx, []types.MessageID{evt.Info.ID}, a.clock.Now(), chat, evt.Info.Sender); err != nil {
		a.log.WarnContext(ctx, "whatsapp mark read failed", "id", msg.ID, "chat", phone.Last4(msg.Chat), "err", err)
	}
	return true
}

// presence shows or clears "typing…"; a failure only costs the member the
// indicator, so it is logged, not returned.
func (a *Adapter) presence(ctx context.Context, chat types.JID, state types.ChatPresence) {
	if err := a.wa.SendChatPresence(ctx, chat, state, types.ChatPresenceMediaText); err != nil {
		a.log.DebugContext(ctx, "whatsapp chat presence failed", "chat", phone.Last4(chat.String()), "state", state, "err", err)
	}
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
