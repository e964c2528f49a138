package telegram

import (
	"context"
	"time"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
)

// shutdownGrace is how long an update being handled may still run after Run's
// context ends, so a handler is not cut off between posting and recording.
const shutdownGrace = 10 * time.Second

// maxNoticeLen is the most characters answerCallbackQuery shows.
const maxNoticeLen = 200

// Run long-polls for updates and hands them to h one at a time, in order,
// until ctx ends; it then finishes the update in hand and returns nil.
//
// The offset (the next update id to ask for) is stored after h accepted an
// update and before the next one is looked at. A crash before the store
// means the update comes again, and h's inbox recognises it by its id; a
// crash after means Telegram is told, with the next getUpdates, to forget it.
// So nothing is lost and nothing is handled twice. When h fails, the same
// update is retried with growing pauses: a later update is never handled
// before an earlier one.
func (b *Bot) Run(ctx context.Context, h channel.Handler) error {
	offset, err := loadOffset(ctx, b.db, b.base.Self.ID)
	if err != nil {
		return err
	}
	// work outlives ctx by shutdownGrace so the update in hand completes.
	work, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(shutdownGrace, cancel) })
	defer stop()

	pause := newBackoff(b.cfg.Backoff)
	for ctx.Err() == nil {
		updates, err := b.poll(ctx, offset)
		if err != nil {
			if ctx.Err() == nil {
				b.log.WarnContext(ctx, "telegram getUpdates failed", "err", err)
			}
			_ = clock.Sleep(ctx, pause.next()) // a cancelled ctx ends the loop
			continue
		}
		pause.reset()
		for _, u := range updates {
			if u.UpdateID < offset {
				continue // already handled; only a misbehaving server resends it
			}
			if err := b.dispatch(ctx, work, h, u); err != nil {
				return nil // ctx ended while the update kept failing; it comes again
			}
			offset = u.UpdateID + 1
			if err := saveOffset(work, b.db, b.base.Self.ID, offset); err != nil {
				return err
			}
			if ctx.Err() != nil {
				return nil
			}
		}
	}
	return nil
}

func (b *Bot) poll(ctx context.Context, offset int) ([]tgbotapi.Update, error) {
	updates, err := b.api(ctx).GetUpdates(tgbotapi.UpdateConfig{
		Offset:         offset,
		Limit:          100,
		Timeout:        int(b.cfg.PollTimeout / time.Second),
		AllowedUpdates: []string{"message", "callback_query"},
	})
	if err != nil {
		err = b.apiError("getUpdates", err)
	}
	b.health.observeReceive(err)
	return updates, err
}

// dispatch hands one update to h, retrying until h accepts it. Pauses end
// with ctx; the handler itself runs on work, which outlives ctx briefly.
func (b *Bot) dispatch(ctx, work context.Context, h channel.Handler, u tgbotapi.Update) error {
	in := b.inbound(u)
	if in.msg == nil && in.cb == nil {
		b.log.DebugContext(ctx, "telegram update ignored", "update_id", u.UpdateID)
		return nil
	}
	pause := newBackoff(b.cfg.Backoff)
	answered := false
	for {
		err := b.handle(work, h, in, &answered)
		if err == nil {
			return nil
		}
		b.log.WarnContext(ctx, "telegram update handler failed; will retry", "update_id", u.UpdateID, "err", err)
		if err := clock.Sleep(ctx, pause.next()); err != nil {
			return err
		}
	}
}

// handle makes one attempt at an inbound message or press. A press is
// answered once, at the first outcome: the spinner must stop now, and
// Telegram accepts one answer per press.
func (b *Bot) handle(ctx context.Context, h channel.Handler, in inbound, answered *bool) error {
	if in.msg != nil {
		return h.HandleMessage(ctx, *in.msg)
	}
	notice, err := h.HandleCallback(ctx, *in.cb)
	if !*answered {
		*answered = true
		if err != nil && notice == "" {
			notice = b.cfg.CallbackErrorText // a handler may say better
		}
		b.answer(ctx, in.cb.ID, notice)
	}
	return err
}

// answer stops the presser's spinner, showing notice. A failure is only
// logged: the press itself was handled, and Telegram drops unanswered
// queries on its own after a while.
func (b *Bot) answer(ctx context.Context, id, notice string) {
	if utf8.RuneCountInString(notice) > maxNoticeLen {
		notice = string([]rune(notice)[:maxNoticeLen-1]) + "…"
	}
	_, err := b.api(ctx).Request(tgbotapi.NewCallback(id, notice))
	if err != nil {
		err = b.apiError("answerCallbackQuery", err)
		b.log.WarnContext(ctx, "telegram answerCallbackQuery failed", "err", err)
	}
	b.health.observeSend(err)
}

// backoff is a bounded exponential pause.
type backoff struct{ first, cur time.Duration }

func newBackoff(first time.Duration) *backoff { return &backoff{first: first} }

func (p *backoff) next() time.Duration {
	if p.cur == 0 {
		p.cur = p.first
	} else {
		p.cur = min(2*p.cur, maxBackoff)
	}
	return p.cur
}

func (p *backoff) reset() { p.cur = 0 }
