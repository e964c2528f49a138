package telegram

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	tt "github.com/kopmem/kopbot/internal/channel/telegram/telegramtest"
)

func TestUpdatesBecomeMessages(t *testing.T) {
	t.Parallel()
	const date = 1767225600 // 2026-01-01T00:00:00Z
	at := time.Unix(date, 0).UTC()
	member := tt.User{ID: 42, FirstName: "Ani"}
	officer := tt.User{ID: 1001, FirstName: "Budi"}
	private := tt.Chat{ID: 42, Type: "private"}
	group := tt.Chat{ID: -100123, Type: "supergroup"}
	cmd := func(n int) []tt.Entity { return []tt.Entity{{Type: "bot_command", Length: n}} }
	tests := []struct {
		name string
		in   tt.Update
		want *channel.Message // nil: ignored
	}{
		{
			"text", tt.Update{Message: &tt.Message{MessageID: 10, From: &member, Chat: private, Date: date, Text: "saldo"}},
			&channel.Message{Channel: channel.Telegram, ID: "42:10", Chat: "42", From: "42", Text: "saldo", Kind: channel.Text, At: at},
		},
		{
			"command with bot name in group", tt.Update{Message: &tt.Message{MessageID: 11, From: &officer, Chat: group, Date: date,
				Text: "/setujui@Kopbot_Test_Bot 17 ok", Entities: cmd(25)}},
			&channel.Message{Channel: channel.Telegram, ID: "-100123:11", Chat: "-100123", From: "1001", Text: "/setujui 17 ok", Kind: channel.Text, At: at},
		},
		{
			"command without bot name", tt.Update{Message: &tt.Message{MessageID: 12, From: &officer, Chat: group, Date: date,
				Text: "/antrian", Entities: cmd(8)}},
			&channel.Message{Channel: channel.Telegram, ID: "-100123:12", Chat: "-100123", From: "1001", Text: "/antrian", Kind: channel.Text, At: at},
		},
		{
			"command for another bot", tt.Update{Message: &tt.Message{MessageID: 13, From: &officer, Chat: group, Date: date,
				Text: "/start@otherbot", Entities: cmd(15)}},
			nil,
		},
		{
			"slash without command entity stays text", tt.Update{Message: &tt.Message{MessageID: 14, From: &member, Chat: private, Date: date,
				Text: "1/2@x"}},
			&channel.Message{Channel: channel.Telegram, ID: "42:14", Chat: "42", From: "42", Text: "1/2@x", Kind: channel.Text, At: at},
		},
		{
			"contact", tt.Update{Message: &tt.Message{MessageID: 15, From: &member, Chat: private, Date: date,
				Contact: &tt.Contact{PhoneNumber: "+6281234567890", FirstName: "Ani", UserID: 42}}},
			&channel.Message{Channel: channel.Telegram, ID: "42:15", Chat: "42", From: "42", Kind: channel.Contact, At: at,
				Contact: &channel.SharedContact{Phone: "+6281234567890", UserID: "42"}},
		},
		{
			"contact without account", tt.Update{Message: &tt.Message{MessageID: 16, From: &member, Chat: private, Date: date,
				Contact: &tt.Contact{PhoneNumber: "6281111", FirstName: "X"}}},
			&channel.Message{Channel: channel.Telegram, ID: "42:16", Chat: "42", From: "42", Kind: channel.Contact, At: at,
				Contact: &channel.SharedContact{Phone: "6281111"}},
		},
		{
			"photo with caption", tt.Update{Message: &tt.Message{MessageID: 17, From: &member, Chat: private, Date: date, Caption: "bukti transfer",
				Photo: []tt.PhotoSize{{FileID: "p1", FileUniqueID: "u1", Width: 90, Height: 90}}}},
			&channel.Message{Channel: channel.Telegram, ID: "42:17", Chat: "42", From: "42", Text: "bukti transfer", Kind: channel.Media, At: at,
				File: &channel.File{Kind: channel.Image, MIME: "image/jpeg"}},
		},
		{
			"voice", tt.Update{Message: &tt.Message{MessageID: 18, From: &member, Chat: private, Date: date, Voice: &tt.File{FileID: "v", FileUniqueID: "v"}}},
			&channel.Message{Channel: channel.Telegram, ID: "42:18", Chat: "42", From: "42", Kind: channel.Media, At: at,
				File: &channel.File{Kind: channel.Voice}},
		},
		{
			"sticker", tt.Update{Message: &tt.Message{MessageID: 19, From: &member, Chat: private, Date: date, Sticker: &tt.File{FileID: "s", FileUniqueID: "s"}}},
			&channel.Message{Channel: channel.Telegram, ID: "42:19", Chat: "42", From: "42", Kind: channel.Media, At: at,
				File: &channel.File{Kind: channel.Sticker, MIME: "image/webp"}},
		},
		{
			"document", tt.Update{Message: &tt.Message{MessageID: 20, From: &member, Chat: private, Date: date,
				Document: &tt.File{FileID: "d", FileUniqueID: "d", FileName: "slip.pdf", MimeType: "application/pdf", FileSize: 2048}}},
			&channel.Message{Channel: channel.Telegram, ID: "42:20", Chat: "42", From: "42", Kind: channel.Media, At: at,
				File: &channel.File{Kind: channel.Document, MIME: "application/pdf", Name: "slip.pdf", Size: 2048}},
		},
		{
			"reply", tt.Update{Message: &tt.Message{MessageID: 21, From: &officer, Chat: group, Date: date, Text: "sudah ditelepon",
				ReplyToMessage: &tt.Message{MessageID: 9, Chat: group, Date: date, Text: "pengajuan"}}},
			&channel.Message{Channel: channel.Telegram, ID: "-100123:21", Chat: "-100123", From: "1001", Text: "sudah ditelepon", Kind: channel.Text, At: at, ReplyTo: "-100123:9"},
		},
		{"edited message", tt.Update{EditedMessage: &tt.Message{MessageID: 10, From: &member, Chat: private, Date: date, Text: "saldo!"}}, nil},
		{"from a bot", tt.Update{Message: &tt.Message{MessageID: 22, From: &tt.Bot, Chat: group, Date: date, Text: "halo"}}, nil},
		{"service message", tt.Update{Message: &tt.Message{MessageID: 23, From: &officer, Chat: group, Date: date}}, nil},
	}
	srv := tt.New(t)
	var (
		want  []channel.Message
		names []string
	)
	for _, tc := range tests {
		srv.Push(tc.in)
		if tc.want != nil {
			want, names = append(want, *tc.want), append(names, tc.name)
		}
	}
	last := srv.PushText(42, 42, "selesai")
	rec := newRecorder()
	stop := start(t, newBot(t, testConfig(srv), nil), rec)
	got, _ := rec.waitFor(t, len(want)+1)
	srv.WaitConfirmed(last, waitLong)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if got[len(got)-1].Text != "selesai" {
		t.Fatalf("last message = %+v", got[len(got)-1])
	}
	got = got[:len(got)-1]
	for i, m := range got {
		if m.File != nil {
			if m.File.Fetch == nil {
				t.Errorf("%+v: a file that cannot be fetched", m)
			}
			f := *m.File
			f.Fetch = nil // a func never equals another
			got[i].File = &f
		}
	}
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			t.Errorf("%s: missing %+v", names[i], want[i])
		case i >= len(want):
			t.Errorf("unexpected %+v (an ignored update got through?)", got[i])
		case !reflect.DeepEqual(got[i], want[i]):
			t.Errorf("%s:\n got %+v\nwant %+v", names[i], got[i], want[i])
		}
	}
}

func TestCallbackIsAlwaysAnswered(t *testing.T) {
	t.Parallel()
	srv := tt.New(t)
	rec := newRecorder()
	rec.notice = "Pengajuan disetujui"
	okID := srv.PushCallback(-100123, 1001, 501, "approve:17")
	badID := srv.PushCallback(-100123, 1002, 502, "reject:18")
	goneID := srv.PushCallback(-100123, 1002, 503, "cair:19")
	rec.failNotice = map[string]string{"cair:19": "Database hilang"}
	rec.fail = func(data string, attempt int) error {
		if (data == "reject:18" || data == "cair:19") && attempt <= 2 {
			return errors.New("database locked")
		}
		return nil
	}
	cfg := testConfig(srv)
	cfg.CallbackErrorText = "Coba lagi"
	start(t, newBot(t, cfg, nil), rec)
	_, cbs := rec.waitFor(t, 3)
	answered := srv.WaitAnswered(3, waitLong)

	wantCB := channel.Callback{Channel: channel.Telegram, ID: okID, From: "1001", Chat: "-100123", MessageID: "501", Data: "approve:17"}
	if !reflect.DeepEqual(cbs[0], wantCB) {
		t.Errorf("callback = %+v, want %+v", cbs[0], wantCB)
	}
	if cbs[1].ID != badID || rec.attemptsOf("reject:18") != 3 {
		t.Errorf("failing callback: accepted %+v after %d attempts, want %s after 3", cbs[1], rec.attemptsOf("reject:18"), badID)
	}
	// A failing handler's own notice wins over the generic one.
	want := []tt.AnsweredCallback{{QueryID: okID, Text: "Pengajuan disetujui"}, {QueryID: badID, Text: "Coba lagi"},
		{QueryID: goneID, Text: "Database hilang"}}
	if !reflect.DeepEqual(answered, want) {
		t.Errorf("answered = %+v, want %+v", answered, want)
	}
	if n := srv.Calls("answerCallbackQuery"); n != 3 {
		t.Errorf("answerCallbackQuery called %d times, want 3 (once per press)", n)
	}
}

func TestHandlerFailureRetriesSameUpdateInOrder(t *testing.T) {
	t.Parallel()
	srv := tt.New(t)
	first := srv.PushText(42, 42, "satu")
	srv.PushText(42, 42, "dua")
	rec := newRecorder()
	rec.fail = func(text string, attempt int) error {
		if text == "satu" && attempt <= 3 {
			return errors.New("temporary")
		}
		return nil
	}
	start(t, newBot(t, testConfig(srv), nil), rec)
	msgs, _ := rec.waitFor(t, 2)
	if msgs[0].Text != "satu" || msgs[1].Text != "dua" {
		t.Fatalf("order = %q, %q; want satu, dua", msgs[0].Text, msgs[1].Text)
	}
	if n := rec.attemptsOf("satu"); n != 4 {
		t.Errorf("first update tried %d times, want 4", n)
	}
	if n := rec.attemptsOf("dua"); n != 1 {
		t.Errorf("second update tried %d times, want 1", n)
	}
	srv.WaitConfirmed(first+1, waitLong)
}

// TestRestartHandlesEachUpdateOnce stops a bot in the worst spot: it has
// handled and stored the first of two updates fetched together, but never
// told Telegram (the fake still holds both). A new bot over the same file
// must continue with the second and never see the first again.
func TestRestartHandlesEachUpdateOnce(t *testing.T) {
	t.Parallel()
	srv := tt.New(t)
	path := filepath.Join(t.TempDir(), "k.db")
	srv.PushText(42, 42, "setor 50000")
	srv.PushText(43, 43, "saldo")

	db := openStore(t, path)
	rec1 := newRecorder()
	rec1.fail = func(text string, _ int) error {
		if text == "saldo" {
			return errors.New("crash before this one is done")
		}
		return nil
	}
	stop := start(t, newBot(t, testConfig(srv), db), rec1)
	rec1.waitFor(t, 1)
	for rec1.attemptsOf("saldo") == 0 {
		time.Sleep(time.Millisecond)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if n := srv.Pending(); n != 2 {
		t.Fatalf("fake holds %d updates, want 2 (the scenario needs the first unconfirmed)", n)
	}

	rec2 := newRecorder()
	start(t, newBot(t, testConfig(srv), openStore(t, path)), rec2)
	u3 := srv.PushText(42, 42, "terima kasih")
	rec2.waitFor(t, 2)
	srv.WaitConfirmed(u3, waitLong)

	seen := map[string]int{}
	for _, m := range append(rec1.msgs, rec2.msgs...) {
		seen[m.Text]++
	}
	want := map[string]int{"setor 50000": 1, "saldo": 1, "terima kasih": 1}
	if !reflect.DeepEqual(seen, want) {
		t.Errorf("handled %v, want each once: %v", seen, want)
	}
}

func TestRunStopsPromptlyWhileLongPolling(t *testing.T) {
	t.Parallel()
	srv := tt.New(t)
	cfg := testConfig(srv)
	cfg.PollTimeout = 30 * time.Second
	stop := start(t, newBot(t, cfg, nil), newRecorder())
	for srv.Calls("getUpdates") == 0 {
		time.Sleep(time.Millisecond)
	}
	began := time.Now()
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(began); d > time.Second {
		t.Errorf("Run took %v to stop", d)
	}
}

// TestStopFinishesCurrentUpdate cancels Run while the handler is busy: the
// handler completes on a live context and the offset is stored.
func TestStopFinishesCurrentUpdate(t *testing.T) {
	t.Parallel()
	srv := tt.New(t)
	u := srv.PushText(42, 42, "bayar")
	db := openStore(t, filepath.Join(t.TempDir(), "k.db"))
	b := newBot(t, testConfig(srv), db)
	entered, release := make(chan struct{}), make(chan struct{})
	h := &blockingHandler{entered: entered, release: release}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx, h) }()
	<-entered
	cancel()
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if h.ctxErr != nil {
		t.Errorf("handler's context ended mid-update: %v", h.ctxErr)
	}
	got, err := loadOffset(context.Background(), db, tt.Bot.ID)
	if err != nil || got != u+1 {
		t.Errorf("stored offset = %d, %v; want %d", got, err, u+1)
	}
}

type blockingHandler struct {
	entered, release chan struct{}
	ctxErr           error
}

func (h *blockingHandler) HandleMessage(ctx context.Context, _ channel.Message) error {
	close(h.entered)
	<-h.release
	h.ctxErr = ctx.Err()
	return nil
}

func (h *blockingHandler) HandleCallback(context.Context, channel.Callback) (string, error) {
	return "", nil
}
