package reminder

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/clock"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/store"
)

// crashing accepts every message, and after every every-th one "dies":
// it panics once the message is out, so Deliver never reaches its mark, as
// when the process is killed between send and mark.
type crashing struct {
	every int
	n     int
	got   map[string]int // text → times received
}

// errCrash is what a test "restart" recovers.
var errCrash = errors.New("killed between send and mark")

func (c *crashing) Send(_ context.Context, r channel.Reply) error {
	c.got[r.Text]++
	c.n++
	if c.n%c.every == 0 {
		panic(errCrash)
	}
	return nil
}

// deliverUntilCrash runs one delivery round and reports whether the sender
// died in it.
func deliverUntilCrash(t *testing.T, db *store.DB, f outbox.Filter, s *crashing, now func() time.Time) (crashed bool) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			if r != errCrash {
				panic(r)
			}
			crashed = true
		}
	}()
	if _, err := outbox.Deliver(context.Background(), db, f, s, now); err != nil {
		t.Fatal(err)
	}
	return false
}

// TestCrashBetweenSendAndMark delivers 101 planned reminders (100 wajib and
// the summary) with a sender that dies after every few messages, restarting
// each time: every reminder arrives, none more than twice, and there are no
// more duplicates than crashes. The message in hand at a crash stays
// claimed until its claim runs out, then goes again.
func TestCrashBetweenSendAndMark(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		every int
	}{
		{"dies after every second", 2},
		{"dies after every third", 3},
		{"dies after every seventh", 7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db := openDB(t)
			newMembers(t, db, 100, channel.Console, strconv.Itoa)
			clk := clock.NewManual(at(time.December, 7, 9, 0))
			p := newPlanner(t, db, clk)
			if res, err := p.Plan(context.Background()); err != nil || res.Queued != 101 {
				t.Fatalf("planned %d, %v; want 101", res.Queued, err)
			}
			s := &crashing{every: tc.every, got: map[string]int{}}
			crashes := 0
			for restart := 0; restart < 500; restart++ {
				for _, ch := range []channel.Name{channel.Console, channel.Telegram} {
					if deliverUntilCrash(t, db, outbox.Filter{Channel: ch, Limit: 50, Vet: p.Vet}, s, clk.Now) {
						crashes++
						// The restarted sender finds the dead one's claim and
						// leaves it until it runs out.
						clk.Advance(outbox.ClaimFor)
						break
					}
				}
				var pending int
				if err := db.R.QueryRow(`SELECT count(*) FROM outbox WHERE status = 'pending'`).Scan(&pending); err != nil {
					t.Fatal(err)
				}
				if pending == 0 {
					break
				}
			}
			rows := outboxRows(t, db)
			dups := 0
			for key, r := range rows {
				switch n := s.got[r.text]; {
				case r.status != "sent":
					t.Errorf("%s is %s after restarts", key, r.status)
				case n == 0:
					t.Errorf("%s lost", key)
				case n > 2:
					t.Errorf("%s received %d times", key, n)
				case n == 2:
					dups++
				}
			}
			if crashes == 0 || dups == 0 || dups > crashes {
				t.Errorf("%d crashes, %d duplicates: want some crashes and at most one duplicate each", crashes, dups)
			}
		})
	}
}
