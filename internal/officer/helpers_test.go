package officer_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/ledger/ledgertest"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/officer"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/savings"
	"github.com/shopspring/decimal"
)

// The roster every test works with.
const (
	budi   = "1001" // petugas
	rina   = "1002" // petugas
	wati   = "2001" // manajer
	nobody = "9999" // a Telegram user who is no officer
	group  = "-100500"
)

var wib = time.FixedZone("WIB", 7*3600)

func rp(n int64) decimal.Decimal { return decimal.NewFromInt(n) }

// env is a cooperative with three officers and one member, Siti, holding
// Rp5.000.000 of savings (plafon Rp15.000.000), who chats on WhatsApp.
type env struct {
	t    *testing.T
	a    *app.App
	clk  *clock.Manual
	siti member.Member
	seq  atomic.Int64
	// announced is what the latest apply sent the group.
	announced []channel.Reply
	// sent is everything delivered so far, with its platform id.
	sent []sentMsg
}

func newEnv(t *testing.T) *env { return newEnvWith(t, nil) }

// newEnvWith is newEnv with the options changed by adjust first.
func newEnvWith(t *testing.T, adjust func(*app.Options)) *env {
	t.Helper()
	return buildEnv(t, nil, time.Date(2026, 11, 30, 10, 0, 0, 0, wib), adjust)
}

// newEnvIn is newEnv for a cooperative in zone loc (nil: the default) with
// the clock at start.
func newEnvIn(t *testing.T, loc *time.Location, start time.Time) *env {
	t.Helper()
	return buildEnv(t, loc, start, nil)
}

func buildEnv(t *testing.T, loc *time.Location, start time.Time, adjust func(*app.Options)) *env {
	t.Helper()
	ctx := context.Background()
	clk := clock.NewManual(start)
	opts := app.Options{Clock: clk, Location: loc,
		Officers: []officer.Officer{
			{ID: budi, Name: "Budi", Role: loan.RolePetugas},
			{ID: rina, Name: "Rina", Role: loan.RolePetugas},
			{ID: wati, Name: "Wati", Role: loan.RoleManajer, Lang: "en"},
		},
		OfficerGroup: member.Address{Channel: channel.Telegram, Chat: group}}
	if adjust != nil {
		adjust(&opts)
	}
	a, err := app.Open(ctx, filepath.Join(t.TempDir(), "k.db"), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	e := &env{t: t, a: a, clk: clk}
	e.write(func(tx *sql.Tx) error {
		e.siti, err = member.Create(ctx, tx, member.Member{Number: "A-0001", Name: "Siti *Aminah*",
			Phone: "6281234567890", JoinedOn: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return err
		}
		for k, amt := range map[savings.Kind]int64{savings.Pokok: 100_000, savings.Wajib: 4_900_000} {
			if _, err := savings.Deposit(ctx, tx, savings.Movement{Key: "seed-" + string(k), MemberID: e.siti.ID,
				Kind: k, Amount: rp(amt), ValueDate: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Actor: "seed"}); err != nil {
				return err
			}
		}
		return member.Touch(ctx, tx, e.siti.ID, channel.WhatsApp, "6281234567890@s.whatsapp.net", clk.Now())
	})
	e.drain()
	return e
}

func (e *env) write(fn func(tx *sql.Tx) error) {
	e.t.Helper()
	if err := e.a.DB.Write(context.Background(), fn); err != nil {
		e.t.Fatal(err)
	}
}

// apply makes Siti's request and announces it, as the member flow does.
func (e *env) apply(amount int64, tenor int) loan.Application {
	e.t.Helper()
	return e.applyFor(e.siti, amount, tenor)
}

// applyFor makes m's request and announces it.
func (e *env) applyFor(m member.Member, amount int64, tenor int) loan.Application {
	e.t.Helper()
	return e.applyProduct(m, "USAHA", amount, tenor)
}

// applyProduct is applyFor for a product of the test's choosing.
func (e *env) applyProduct(m member.Member, product string, amount int64, tenor int) loan.Application {
	e.t.Helper()
	ctx := context.Background()
	var a loan.Application
	e.write(func(tx *sql.Tx) error {
		var err error
		a, err = loan.Apply(ctx, tx, loan.Request{Key: fmt.Sprintf("apply-%d", e.seq.Add(1)), MemberID: m.ID,
			Product: product, Amount: rp(amount), Tenor: tenor, Purpose: "modal _warung_", Now: e.clk.Now()},
			mustCatalog(e.t), loan.DefaultPolicy())
		if err != nil {
			return err
		}
		return e.a.Desk.Announce(ctx, tx, a, m, e.clk.Now())
	})
	e.announced = e.drain()
	return a
}

func mustCatalog(t *testing.T) loan.Catalog {
	t.Helper()
	c, err := loan.NewCatalog(loan.DefaultProducts()...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// say sends text from a Telegram user in chat (a private chat is the
// user's own id) and returns everything it queued, anywhere.
func (e *env) say(from, chat, text string) []channel.Reply {
	e.t.Helper()
	m := channel.Message{Channel: channel.Telegram, ID: fmt.Sprintf("%s:%d", chat, e.seq.Add(1)), Chat: chat,
		From: from, Text: text, Kind: channel.Text, At: e.clk.Now()}
	if err := e.a.Router.Handle(context.Background(), m); err != nil {
		e.t.Fatalf("%s says %q: %v", from, text, err)
	}
	return e.drain()
}

// press presses a button under message msgID in the group and returns the
// presser's notice and what was queued.
func (e *env) press(from, data, msgID string) (string, []channel.Reply) {
	e.t.Helper()
	notice, err := e.a.Router.HandleCallback(context.Background(), channel.Callback{Channel: channel.Telegram,
		ID: fmt.Sprintf("cb%d", e.seq.Add(1)), From: from, Chat: group, MessageID: msgID, Data: data})
	if err != nil {
		e.t.Fatalf("%s presses %q: %v", from, data, err)
	}
	return notice, e.drain()
}

// recorder keeps what a channel was asked to send. Like Telegram it numbers
// what it sends, so an officer's reply can name the message it answers.
type recorder struct {
	mu      sync.Mutex
	ch      channel.Name
	e       *env
	replies []channel.Reply
}

func (r *recorder) Send(ctx context.Context, rep channel.Reply) error {
	_, err := r.SendTraced(ctx, rep)
	return err
}

func (r *recorder) SendTraced(_ context.Context, rep channel.Reply) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	rep.Channel = r.ch
	r.replies = append(r.replies, rep)
	if rep.EditOf != "" {
		return "", nil
	}
	id := fmt.Sprint(1000 + r.e.seq.Add(1))
	r.e.sent = append(r.e.sent, sentMsg{Reply: rep, id: id})
	return id, nil
}

// sentMsg is a message that went out, with the id the recorder gave it.
type sentMsg struct {
	channel.Reply
	id string
}

// idOf is the platform id of the latest message to the group whose text
// has all of wants.
func (e *env) idOf(wants ...string) string {
	e.t.Helper()
	for i := len(e.sent) - 1; i >= 0; i-- {
		m := e.sent[i]
		found := m.Channel == channel.Telegram && m.Chat == group
		for _, w := range wants {
			found = found && strings.Contains(m.Text, w)
		}
		if found {
			return m.id
		}
	}
	e.t.Fatalf("no message to the group says %q", wants)
	return ""
}

// announcement is the platform id of the latest announcement of ref, the
// message whose buttons an officer presses.
func (e *env) announcement(ref string) string {
	e.t.Helper()
	for i := len(e.sent) - 1; i >= 0; i-- {
		for _, row := range e.sent[i].Buttons {
			for _, b := range row {
				if b.Data == "ap:"+ref {
					return e.sent[i].id
				}
			}
		}
	}
	e.t.Fatalf("no announcement of %s", ref)
	return ""
}

// drain delivers every queued message on every channel and returns them.
func (e *env) drain() []channel.Reply {
	e.t.Helper()
	var out []channel.Reply
	for _, ch := range []channel.Name{channel.Telegram, channel.WhatsApp, channel.Console} {
		rec := &recorder{ch: ch, e: e}
		if _, err := outbox.Deliver(context.Background(), e.a.DB, outbox.Filter{Channel: ch, Limit: 1000}, rec,
			e.a.Clock.Now); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, rec.replies...)
	}
	return out
}

// to keeps the replies to one chat.
func to(rs []channel.Reply, ch channel.Name, chat string) []channel.Reply {
	var out []channel.Reply
	for _, r := range rs {
		if r.Channel == ch && r.Chat == chat {
			out = append(out, r)
		}
	}
	return out
}

func toSiti(rs []channel.Reply) []channel.Reply {
	return to(rs, channel.WhatsApp, "6281234567890@s.whatsapp.net")
}

func toGroup(rs []channel.Reply) []channel.Reply { return to(rs, channel.Telegram, group) }

// texts drops the button edits, keeping the messages.
func texts(rs []channel.Reply) []channel.Reply {
	var out []channel.Reply
	for _, r := range rs {
		if r.EditOf == "" {
			out = append(out, r)
		}
	}
	return out
}

// one returns the only reply, failing otherwise.
func one(t *testing.T, what string, rs []channel.Reply) channel.Reply {
	t.Helper()
	if len(rs) != 1 {
		t.Fatalf("%s: %d replies, want 1: %+v", what, len(rs), rs)
	}
	return rs[0]
}

func contains(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s: %q lacks %q", what, text, w)
		}
	}
}

// counts are the rows that record money and decisions, and the audit log.
type counts struct{ postings, decisions, loans, payments, pending, audit, refused int }

func (e *env) counts() counts {
	e.t.Helper()
	var c counts
	if err := e.a.DB.R.QueryRow(`SELECT (SELECT count(*) FROM ledger_postings), (SELECT count(*) FROM loan_decisions),
		(SELECT count(*) FROM loan_loans), (SELECT count(*) FROM loan_payments), (SELECT count(*) FROM officer_pending),
		(SELECT count(*) FROM officer_audit), (SELECT count(*) FROM officer_audit WHERE ok = 0)`).
		Scan(&c.postings, &c.decisions, &c.loans, &c.payments, &c.pending, &c.audit, &c.refused); err != nil {
		e.t.Fatal(err)
	}
	return c
}

func (e *env) status(ref string) loan.Status {
	e.t.Helper()
	a, err := loan.ApplicationByRef(context.Background(), e.a.DB.R, ref)
	if err != nil {
		e.t.Fatal(err)
	}
	return a.Status
}

func (e *env) check() {
	e.t.Helper()
	ledgertest.MustCheck(e.t, e.a.DB.R)
}

// msg renders a message as the reader would see it, for comparisons.
func (e *env) msg(lang, id string, data map[string]any) string { return e.a.Msgs.T(lang, id, data) }

// lastTx is the id of the newest ledger transaction, as /batal takes it.
func (e *env) lastTx() string {
	e.t.Helper()
	var id string
	if err := e.a.DB.R.QueryRow(`SELECT max(id) FROM ledger_transactions`).Scan(&id); err != nil {
		e.t.Fatal(err)
	}
	return id
}
