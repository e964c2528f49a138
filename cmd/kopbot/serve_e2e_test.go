package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel/telegram/telegramtest"
	"github.com/kopmem/kopbot/internal/clock/clocktest"
	"github.com/kopmem/kopbot/internal/proctest"
)

// TestServeEndToEnd starts the real kopbot binary against a Bot API server
// that speaks Telegram's wire format, and drives a member (binding their
// account, requesting a loan) and an officer (approving it with the button)
// through it; SIGTERM mid-conversation must stop it cleanly, and after a
// restart every update is answered once, none lost.
func TestServeEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	t.Parallel()
	s := newServeRig(t)
	tg, start, stop, said := s.tg, s.start, s.stop, s.said
	const group, officer, siti = rigGroup, rigOfficer, rigSiti
	listen := s.listen
	cmd := start()
	tg.PushText(siti, siti, "/start")
	said(siti, "nomor")                                   // asked to share the contact
	tg.PushContact(siti, siti, "+62 812-3456-7890", siti) // her own: bound
	said(siti, "Siti Aminah")
	health := httpGet(t, "http://"+listen+"/healthz")
	if !strings.Contains(health, `"db":"ok"`) {
		t.Fatalf("healthz: %s", health)
	}
	for _, line := range []string{"pinjam", "1", "2 juta", "6", "modal warung"} {
		tg.PushText(siti, siti, line)
	}
	said(siti, "Kirim pengajuan ini?")
	// SIGTERM with the member's "ya" waiting: it must be answered after the
	// restart, once.
	tg.PushText(siti, siti, "ya")
	stop(cmd)
	cmd = start()
	defer stop(cmd)
	said(siti, "sudah kami terima")
	// The reply may have gone out before the SIGTERM and the announcement,
	// queued with it, only after the restart: wait for it as for the rest.
	var announce telegramtest.SentMessage
	for deadline := time.Now().Add(15 * time.Second); announce.MessageID == 0; time.Sleep(20 * time.Millisecond) {
		for _, m := range tg.Sent() {
			if m.ChatID == group && m.ReplyMarkup != nil && len(m.ReplyMarkup.InlineKeyboard) > 0 {
				announce = m
			}
		}
		if announce.MessageID == 0 && time.Now().After(deadline) {
			t.Fatalf("no announcement with buttons in the officers' group: %+v", tg.Sent())
		}
	}
	tg.PushCallback(group, officer, announce.MessageID, announce.ReplyMarkup.InlineKeyboard[0][0].CallbackData)
	said(siti, "disetujui")
	for _, once := range []string{"sudah kami terima", "Mohon periksa", "disetujui"} {
		if n := strings.Count(joinTexts(tg.Sent(), siti), once); n != 1 {
			t.Errorf("%q said %d times to the member, want once", once, n)
		}
	}
}

// The rig's officers' group, its manajer, and Siti's Telegram account.
const (
	rigGroup, rigOfficer, rigSiti = -100777, 1001, 4242
)

// serveRig is the kopbot binary built in a temporary folder, with a
// database of two members and their savings, and a Bot API server for it
// to talk to.
type serveRig struct {
	t      *testing.T
	dir    string
	bin    string
	db     string
	listen string
	env    []string
	tg     *telegramtest.Server
}

func newServeRig(t *testing.T) *serveRig {
	t.Helper()
	dir := t.TempDir()
	s := &serveRig{t: t, dir: dir, bin: filepath.Join(dir, "kopbot"), db: filepath.Join(dir, "k.db"), listen: freeAddr(t),
		tg: telegramtest.New(t)}
	if out, err := exec.Command("go", "build", "-o", s.bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if code, _, errOut := kopbot(t, "", "import", "members", write(t, dir, "m.csv", membersCSV), "--db", s.db); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := kopbot(t, "", "import", "savings", write(t, dir, "s.csv", savingsCSV), "--db", s.db); code != 0 {
		t.Fatal(errOut)
	}
	s.env = append(os.Environ(),
		"KOPBOT_DB="+s.db,
		"KOPBOT_HTTP_LISTEN="+s.listen,
		"KOPBOT_TELEGRAM_ENABLED=true",
		"KOPBOT_TELEGRAM_TOKEN="+telegramtest.Token,
		"KOPBOT_TELEGRAM_API_ENDPOINT="+s.tg.Endpoint(),
		"KOPBOT_TELEGRAM_FILE_ENDPOINT="+s.tg.FileEndpoint(),
		"KOPBOT_TELEGRAM_OFFICERS_CHAT_ID=-100777",
		"KOPBOT_TELEGRAM_PER_CHAT_INTERVAL=10ms",
		"KOPBOT_OFFICERS=1001:manajer:Bu Rina",
		"KOPBOT_NOW="+clocktest.Now(t).Format(time.RFC3339),
	)
	return s
}

// start runs kopbot serve and waits until it serves.
func (s *serveRig) start() *exec.Cmd {
	t := s.t
	t.Helper()
	cmd := exec.Command(s.bin, "serve")
	proctest.DieWithParent(cmd)
	cmd.Env = s.env
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "kopbot serving") {
				close(ready)
			}
			if strings.Contains(sc.Text(), telegramtest.Token) {
				t.Errorf("the bot token appears in the log: %s", sc.Text())
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(20 * time.Second):
		t.Fatal("kopbot serve did not start")
	}
	return cmd
}

// stop sends SIGTERM and wants a clean exit.
func (s *serveRig) stop(cmd *exec.Cmd) {
	t := s.t
	t.Helper()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("kopbot serve after SIGTERM: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("kopbot serve did not stop after SIGTERM")
	}
}

// said waits until something sent to chat contains want.
func (s *serveRig) said(chat int64, want string) {
	t := s.t
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !strings.Contains(joinTexts(s.tg.Sent(), chat), want) {
		if time.Now().After(deadline) {
			t.Fatalf("nothing to %d says %q; sent: %s", chat, want, joinTexts(s.tg.Sent(), chat))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// buttonSent waits for a message to chat with a button whose label
// contains label, and returns the message and the button's data.
func (s *serveRig) buttonSent(chat int64, label string) (telegramtest.SentMessage, string) {
	t := s.t
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		for _, m := range s.tg.Sent() {
			if m.ChatID != chat || m.ReplyMarkup == nil {
				continue
			}
			for _, row := range m.ReplyMarkup.InlineKeyboard {
				for _, b := range row {
					if strings.Contains(b.Text, label) {
						return m, b.CallbackData
					}
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no button %q to %d: %+v", label, chat, s.tg.Sent())
		}
	}
}

func joinTexts(sent []telegramtest.SentMessage, chat int64) string {
	var b strings.Builder
	for _, m := range sent {
		if m.ChatID == chat {
			b.WriteString(m.Text + "\n")
		}
	}
	return b.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func httpGet(t *testing.T, url string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
