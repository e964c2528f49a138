package reminder

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
)

// TestPreviewIsWhatPlanQueues previews Monday 7 December, a day with due-day
// installment reminders (H-1 collapsed into them), H-3 wajib reminders held
// back by them (one reminder a member a day), an opted-out member and the
// summary, then plans that morning on the same data: the same keys to the
// same chats with the same texts.
func TestPreviewIsWhatPlanQueues(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	disbursed := at(time.November, 7, 10, 0)
	var bs []borrower
	for n := 1; n <= 4; n++ {
		bs = append(bs, newBorrower(t, db, n, disbursed))
	}
	write(t, db, func(q *sql.Tx) error { return OptOut(ctx, q, bs[3].ID, disbursed) })
	clk := clock.NewManual(at(time.December, 7, 8, 0))
	p := newPlanner(t, db, clk)

	preview, err := p.Preview(ctx, db.R, time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Plan(ctx); err != nil {
		t.Fatal(err)
	}
	rows := outboxRows(t, db)
	// Three installments, one summary.
	if len(preview) != 4 || len(rows) != len(preview) {
		t.Fatalf("preview has %d, plan queued %d; want 4 each", len(preview), len(rows))
	}
	for _, pl := range preview {
		r, ok := rows[pl.Key]
		if !ok {
			t.Errorf("%s previewed, not queued", pl.Key)
			continue
		}
		if r.channel != string(pl.To.Channel) || r.chat != pl.To.Chat || r.text != pl.Text {
			t.Errorf("%s: queued %s:%s %q, previewed %s:%s %q", pl.Key, r.channel, r.chat, r.text, pl.To.Channel, pl.To.Chat, pl.Text)
		}
	}
	first := preview[0]
	want := Planned{Key: installmentKey(bs[0].loan.Ref, 1, 0), Kind: KindInstallment, MemberID: bs[0].ID, Number: "A0001",
		Name: "Anggota 1", Phone: "6281200000001", Ref: bs[0].loan.Ref, No: 1,
		Reason: "H angsuran ke-1 " + bs[0].loan.Ref}
	if first.Key != want.Key || first.Kind != want.Kind || first.Offset != 0 || first.MemberID != want.MemberID ||
		first.Number != want.Number || first.Name != want.Name || first.Phone != want.Phone || first.Ref != want.Ref ||
		first.No != want.No || first.Reason != want.Reason || first.To.Channel != channel.WhatsApp ||
		!first.Due.Equal(time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)) || !first.Amount.Equal(bs[0].installmentTotal(t, db, 1)) {
		t.Errorf("preview[0] = %+v\nwant like %+v", first, want)
	}
	if sunday, err := p.Preview(ctx, db.R, time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)); err != nil || len(sunday) != 0 {
		t.Errorf("Sunday preview: %d, %v; nothing goes on Sunday", len(sunday), err)
	}
}
