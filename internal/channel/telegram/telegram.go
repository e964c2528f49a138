// Package telegram is kopbot's Telegram adapter: it long-polls the Bot API,
// turns updates into channel.Messages and channel.Callbacks, and sends
// replies with inline buttons; its Pacer keeps the outbox within Telegram's
// flood limits. It knows no
// business rule; the handler decides what a message or a button means.
package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/store"
)

// Config configures a Bot. Zero fields take the defaults noted.
type Config struct {
	Token string
	// APIEndpoint is the Bot API URL in the form "http://host:port/bot%s/%s"
	// (token, method); default tgbotapi.APIEndpoint.
	APIEndpoint string
	// FileEndpoint is where files are downloaded, "http://host:port/file/bot%s/%s"
	// (token, file path); default tgbotapi.FileEndpoint.
	FileEndpoint string
	// PollTimeout is how long one getUpdates waits for news; default 30s,
	// at least 1s.
	PollTimeout time.Duration
	// GlobalRate is the most messages per second sent overall; default 25.
	GlobalRate float64
	// PerChatInterval is the least time between two messages to one chat;
	// default 1s.
	PerChatInterval time.Duration
	// GroupInterval is the least time between two messages to one group;
	// default 3s (Telegram allows 20 a minute).
	GroupInterval time.Duration
	// Backoff is the first wait after a failed poll or a handler error,
	// doubled on each further failure up to maxBackoff; default 500ms.
	Backoff time.Duration
	// CallbackErrorText answers a button press the handler failed on, so the
	// officer's spinner stops with a hint to try again.
	CallbackErrorText string
	// Logger defaults to slog.Default().
	Logger *slog.Logger
}

const (
	maxBackoff = 30 * time.Second
	// requestSlack is how much longer than a long poll an HTTP request may
	// take before the client gives up on a silent connection.
	requestSlack = 15 * time.Second
)

func (c Config) withDefaults() Config {
	if c.APIEndpoint == "" {
		c.APIEndpoint = tgbotapi.APIEndpoint
	}
	if c.FileEndpoint == "" {
		c.FileEndpoint = tgbotapi.FileEndpoint
	}
	if c.PollTimeout == 0 {
		c.PollTimeout = 30 * time.Second
	}
	c.PollTimeout = max(c.PollTimeout, time.Second) // the API counts whole seconds; 0 would busy-poll
	if c.GlobalRate <= 0 {
		c.GlobalRate = 25
	}
	if c.PerChatInterval <= 0 {
		c.PerChatInterval = time.Second
	}
	if c.GroupInterval <= 0 {
		c.GroupInterval = 3 * time.Second
	}
	if c.Backoff <= 0 {
		c.Backoff = 500 * time.Millisecond
	}
	if c.CallbackErrorText == "" {
		c.CallbackErrorText = "Maaf, permintaan belum dapat diproses. Silakan coba lagi."
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// Bot is a connected Telegram bot. Send and the other sending methods are
// safe for concurrent use; Run is called once.
type Bot struct {
	cfg Config
	// base is the BotAPI from getMe; api copies it per call with a client
	// bound to that call's context.
	base   tgbotapi.BotAPI
	hc     *http.Client
	redact redactor
	db     *store.DB
	log    *slog.Logger
	pace   *Pacer
	health health
}

var _ channel.Tracer = (*Bot)(nil)

// New checks the token with getMe and the store for the adapter's table
// (open it with Schema).
func New(ctx context.Context, cfg Config, db *store.DB, clk clock.Clock) (*Bot, error) {
	if cfg.Token == "" {
		return nil, errors.New("telegram: no bot token configured")
	}
	if db == nil || clk == nil {
		return nil, errors.New("telegram: New needs a store and a clock")
	}
	cfg = cfg.withDefaults()
	b := &Bot{
		cfg:    cfg,
		hc:     &http.Client{Timeout: cfg.PollTimeout + requestSlack},
		redact: newRedactor(cfg.Token),
		db:     db,
		log:    cfg.Logger.With("channel", channel.Telegram),
		pace:   newPacer(cfg.GlobalRate, cfg.PerChatInterval, cfg.GroupInterval),
		health: health{clk: clk},
	}
	api, err := tgbotapi.NewBotAPIWithClient(cfg.Token, cfg.APIEndpoint, boundClient{ctx: ctx, hc: b.hc, redact: b.redact})
	if err != nil {
		err = b.apiError("getMe", err)
		b.health.observe(err)
		return nil, fmt.Errorf("connect to telegram: %w", err)
	}
	api.Debug = false // debug logging prints request parameters and could print the token's URL
	api.Client = nil  // every call goes through api(ctx)
	b.base = *api
	b.health.observe(nil)
	if _, err := loadOffset(ctx, db, b.base.Self.ID); err != nil {
		return nil, err
	}
	b.log.InfoContext(ctx, "telegram connected", "bot", b.base.Self.UserName)
	return b, nil
}

// Username is the bot's @name without the @.
func (b *Bot) Username() string { return b.base.Self.UserName }
