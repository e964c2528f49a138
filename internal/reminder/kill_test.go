package reminder

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/i18n"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/proctest"
	"github.com/kopmem/kopbot/internal/store"
	"github.com/kopmem/kopbot/locales"
)

// killChildEnv names the database a re-executed test binary plans and
// sends the day's reminders from (see TestMain).
const killChildEnv = "KOPBOT_REMINDER_KILL_CHILD"

// killMembers are owed a wajib reminder each on killDay.
const killMembers = 3000

// killDay is a Monday morning three days before wajib falls due.
var killDay = at(time.December, 7, 9, 0)

// appender is a channel that keeps what it accepted: each message is
// written and synced to a file before Send returns, as a remote channel
// acknowledges a message it has.
type appender struct{ f *os.File }

func (a appender) Send(_ context.Context, r channel.Reply) error {
	if _, err := a.f.WriteString(strconv.Quote(r.Text) + "\n"); err != nil {
		return err
	}
	return a.f.Sync()
}

// sendAll is the killed process: it plans the day's reminders and
// delivers them all, then exits 0. Planning again after a restart queues
// nothing twice.
func sendAll(path string) int {
	fail := func(err error) int {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ctx := context.Background()
	db, err := store.Open(ctx, path, store.Options{}, schemas()...)
	if err != nil {
		return fail(err)
	}
	defer db.Close()
	msgs, err := i18n.Load(locales.FS)
	if err != nil {
		return fail(err)
	}
	clk := clock.NewManual(killDay)
	p, err := NewPlanner(db, msgs, clk, testConfig())
	if err != nil {
		return fail(err)
	}
	log, err := os.OpenFile(path+".sent", os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return fail(err)
	}
	defer log.Close()
	if _, err := p.Plan(ctx); err != nil {
		return fail(err)
	}
	for {
		sent := 0
		for _, ch := range []channel.Name{channel.Console, channel.Telegram} {
			n, err := outbox.Deliver(ctx, db, outbox.Filter{Channel: ch, Limit: 20, Vet: p.Vet}, appender{log}, clk.Now)
			if err != nil {
				return fail(err)
			}
			sent += n
		}
		var pending int
		if err := db.R.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE status = 'pending'`).Scan(&pending); err != nil {
			return fail(err)
		}
		if pending == 0 {
			return 0
		}
		if sent == 0 {
			// What is left was claimed by a process killed between its
			// send and its mark; the claim runs out, as it would for a
			// restarted serve in real time, however long this clock stood.
			clk.Advance(outbox.ClaimFor)
		}
	}
}

// TestKilledWhileSending runs the planner and the sender in a process of
// their own and kills it with SIGKILL at random moments, restarting it
// (KOPBOT_KILL_ROUNDS times, 12 unless set), then lets it finish. After every kill each reminder is sent or still
// queued, and every one marked sent reached the channel; in the end each
// arrived, none was planned twice, and a reminder arrives twice only when
// a kill fell between its send and its mark.
func TestKilledWhileSending(t *testing.T) {
	if testing.Short() {
		t.Skip("runs and kills processes for a few seconds")
	}
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "k.db")
	db, err := store.Open(ctx, path, store.Options{}, schemas()...)
	if err != nil {
		t.Fatal(err)
	}
	newMembers(t, db, killMembers, channel.Console, strconv.Itoa)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	rounds := 12
	if s := os.Getenv("KOPBOT_KILL_ROUNDS"); s != "" {
		if rounds, err = strconv.Atoi(s); err != nil {
			t.Fatalf("KOPBOT_KILL_ROUNDS=%q: %v", s, err)
		}
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 11))
	kills := 0
	for round := 0; ; round++ {
		child := exec.Command(os.Args[0], "-test.run=^$")
		child.Env = append(os.Environ(), killChildEnv+"="+path)
		proctest.DieWithParent(child)
		var stderr bytes.Buffer
		child.Stderr = &stderr
		if err := child.Start(); err != nil {
			t.Fatal(err)
		}
		if round < rounds { // then let it finish
			time.Sleep(time.Duration(5+rng.IntN(150)) * time.Millisecond)
			_ = child.Process.Signal(syscall.SIGKILL) // it may have finished: fine
		}
		err := child.Wait()
		var exit *exec.ExitError
		switch {
		case err == nil:
			sent, dups := checkSent(t, path, true)
			t.Logf("%d rounds, %d kills; %d reminders sent, %d sent twice", round+1, kills, sent, dups)
			if kills == 0 {
				t.Fatal("the process was never killed mid-work: the test tests nothing")
			}
			if dups > kills {
				t.Fatalf("%d reminders sent twice after %d kills: more than one per kill", dups, kills)
			}
			return
		case errors.As(err, &exit) && exit.Sys().(syscall.WaitStatus).Signal() == syscall.SIGKILL:
			kills++
			checkSent(t, path, false)
		default:
			t.Fatalf("round %d: %v\n%s", round, err, stderr.String())
		}
	}
}

// checkSent compares the outbox with what the channel received: every
// reminder pending or sent, each one marked sent received, nothing received
// that was not queued; with done, every one sent. It returns how many were
// sent and how many of them arrived twice.
func checkSent(t *testing.T, path string, done bool) (sent, twice int) {
	t.Helper()
	got := map[string]int{}
	if log, err := os.ReadFile(path + ".sent"); err == nil {
		lines := strings.Split(string(log), "\n")
		for _, l := range lines[:len(lines)-1] { // the last is cut short by a kill, or empty
			text, err := strconv.Unquote(l)
			if err != nil {
				t.Fatalf("channel log line %q: %v", l, err)
			}
			got[text]++
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), path, store.Options{}, schemas()...)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows := outboxRows(t, db)
	byText := map[string]bool{}
	for key, r := range rows {
		byText[r.text] = true
		switch {
		case r.status != "sent" && (done || r.status != "pending"):
			t.Errorf("%s is %s", key, r.status)
		case r.status == "sent" && got[r.text] == 0:
			t.Errorf("%s is marked sent but never reached the channel", key)
		case got[r.text] > 2:
			t.Errorf("%s reached the channel %d times", key, got[r.text])
		}
		if r.status == "sent" {
			sent++
			if got[r.text] == 2 {
				twice++
			}
		}
	}
	for text := range got {
		if !byText[text] {
			t.Errorf("the channel received %q, which was never queued", text)
		}
	}
	if done && len(rows) != killMembers+1 {
		t.Errorf("%d reminders queued, want one per member and the officers' summary (%d)", len(rows), killMembers+1)
	}
	return sent, twice
}
