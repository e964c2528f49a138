// Package whatsapp is kopbot's WhatsApp channel, on whatsmeow: it links the
// cooperative's number, turns incoming one-to-one messages into
// channel.Messages, and sends replies slowly enough not to get the number
// banned.
package whatsapp

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
)

// Config tunes an Adapter; the zero value works.
type Config struct {
	// Pacing spaces outgoing messages; zero fields take DefaultPacing's.
	Pacing Pacing
	// Location is the cooperative's zone, where the bulk cap's day turns.
	Location *time.Location
	// OnAlert is told, once per event, that WhatsApp has halted (kind is
	// one of the Alert constants) so officers can act. It runs on
	// whatsmeow's event goroutine: keep it short. May be nil.
	OnAlert func(ctx context.Context, kind, detail string)
	// Clock defaults to the system clock.
	Clock clock.Clock
}

// waClient is the part of whatsmeow's Client the adapter drives;
// *whatsmeow.Client satisfies it and tests record the calls instead.
type waClient interface {
	SendMessage(ctx context.Context, to types.JID, message *waE2E.Message, extra ...whatsmeow.SendRequestExtra) (whatsmeow.SendResponse, error)
	MarkRead(ctx context.Context, ids []types.MessageID, timestamp time.Time, chat, sender types.JID, receiptTypeExtra ...types.ReceiptType) error
	SendChatPresence(ctx context.Context, jid types.JID, state types.ChatPresence, media types.ChatPresenceMedia) error
	// Download fetches and decrypts a media message's file.
	Download(ctx context.Context, msg whatsmeow.DownloadableMessage) ([]byte, error)
	// Upload encrypts a file and puts it on WhatsApp's media servers, for
	// a message to point to.
	Upload(ctx context.Context, plaintext []byte, appInfo whatsmeow.MediaType) (whatsmeow.UploadResponse, error)
}

// Adapter is the WhatsApp channel: Run receives, Send delivers.
type Adapter struct {
	cli     *whatsmeow.Client
	wa      waClient
	lids    lidResolver
	pace    *Pacer
	conn    connState
	clock   clock.Clock
	onAlert func(ctx context.Context, kind, detail string)
	log     *slog.Logger
}

var _ channel.Sender = (*Adapter)(nil)

// NewAdapter returns the channel on s's device. Nothing connects until Run.
func NewAdapter(s *Session, cfg Config) *Adapter {
	cli := s.client("Client")
	// Acks wait for the handlers, and a handler that fails withholds the
	// ack, so WhatsApp redelivers instead of the message being lost. The
	// decrypted-event buffer keeps that redelivery readable: the Signal
	// ratchet has already moved on and could not decrypt it a second time.
	cli.SynchronousAck = true
	cli.EnableDecryptedEventBuffer = true
	// Keep retrying when the network is down at start, as after a drop.
	cli.EnableAutoReconnect = true
	cli.InitialAutoReconnect = true
	// The container's map, not s.device.LIDs: whatsmeow sets that only once
	// a device is paired, and it is the same map.
	a := newAdapter(cli, s.container.LIDMap, cfg, s.log)
	a.cli = cli
	return a
}

func newAdapter(wa waClient, lids lidResolver, cfg Config, log *slog.Logger) *Adapter {
	if cfg.Clock == nil {
		cfg.Clock = clock.Default()
	}
	if cfg.OnAlert == nil {
		cfg.OnAlert = func(context.Context, string, string) {}
	}
	a := &Adapter{
		wa:      wa,
		lids:    lids,
		pace:    NewPacer(cfg.Pacing, cfg.Location, nil),
		clock:   cfg.Clock,
		onAlert: cfg.OnAlert,
		log:     log.With("channel", channel.WhatsApp),
	}
	a.pace.onTyping = a.showTyping
	a.pace.log = a.log
	return a
}

// Run connects and hands incoming messages to h until ctx ends, then
// disconnects. whatsmeow reconnects by itself after drops; after a halting
// event (see ErrHalted) Run keeps waiting for ctx so the rest of kopbot
// runs on.
func (a *Adapter) Run(ctx context.Context, h channel.Handler) error {
	if a.cli.Store.ID == nil {
		return ErrNotPaired
	}
	id := a.cli.AddEventHandlerWithSuccessStatus(func(evt any) bool { return a.dispatch(ctx, h, evt) })
	defer a.cli.RemoveEventHandler(id)
	if err := a.cli.ConnectContext(ctx); err != nil {
		return fmt.Errorf("connect to whatsapp: %w", err)
	}
	<-ctx.Done()
	a.cli.Disconnect()
	return nil
}

// Pacer is how the outbox must space this adapter's messages: Send itself
// does not wait.
func (a *Adapter) Pacer() *Pacer { return a.pace }

// State reports the connection for health checks.
func (a *Adapter) State() State { return a.conn.get() }

// dispatch is the whatsmeow event handler; its result is whether whatsmeow
// may acknowledge the event.
func (a *Adapter) dispatch(ctx context.Context, h channel.Handler, evt any) bool {
	if m, ok := evt.(*events.Message); ok {
		return a.receive(ctx, h, m)
	}
	a.watch(ctx, evt)
	return true
}
