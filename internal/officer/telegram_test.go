package officer_test

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/channel/telegram"
	"github.com/kopmem/kopbot/internal/channel/telegram/telegramtest"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/outbox"
)

// TestTelegram drives the desk through the real adapter against the fake
// Bot API: the announcement goes out with its buttons, a press is answered
// and takes the buttons away, and a command typed in the group is answered.
func TestTelegram(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	srv, deliver := e.runBot()
	ctx := context.Background()
	groupID, _ := strconv.ParseInt(group, 10, 64)
	officerID, _ := strconv.ParseInt(budi, 10, 64)

	// apply drained the announcement through a recorder; announce again
	// through the bot to get a real message with buttons.
	a := e.apply(5_000_000, 10)
	e.write(func(tx *sql.Tx) error { return e.a.Desk.Announce(ctx, tx, a, e.siti, e.clk.Now()) })
	deliver()
	ann := srv.WaitSent(1, 5*time.Second)[0]
	if ann.ChatID != groupID || ann.ReplyMarkup == nil || len(ann.ReplyMarkup.InlineKeyboard) != 3 {
		t.Fatalf("announcement %+v", ann)
	}
	for _, row := range ann.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			if n := len(b.CallbackData); n == 0 || n > 64 || !strings.HasSuffix(b.CallbackData, ":"+a.Ref) {
				t.Errorf("button %+v", b)
			}
		}
	}

	query := srv.PushCallback(groupID, officerID, ann.MessageID, "ap:"+a.Ref)
	answered := srv.WaitAnswered(1, 5*time.Second)
	if answered[0].QueryID != query || !strings.Contains(answered[0].Text, "disetujui") {
		t.Fatalf("answer %+v", answered[0])
	}
	if s := e.status(a.Ref); s != loan.StatusApproved {
		t.Fatalf("status %s", s)
	}
	deliver()
	// Both announcements of the request lose their buttons: the one the
	// recorder numbered and the one the bot sent.
	removed := 0
	for _, ed := range srv.WaitEdits(2, 5*time.Second) {
		if ed.ChatID != groupID || (ed.ReplyMarkup != nil && len(ed.ReplyMarkup.InlineKeyboard) != 0) {
			t.Fatalf("edit %+v, want buttons removed in the group", ed)
		}
		if ed.MessageID == ann.MessageID {
			removed++
		}
	}
	if removed != 1 {
		t.Fatalf("edits %+v, want the announcement's buttons removed once", srv.Edits())
	}
	sent := srv.WaitSent(2, 5*time.Second)
	if s := sent[1]; s.ChatID != groupID || !strings.Contains(s.Text, "disetujui") || !strings.Contains(s.Text, "Budi") {
		t.Fatalf("decision message %+v", s)
	}

	update := srv.PushText(groupID, officerID, "/antrian@"+telegramtest.Bot.Username)
	srv.WaitConfirmed(update, 5*time.Second)
	deliver()
	sent = srv.WaitSent(3, 5*time.Second)
	if s := sent[2]; s.ChatID != groupID || !strings.Contains(s.Text, "Tidak ada pengajuan") {
		t.Fatalf("/antrian reply %+v", s)
	}
}

// runBot runs the real Telegram client on the env's router against a fake
// Bot API until the test ends; deliver sends what the outbox holds for
// Telegram through it.
func (e *env) runBot() (srv *telegramtest.Server, deliver func()) {
	t := e.t
	t.Helper()
	srv = telegramtest.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	bot, err := telegram.New(ctx, telegram.Config{Token: telegramtest.Token, APIEndpoint: srv.Endpoint(),
		PollTimeout: time.Second, PerChatInterval: time.Millisecond, Backoff: 10 * time.Millisecond}, e.a.DB, e.clk)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- bot.Run(ctx, e.a.Router) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	return srv, func() {
		t.Helper()
		if _, err := outbox.Deliver(ctx, e.a.DB, outbox.Filter{Channel: channel.Telegram, Limit: 100}, bot,
			e.a.Clock.Now); err != nil {
			t.Fatal(err)
		}
	}
}
