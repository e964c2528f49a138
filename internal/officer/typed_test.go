package officer_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/outbox"
)

// TestTypedDecisionTakesTheButtonsAway: an officer who approves by typing
// (a terminal has no buttons) still removes the announcement's buttons in
// the group, found by the platform id the sender reported.
func TestTypedDecisionTakesTheButtonsAway(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	var a loan.Application
	e.write(func(tx *sql.Tx) error {
		var err error
		a, err = loan.Apply(ctx, tx, loan.Request{Key: "typed-1", MemberID: e.siti.ID, Product: "USAHA",
			Amount: rp(2_000_000), Tenor: 6, Purpose: "modal", Now: e.clk.Now()}, mustCatalog(t), loan.DefaultPolicy())
		if err != nil {
			return err
		}
		return e.a.Desk.Announce(ctx, tx, a, e.siti, e.clk.Now())
	})
	tr := &tracer{sent: map[string]string{}}
	if _, err := outbox.Deliver(ctx, e.a.DB, outbox.Filter{Channel: channel.Telegram, Limit: 10}, tr, e.a.Clock.Now); err != nil {
		t.Fatal(err)
	}
	if len(tr.sent) != 1 {
		t.Fatalf("sent %+v, want the announcement", tr.sent)
	}
	got := e.say(budi, budi, "/setujui "+a.Ref)
	var edits []channel.Reply
	for _, r := range toGroup(got) {
		if r.EditOf != "" {
			edits = append(edits, r)
		}
	}
	if len(edits) != 1 || edits[0].EditOf != "7001" || len(edits[0].Buttons) != 0 {
		t.Fatalf("edits %+v, want the announcement's buttons removed", edits)
	}
}
