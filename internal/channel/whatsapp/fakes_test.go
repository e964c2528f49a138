package whatsapp

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
)

var (
	t0       = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	quiet    = slog.New(slog.DiscardHandler)
	errStore = errors.New("store down")
)

// sent is one SendMessage call as the fake client saw it.
type sent struct {
	to   string
	text string
	at   time.Time
	msg  *waE2E.Message
}

// fakeWA records what the adapter asks of whatsmeow.
type fakeWA struct {
	clock clock.Clock

	mu       sync.Mutex
	sent     []sent
	reads    []string
	presence []string
	// media is what WhatsApp's servers hold, by direct path.
	media     map[string][]byte
	downloads int
	// sendErr, when set, is what WhatsApp answers a send with; nil takes it.
	sendErr func(to types.JID) error
	// uploads are the media types of the files uploaded, in order;
	// uploadErr fails every upload.
	uploads   []whatsmeow.MediaType
	uploadErr error
}

// Upload keeps the file where Download finds it, and answers as the media
// servers do: where it is, and the hashes and key of what was uploaded.
func (f *fakeWA) Upload(_ context.Context, plaintext []byte, kind whatsmeow.MediaType) (whatsmeow.UploadResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.uploadErr != nil {
		return whatsmeow.UploadResponse{}, f.uploadErr
	}
	f.uploads = append(f.uploads, kind)
	if f.media == nil {
		f.media = map[string][]byte{}
	}
	path := fmt.Sprintf("/v/t62.7119-24/%d_upload.enc", len(f.uploads))
	f.media[path] = append([]byte(nil), plaintext...)
	key := sha256.Sum256([]byte(path))
	plain := sha256.Sum256(plaintext)
	enc := sha256.Sum256(append(key[:], plaintext...))
	return whatsmeow.UploadResponse{URL: "https://mmg.whatsapp.net" + path, DirectPath: path, MediaKey: key[:],
		FileEncSHA256: enc[:], FileSHA256: plain[:], FileLength: uint64(len(plaintext))}, nil
}

// Download serves a file by its direct path, as the media servers do after
// whatsmeow decrypted it; an unknown path fails like an expired one.
func (f *fakeWA) Download(_ context.Context, m whatsmeow.DownloadableMessage) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.downloads++
	data, ok := f.media[m.GetDirectPath()]
	if !ok {
		return nil, whatsmeow.ErrMediaDownloadFailedWith404
	}
	return append([]byte(nil), data...), nil
}

func (f *fakeWA) SendMessage(_ context.Context, to types.JID, m *waE2E.Message, _ ...whatsmeow.SendRequestExtra) (whatsmeow.SendResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.sendErr != nil {
		if err := f.sendErr(to); err != nil {
			return whatsmeow.SendResponse{}, err
		}
	}
	f.sent = append(f.sent, sent{to: to.String(), text: m.GetConversation(), at: f.clock.Now(), msg: m})
	return whatsmeow.SendResponse{}, nil
}

func (f *fakeWA) MarkRead(_ context.Context, ids []types.MessageID, _ time.Time, chat, _ types.JID, _ ...types.ReceiptType) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, id := range ids {
		f.reads = append(f.reads, chat.String()+"/"+id)
	}
	return nil
}

func (f *fakeWA) SendChatPresence(_ context.Context, jid types.JID, state types.ChatPresence, _ types.ChatPresenceMedia) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.presence = append(f.presence, jid.String()+" "+string(state))
	return nil
}

func (f *fakeWA) snapshot() (sentMsgs []sent, reads, presence []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sent(nil), f.sent...), append([]string(nil), f.reads...), append([]string(nil), f.presence...)
}

// lidMap is a LID store held in a map; err makes every lookup fail.
type lidMap struct {
	pn  map[string]string
	err error
}

func (m lidMap) GetPNForLID(_ context.Context, lid types.JID) (types.JID, error) {
	if m.err != nil {
		return types.EmptyJID, m.err
	}
	user, ok := m.pn[lid.User]
	if !ok {
		return types.EmptyJID, nil
	}
	return types.NewJID(user, types.DefaultUserServer), nil
}

// engine stands in for router and dialog engine: it records each message
// id once, as the inbox does, and queues an answer as the outbox would.
type engine struct {
	mu     sync.Mutex
	fail   error
	seen   map[string]bool
	got    []channel.Message
	outbox []channel.Reply
}

func (e *engine) HandleMessage(_ context.Context, m channel.Message) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.got = append(e.got, m)
	if e.fail != nil {
		return e.fail
	}
	if e.seen == nil {
		e.seen = map[string]bool{}
	}
	if e.seen[m.ID] {
		return nil
	}
	e.seen[m.ID] = true
	text := "Halo " + m.Phone + ", saldo *Rp 100.000*"
	if m.Kind == channel.Media {
		text = "Mohon ketik pesan Anda."
	}
	e.outbox = append(e.outbox, channel.Reply{Channel: m.Channel, Chat: m.Chat, Text: text})
	return nil
}

func (e *engine) HandleCallback(context.Context, channel.Callback) (string, error) { return "", nil }

func (e *engine) setFail(err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.fail = err
}

// testAdapter is an adapter on fakes, on a manual clock.
func testAdapter(t *testing.T, lids lidResolver, cfg Config) (*Adapter, *fakeWA, *clock.Manual) {
	t.Helper()
	clk := clock.NewManual(t0)
	cfg.Clock = clk
	wa := &fakeWA{clock: clk}
	a := newAdapter(wa, lids, cfg, quiet)
	return a, wa, clk
}

func jid(t *testing.T, s string) types.JID {
	t.Helper()
	j, err := types.ParseJID(s)
	if err != nil {
		t.Fatalf("parse %q: %v", s, err)
	}
	return j
}

// dm is a message as whatsmeow hands it over: a 1:1 chat whose chat is the
// sender's JID without the device part.
func dm(t *testing.T, id, sender string, m *waE2E.Message) *events.Message {
	t.Helper()
	from := jid(t, sender)
	evt := &events.Message{
		Info: types.MessageInfo{
			MessageSource: types.MessageSource{Chat: from.ToNonAD(), Sender: from},
			ID:            id,
			Timestamp:     t0,
		},
		RawMessage: m,
	}
	return evt.UnwrapRaw()
}

func text(s string) *waE2E.Message { return &waE2E.Message{Conversation: proto.String(s)} }
