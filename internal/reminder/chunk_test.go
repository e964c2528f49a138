package reminder

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/money"
)

// TestChunksAreWhatOneByOneGives plans Tuesday 15 December for 3,000 loans,
// enough reminders for two chunks, with members who chat on Telegram (some
// on WhatsApp later still), members who said STOP (some MULAI after), and
// checks every reminder: the member, the chat they used last, their latest
// choice, the denda LoanStatusOf gives, in due date and loan order across
// the chunks.
func TestChunksAreWhatOneByOneGives(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	const n = 3000
	seedLoans(t, db, n)
	optedOut := map[int64]bool{}
	write(t, db, func(q *sql.Tx) error {
		for id := int64(5); id <= n; id += 5 {
			if err := member.Touch(ctx, q, id, channel.Telegram, fmt.Sprintf("tg-%d", id), at(time.December, 1, 9, 0)); err != nil {
				return err
			}
			if id%2 == 0 {
				if err := member.Touch(ctx, q, id, channel.WhatsApp, fmt.Sprintf("wa-%d", id), at(time.December, 2, 9, 0)); err != nil {
					return err
				}
			}
		}
		for id := int64(3); id <= n; id += 11 {
			if err := OptOut(ctx, q, id, at(time.December, 1, 9, 0)); err != nil {
				return err
			}
			optedOut[id] = id%3 != 0
			if id%3 == 0 {
				if err := OptIn(ctx, q, id, at(time.December, 2, 9, 0)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	p := newPlanner(t, db, clock.NewManual(at(time.December, 15, 9, 0)))
	day := time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC)
	preview, err := p.Preview(ctx, db.R, day)
	if err != nil {
		t.Fatal(err)
	}

	// Loan id's installments fall due on 1 + id%28 December: H+7, H+1, H,
	// H-1 and H-3 of the 15th are the 8th, 14th, 15th, 16th and 18th.
	want := 0
	for id := int64(1); id <= n; id++ {
		if slices.Contains([]int64{7, 13, 14, 15, 17}, id%28) && !optedOut[id] {
			want++
		}
	}
	var got []Planned
	for _, pl := range preview {
		if pl.Kind == KindInstallment {
			got = append(got, pl)
		}
	}
	if len(got) != want || want <= chunkSize {
		t.Fatalf("%d installment reminders, want %d (more than a chunk of %d)", len(got), want, chunkSize)
	}
	for i, pl := range got {
		if i > 0 && (pl.Due.Before(got[i-1].Due) || pl.Due.Equal(got[i-1].Due) && pl.Ref <= got[i-1].Ref) {
			t.Errorf("%s after %s: not in due date and loan order", pl.Key, got[i-1].Key)
		}
		m, err := member.ByID(ctx, db.R, pl.MemberID)
		if err != nil {
			t.Fatal(err)
		}
		to := member.Address{Channel: channel.WhatsApp, Chat: m.Phone + "@s.whatsapp.net"}
		switch {
		case m.ID%5 == 0 && m.ID%2 == 0:
			to = member.Address{Channel: channel.WhatsApp, Chat: fmt.Sprintf("wa-%d", m.ID)}
		case m.ID%5 == 0:
			to = member.Address{Channel: channel.Telegram, Chat: fmt.Sprintf("tg-%d", m.ID)}
		}
		if pl.Number != m.Number || pl.Name != m.Name || pl.Phone != m.Phone || pl.To != to {
			t.Errorf("%s goes to %s %s %s at %v, want %s %s %s at %v", pl.Key, pl.Number, pl.Name, pl.Phone, pl.To,
				m.Number, m.Name, m.Phone, to)
		}
		if pl.Offset <= 0 {
			continue
		}
		s, err := loan.LoanStatusOf(ctx, db.R, pl.Ref, day)
		if err != nil {
			t.Fatal(err)
		}
		denda := s.Schedule[pl.No-1].DendaDue()
		if pl.Offset == 7 && !denda.IsPositive() {
			t.Errorf("%s: no denda by H+7", pl.Key)
		}
		if line := "Denda keterlambatan sampai hari ini: " + money.Format(denda, "id"); !strings.Contains(pl.Text, line) {
			t.Errorf("%s lacks %q:\n%s", pl.Key, line, pl.Text)
		}
	}

	res, err := p.Plan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rows := outboxRows(t, db)
	if res.Queued != len(preview) || len(rows) != len(preview) {
		t.Fatalf("plan queued %d (%d rows), preview has %d", res.Queued, len(rows), len(preview))
	}
	for _, pl := range preview {
		if r := rows[pl.Key]; r.chat != pl.To.Chat || r.text != pl.Text {
			t.Errorf("%s: queued %s %q, previewed %s %q", pl.Key, r.chat, r.text, pl.To.Chat, pl.Text)
		}
	}
	if again, err := p.Plan(ctx); err != nil || again.Queued != 0 {
		t.Errorf("planning again queued %d, %v", again.Queued, err)
	}
}

// TestDueRanges reads only the due dates an offset reaches: on Tuesday 15
// December three ranges; on Monday 14th, after a Sunday without sending, two.
func TestDueRanges(t *testing.T) {
	t.Parallel()
	dec := func(d int) time.Time { return time.Date(2026, 12, d, 0, 0, 0, 0, time.UTC) }
	offsets := testConfig().OffsetsInstallment
	for _, c := range []struct {
		from, to time.Time
		want     [][2]time.Time
	}{
		{dec(15), dec(15), [][2]time.Time{{dec(8), dec(8)}, {dec(14), dec(16)}, {dec(18), dec(18)}}},
		{dec(13), dec(14), [][2]time.Time{{dec(6), dec(7)}, {dec(12), dec(17)}}},
	} {
		if got := dueRanges(offsets, c.from, c.to); !slices.Equal(got, c.want) {
			t.Errorf("dueRanges(%s–%s) = %v, want %v", c.from.Format(time.DateOnly), c.to.Format(time.DateOnly), got, c.want)
		}
	}
}
