// Package server runs kopbot for real: the channels a cooperative configured,
// one paced delivery pump per channel, the reminder planner, and an HTTP
// endpoint for health checks and Prometheus. It stops gracefully: on
// cancel it stops taking messages, lets in-flight handling finish, and
// leaves everything undelivered queued for the next start.
package server

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/kopmem/kopbot/internal/announce"
	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/channel/telegram"
	"github.com/kopmem/kopbot/internal/channel/whatsapp"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/config"
	"github.com/kopmem/kopbot/internal/i18n"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/reminder"
	"github.com/kopmem/kopbot/internal/store"
)

// Options are what the command line adds to the settings.
type Options struct {
	App app.Options
	// Listening, when set, is told the HTTP address once it listens (tests
	// ask for port 0).
	Listening func(addr string)
}

// Run serves until ctx ends, then shuts down and returns nil; an error means
// kopbot could not start or a part failed for good.
func Run(ctx context.Context, cfg config.Config, opts Options) error {
	clk := opts.App.Clock
	if clk == nil {
		clk = clock.Default()
		opts.App.Clock = clk
	}
	// Before any channel connects: a second serve would answer every
	// member twice and send every notice twice.
	l, err := store.LockFor(cfg.DB, "kopbot serve", clk.Now())
	if err != nil {
		return err
	}
	defer l.Release()
	w := &waker{}
	opts.App.Notify = w.wake
	// caps is how many bulk messages each running channel carries on a
	// day at its pacing: the planner spreads WhatsApp's over the window by
	// it, /healthz reports the backlog in days of it, and an
	// announcement's preview estimates by it. Filled in as the channels
	// start.
	caps := NewCapacity(cfg)
	opts.App.BulkCapacity = caps.Pace
	// The planner needs the app's database, the officers' /tertunda its
	// list: set before any channel starts, so before any officer asks.
	var planner *reminder.Planner
	opts.App.Slipping = func(ctx context.Context) ([]reminder.Slip, error) { return planner.Slipping(ctx) }
	a, err := app.Open(ctx, cfg.DB, opts.App)
	if err != nil {
		return err
	}
	defer a.Close()
	m := newMetrics(a.DB)
	a.Router.OnFallback(m.fallbacks.Inc)
	h := counted{h: a.Router, m: m}
	rcfg := app.ReminderConfig(cfg)
	rcfg.Capacity = func(ch channel.Name, day time.Time) (int, bool) {
		if ch != channel.WhatsApp {
			return 0, false
		}
		return caps.PerDay(ch, day)
	}
	planner, err = reminder.NewPlanner(a.DB, a.Msgs, clk, rcfg)
	if err != nil {
		return err
	}
	// Announcements keep the reminders' polite hours.
	announcements := announce.Vetter{DB: a.DB, NextOpen: app.ReminderConfig(cfg).NextOpen, Now: clk.Now}

	var wg sync.WaitGroup
	defer wg.Wait()
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	errs := make(chan error, 4)
	start := func(name string, fn func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fn(runCtx); err != nil && runCtx.Err() == nil {
				errs <- fmt.Errorf("%s: %w", name, err)
			}
		}()
	}
	startPump := func(ch channel.Name, s channel.Sender, pacer channel.Pacer) {
		a.Router.SendDirectly(ch, countSends(s, ch, m))
		wake := w.add()
		f := outbox.Filter{Channel: ch, Vet: outbox.Vets(planner.Vet, announcements.Vet, member.VetConsent(a.DB.R)), Pacer: pacer,
			LateAfter: cfg.Delivery.LateAfter.Duration, Late: late(a), Burst: cfg.Delivery.Burst.Duration}
		start(string(ch)+" delivery", func(ctx context.Context) error {
			pump(ctx, a.DB, f, countSends(s, ch, m), clk, wake)
			return nil
		})
	}
	h2 := health{db: a.DB, caps: caps, now: clk.Now}
	routes := map[string]http.Handler{}

	if cfg.Telegram.Enabled {
		bot, err := telegram.New(ctx, telegram.Config{
			Token: cfg.TelegramToken(), APIEndpoint: cfg.Telegram.APIEndpoint, FileEndpoint: cfg.Telegram.FileEndpoint,
			GlobalRate: cfg.Telegram.GlobalRate, PerChatInterval: cfg.Telegram.PerChatInterval.Duration,
			GroupInterval: cfg.Telegram.GroupInterval.Duration,
		}, a.DB, clk)
		if err != nil {
			return fmt.Errorf("start telegram: %w", err)
		}
		h2.telegram = bot
		caps.telegram(cfg)
		if cfg.Telegram.Mode == config.ModeWebhook {
			if err := bot.SetWebhook(ctx, cfg.Telegram.WebhookURL, cfg.WebhookSecret()); err != nil {
				return err
			}
			u, err := url.Parse(cfg.Telegram.WebhookURL)
			if err != nil {
				return fmt.Errorf("telegram.webhook_url: %w", err)
			}
			routes["POST "+cmp.Or(u.Path, "/")] = bot.Webhook(h, cfg.WebhookSecret())
		} else {
			if err := bot.DropWebhook(ctx); err != nil {
				return fmt.Errorf("start telegram: %w", err)
			}
			start("telegram", func(ctx context.Context) error { return bot.Run(ctx, h) })
		}
		startPump(channel.Telegram, bot, bot.Pacer())
	}
	if cfg.WhatsApp.Enabled {
		wa, closeWA, err := openWhatsApp(ctx, cfg, a, clk)
		if err != nil {
			return err
		}
		defer closeWA()
		h2.whatsapp = wa
		caps.whatsapp(wa.Pacer())
		start("whatsapp", func(ctx context.Context) error { return wa.Run(ctx, h) })
		startPump(channel.WhatsApp, wa, wa.Pacer())
	}
	start("reminders", func(ctx context.Context) error {
		plan(ctx, planner, w.wake)
		return nil
	})
	served := []channel.Name{}
	if cfg.Telegram.Enabled {
		served = append(served, channel.Telegram)
	}
	if cfg.WhatsApp.Enabled {
		served = append(served, channel.WhatsApp)
	}
	start("retention", func(ctx context.Context) error {
		retention(ctx, a.DB, app.StatementsDir(a.DB.Path()), time.Duration(cfg.Privacy.MessageDays)*24*time.Hour,
			time.Duration(cfg.Joining.ProspectDays)*24*time.Hour, clk)
		return nil
	})
	start("kolek", func(ctx context.Context) error {
		hourly(ctx, "store the day's kolektibilitas", cfg.Location(), clk, func(now time.Time) error {
			return storeYesterday(ctx, a.DB, a.Kolek, now)
		})
		return nil
	})
	start("month-ends", func(ctx context.Context) error {
		hourly(ctx, "store the books' month ends", cfg.Location(), clk, func(now time.Time) error {
			return storeMonthEnds(ctx, a.DB, a.Chart, now)
		})
		return nil
	})
	if s := cfg.Jasa(); s.Rate.IsPositive() {
		start("jasa", func(ctx context.Context) error {
			jasaMonthly(ctx, a.DB, a.Chart, s, cfg.Location(), clk)
			return nil
		})
	}
	start("unserved", func(ctx context.Context) error {
		sweepUnserved(ctx, a.DB, served, clk)
		return nil
	})
	if len(routes) > 0 && cfg.HTTP.Listen == "" {
		return fmt.Errorf("telegram webhook mode needs http.listen: Telegram's posts arrive there")
	}
	if cfg.HTTP.Listen != "" {
		routes["GET /healthz"] = h2
		routes["GET /metrics"] = metricsHandler(m)
		srv, addr, err := listen(cfg.HTTP.Listen, routes)
		if err != nil {
			return err
		}
		slog.InfoContext(ctx, "http listening", "addr", addr)
		if opts.Listening != nil {
			opts.Listening(addr)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-runCtx.Done()
			shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = srv.Shutdown(shutCtx) // nothing left to do with an error on the way out
		}()
	}
	slog.InfoContext(ctx, "kopbot serving", "db", cfg.DB, "telegram", cfg.Telegram.Enabled, "whatsapp", cfg.WhatsApp.Enabled,
		"http", cfg.HTTP.Listen, "officers", len(cfg.Officers))
	slog.DebugContext(ctx, "settings in effect", "settings", cfg.Redacted())
	select {
	case <-ctx.Done():
		slog.InfoContext(ctx, "shutting down")
		return nil
	case err := <-errs:
		return err
	}
}

const msgLate = "delivery.late"

// late puts the apology for the delay above a reply that waited too long.
func late(a *app.App) func(outbox.Item) outbox.Item {
	return func(it outbox.Item) outbox.Item {
		it.Text = a.Msgs.T(i18n.Default, msgLate, nil) + "\n\n" + it.Text
		return it
	}
}

// openWhatsApp opens the paired session. Its alerts (logged out, banned…)
// go to the officers through the outbox, like everything else.
func openWhatsApp(ctx context.Context, cfg config.Config, a *app.App, clk clock.Clock) (*whatsapp.Adapter, func(), error) {
	sess, err := whatsapp.Open(ctx, cfg.WhatsApp.Session, slog.Default())
	if err != nil {
		return nil, nil, err
	}
	if !sess.Paired() {
		sess.Close()
		return nil, nil, fmt.Errorf("whatsapp is enabled but not linked: run `kopbot whatsapp link` first")
	}
	wa := whatsapp.NewAdapter(sess, whatsapp.Config{
		Pacing:   whatsAppPacing(cfg),
		Location: cfg.Location(),
		Clock:    clk,
		OnAlert: func(ctx context.Context, kind, detail string) {
			if err := a.AlertOfficers(ctx, "serve.alert.whatsapp", map[string]any{"Kind": kind, "Detail": detail}); err != nil {
				slog.ErrorContext(ctx, "alert officers", "kind", kind, "err", err)
			}
		},
	})
	// The warm-up counts from the number's first day with kopbot, the
	// day's cap from what already went today, and WhatsApp's refusals hold
	// what they held, whatever the restarts.
	now := clk.Now()
	first, err := outbox.FirstUse(ctx, a.DB, channel.WhatsApp, sess.Number(), now)
	if err == nil {
		wa.Pacer().FirstUsed(first)
		var n int
		d := now.In(cfg.Location())
		n, err = outbox.BulkSentSince(ctx, a.DB.R, channel.WhatsApp, time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, d.Location()))
		wa.Pacer().SentToday(now, n)
	}
	if err == nil {
		err = wa.Pacer().Keep(ctx, outbox.Holds{DB: a.DB, Channel: channel.WhatsApp, Number: sess.Number()}, now)
	}
	if err != nil {
		sess.Close()
		return nil, nil, err
	}
	return wa, func() { sess.Close() }, nil
}

func listen(addr string, routes map[string]http.Handler) (*http.Server, string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("listen %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	for pattern, h := range routes {
		mux.Handle(pattern, h)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			slog.Error("http server", "err", err)
		}
	}()
	return srv, ln.Addr().String(), nil
}

// whatsAppPacing is the WhatsApp pace the settings ask for.
func whatsAppPacing(cfg config.Config) whatsapp.Pacing {
	return whatsapp.Pacing{MinInterval: cfg.WhatsApp.MinInterval.Duration, Jitter: cfg.WhatsApp.Jitter.Duration,
		ChatGap: cfg.WhatsApp.ChatGap.Duration, BulkDailyCap: cfg.WhatsApp.BulkDailyCap,
		TypingMin: cfg.WhatsApp.TypingMin.Duration, TypingMax: cfg.WhatsApp.TypingMax.Duration,
		WarmupStartCap: cfg.WhatsApp.WarmupStartCap, WarmupDays: cfg.WhatsApp.WarmupDays}
}
