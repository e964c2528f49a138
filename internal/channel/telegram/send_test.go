package telegram

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/kopmem/kopbot/internal/channel"
	tt "github.com/kopmem/kopbot/internal/channel/telegram/telegramtest"
)

var decision = [][]channel.Button{
	{{Text: "Setujui", Data: "loan:approve:17"}, {Text: "Tolak", Data: "loan:reject:17"}},
	{{Text: "Minta info", Data: "loan:info:17"}},
}

var decisionMarkup = &tt.ReplyMarkup{InlineKeyboard: [][]tt.InlineButton{
	{{Text: "Setujui", CallbackData: "loan:approve:17"}, {Text: "Tolak", CallbackData: "loan:reject:17"}},
	{{Text: "Minta info", CallbackData: "loan:info:17"}},
}}

func TestSendRendersHTMLWithButtons(t *testing.T) {
	t.Parallel()
	srv := tt.New(t)
	b := newBot(t, testConfig(srv), nil)
	err := b.Send(context.Background(), channel.Reply{Channel: channel.Telegram, Chat: "-100123",
		Text: "Pengajuan *Rp 5.000.000* dari <Ani & Budi>", Buttons: decision})
	if err != nil {
		t.Fatal(err)
	}
	sent := srv.Sent()
	want := tt.SentMessage{ChatID: -100123, Text: "Pengajuan <b>Rp 5.000.000</b> dari &lt;Ani &amp; Budi&gt;", ParseMode: "HTML", ReplyMarkup: decisionMarkup}
	if len(sent) != 1 {
		t.Fatalf("sent %d messages, want 1", len(sent))
	}
	got := sent[0]
	got.MessageID, got.At = 0, time.Time{}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sent %+v\nwant %+v", got, want)
	}
}

func TestSendRefusesBadReplies(t *testing.T) {
	t.Parallel()
	srv := tt.New(t)
	b := newBot(t, testConfig(srv), nil)
	tests := []struct {
		name string
		r    channel.Reply
	}{
		{"callback data over 64 bytes", channel.Reply{Chat: "42", Text: "x", Buttons: [][]channel.Button{{{Text: "Setujui", Data: strings.Repeat("a", 65)}}}}},
		{"empty callback data", channel.Reply{Chat: "42", Text: "x", Buttons: [][]channel.Button{{{Text: "Setujui"}}}}},
		{"button without text", channel.Reply{Chat: "42", Text: "x", Buttons: [][]channel.Button{{{Data: "a"}}}}},
		{"chat not a number", channel.Reply{Chat: "6281234567890@s.whatsapp.net", Text: "x"}},
		{"empty text", channel.Reply{Chat: "42", Text: " \n "}},
		{"other channel", channel.Reply{Channel: channel.WhatsApp, Chat: "42", Text: "x"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := b.Send(context.Background(), tc.r)
			if !errors.Is(err, ErrPermanent) {
				t.Errorf("Send = %v, want ErrPermanent", err)
			}
		})
	}
	if n := srv.Calls("sendMessage"); n != 0 {
		t.Errorf("sendMessage called %d times for refused replies", n)
	}
	// 64 bytes exactly is fine.
	ok := channel.Reply{Chat: "42", Text: "x", Buttons: [][]channel.Button{{{Text: "Setujui", Data: strings.Repeat("é", 32)}}}}
	if err := b.Send(context.Background(), ok); err != nil {
		t.Errorf("64-byte callback data refused: %v", err)
	}
}

func TestSendSplitsLongText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		text      string
		wantParts int
	}{
		{"words", strings.Repeat("angsuran *lunas* ", 1000), 5}, // 17000 runes, 15000 visible
		{"emoji count double", strings.Repeat("🙏 ", 3000), 3},   // 6000 runes but 9000 UTF-16 units
		{"fits", strings.Repeat("a", 4096), 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := tt.New(t)
			b := newBot(t, testConfig(srv), nil)
			if err := b.Send(context.Background(), channel.Reply{Chat: "42", Text: tc.text, Buttons: decision}); err != nil {
				t.Fatal(err) // the fake refuses anything over 4096 UTF-16 units
			}
			sent := srv.Sent()
			if len(sent) != tc.wantParts {
				t.Fatalf("sent %d parts, want %d", len(sent), tc.wantParts)
			}
			var joined []string
			for i, m := range sent {
				if (m.ReplyMarkup != nil) != (i == len(sent)-1) {
					t.Errorf("part %d: buttons %v; want them on the last part only", i, m.ReplyMarkup)
				}
				if n := len(utf16.Encode([]rune(m.Text))); i < len(sent)-1 && n < 1000 {
					t.Errorf("part %d is needlessly short: %d units", i, n)
				}
				joined = append(joined, m.Text)
			}
			norm := func(s string) string { return strings.Join(strings.Fields(s), " ") }
			want := norm(strings.NewReplacer("*lunas*", "<b>lunas</b>").Replace(tc.text))
			if got := norm(strings.Join(joined, " ")); got != want {
				t.Errorf("parts do not add up to the text (%d vs %d bytes)", len(got), len(want))
			}
		})
	}
}

func TestSend429IsThrottledNotRetried(t *testing.T) {
	t.Parallel()
	srv := tt.New(t)
	b := newBot(t, testConfig(srv), nil)
	srv.FailNext("sendMessage", 1, 429, 7)
	err := b.Send(context.Background(), channel.Reply{Chat: "42", Text: "halo"})
	var th channel.Throttled
	if !errors.As(err, &th) || th.Wait() != 7*time.Second || errors.Is(err, ErrPermanent) || errors.Is(err, channel.ErrUnavailable) {
		t.Fatalf("Send = %v, want a 429 asking to wait 7s", err)
	}
	if n := srv.Calls("sendMessage"); n != 1 {
		t.Errorf("sendMessage called %d times: the outbox waits, not Send", n)
	}
}

func TestSendErrorClasses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code      int
		permanent bool
		down      bool
	}{
		{400, true, false}, {403, true, false}, {401, true, false}, {500, false, true}, {502, false, true},
	}
	for _, tc := range tests {
		t.Run(strconv.Itoa(tc.code), func(t *testing.T) {
			t.Parallel()
			srv := tt.New(t)
			b := newBot(t, testConfig(srv), nil)
			srv.FailNext("sendMessage", 1, tc.code, 0)
			err := b.Send(context.Background(), channel.Reply{Chat: "42", Text: "halo"})
			var ae *APIError
			if !errors.As(err, &ae) || ae.Code != tc.code {
				t.Fatalf("Send = %v, want APIError %d", err, tc.code)
			}
			if errors.Is(err, ErrPermanent) != tc.permanent || errors.Is(err, channel.ErrUnavailable) != tc.down {
				t.Errorf("permanent = %v, down = %v, want %v, %v (%v)", !tc.permanent, !tc.down, tc.permanent, tc.down, err)
			}
			if n := srv.Calls("sendMessage"); n != 1 {
				t.Errorf("sendMessage called %d times; nothing is retried inside Send", n)
			}
		})
	}
}

func TestContactKeyboard(t *testing.T) {
	t.Parallel()
	srv := tt.New(t)
	b := newBot(t, testConfig(srv), nil)
	ctx := context.Background()
	if err := b.RequestContact(ctx, "42", "Silakan bagikan nomor Anda", "Bagikan nomor"); err != nil {
		t.Fatal(err)
	}
	if err := b.RemoveKeyboard(ctx, "42", "Terima kasih, nomor tercatat"); err != nil {
		t.Fatal(err)
	}
	sent := srv.Sent()
	wantAsk := &tt.ReplyMarkup{Keyboard: [][]tt.KeyboardButton{{{Text: "Bagikan nomor", RequestContact: true}}}, OneTimeKeyboard: true, ResizeKeyboard: true}
	if !reflect.DeepEqual(sent[0].ReplyMarkup, wantAsk) {
		t.Errorf("request keyboard = %+v, want %+v", sent[0].ReplyMarkup, wantAsk)
	}
	if m := sent[1].ReplyMarkup; m == nil || !m.RemoveKeyboard {
		t.Errorf("remove keyboard = %+v", m)
	}
}

func TestEditButtons(t *testing.T) {
	t.Parallel()
	srv := tt.New(t)
	b := newBot(t, testConfig(srv), nil)
	ctx := context.Background()
	if err := b.Send(ctx, channel.Reply{Chat: "-100123", Text: "Pengajuan #17", Buttons: decision}); err != nil {
		t.Fatal(err)
	}
	msgID := strconv.Itoa(srv.Sent()[0].MessageID)
	done := [][]channel.Button{{{Text: "✅ Disetujui", Data: "noop"}}}
	if err := b.EditButtons(ctx, "-100123", msgID, done); err != nil {
		t.Fatal(err)
	}
	if err := b.EditButtons(ctx, "-100123", msgID, nil); err != nil {
		t.Fatal(err)
	}
	// A retried removal changes nothing; Telegram says "not modified".
	if err := b.EditButtons(ctx, "-100123", msgID, nil); err != nil {
		t.Errorf("repeated edit: %v, want nil", err)
	}
	edits := srv.Edits()
	if len(edits) != 2 {
		t.Fatalf("edits = %+v, want 2", edits)
	}
	if m := edits[0].ReplyMarkup; m == nil || len(m.InlineKeyboard) != 1 || m.InlineKeyboard[0][0].CallbackData != "noop" {
		t.Errorf("first edit = %+v", m)
	}
	if m := edits[1].ReplyMarkup; m != nil && len(m.InlineKeyboard) != 0 {
		t.Errorf("removal left buttons: %+v", m)
	}
	if err := b.EditButtons(ctx, "-100123", "abc", nil); !errors.Is(err, ErrPermanent) {
		t.Errorf("bad message id: %v, want ErrPermanent", err)
	}
}

func TestContactRequestButtonBecomesAContactKeyboard(t *testing.T) {
	t.Parallel()
	srv := tt.New(t)
	bot := newBot(t, testConfig(srv), nil)
	err := bot.Send(context.Background(), channel.Reply{Channel: channel.Telegram, Chat: "42", Text: "Bagikan nomor Anda",
		Buttons: [][]channel.Button{{{Text: "📱 Bagikan nomor", Data: channel.ContactRequest}}}})
	if err != nil {
		t.Fatal(err)
	}
	sent := srv.WaitSent(1, waitLong)
	kb := sent[0].ReplyMarkup
	if kb == nil || len(kb.Keyboard) != 1 || !kb.Keyboard[0][0].RequestContact || len(kb.InlineKeyboard) != 0 {
		t.Fatalf("reply markup %+v, want one request_contact keyboard button", kb)
	}
}

// A reply after binding takes the share-contact keyboard away; a reply
// that answers an earlier message is sent as a reply to it.
func TestKeyboardRemovalAndReplies(t *testing.T) {
	t.Parallel()
	srv := tt.New(t)
	bot := newBot(t, testConfig(srv), nil)
	ctx := context.Background()
	if err := bot.Send(ctx, channel.Reply{Chat: "42", Text: "Terhubung",
		Buttons: [][]channel.Button{{{Data: channel.KeyboardRemove}}}}); err != nil {
		t.Fatal(err)
	}
	if err := bot.Send(ctx, channel.Reply{Chat: "-100123", Text: "Jawaban anggota", ReplyTo: "77"}); err != nil {
		t.Fatal(err)
	}
	sent := srv.WaitSent(2, waitLong)
	if m := sent[0].ReplyMarkup; m == nil || !m.RemoveKeyboard || len(m.InlineKeyboard) != 0 {
		t.Errorf("reply markup %+v, want the keyboard removed", m)
	}
	if sent[0].ReplyTo != 0 || sent[1].ReplyTo != 77 {
		t.Errorf("replies to %d and %d, want 0 and 77", sent[0].ReplyTo, sent[1].ReplyTo)
	}
}
