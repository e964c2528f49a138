// Package loadtest drives many simulated members at once through the same
// router the channels use, against a cooperative of production size, and
// reports throughput, latency, memory and errors.
package loadtest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/outbox"
)

// Mix weighs the conversations a simulated member picks from.
type Mix struct {
	Saldo, Mutasi, Simulasi, Pinjam int
	// Submit is the share (0–100) of loan requests confirmed with "ya"
	// rather than declined at the review; a member with a pending request
	// is politely refused the next one, which is traffic too.
	Submit int
}

// DefaultMix is mostly members checking their money, as a cooperative's
// chat is on a pay day.
var DefaultMix = Mix{Saldo: 50, Mutasi: 25, Simulasi: 15, Pinjam: 10, Submit: 20}

// Options configure Run.
type Options struct {
	// Dir holds the generated databases, reused across runs by size.
	Dir  string
	Size Size
	// Concurrency is how many simulated members chat at the same time,
	// each in their own goroutine and chat.
	Concurrency int
	// Messages is how many messages are sent in all.
	Messages int
	// Rate is the offered load in messages per second over all members,
	// each pausing a random (exponential) think time between messages as
	// people do. Zero means no pause: every member types again as soon as
	// answered, which measures capacity but makes latency mostly queueing
	// (Little's law: Concurrency / throughput).
	Rate float64
	Mix  Mix
	// Logf, when set, is told about progress (building takes minutes).
	Logf func(format string, args ...any)
}

// Report is what a run measured.
type Report struct {
	Size        Size
	Concurrency int
	Messages    int
	Rate        float64
	Elapsed     time.Duration
	// P50, P99 and Max are the time Router.Handle took per message, queueing
	// for the writer included: what a member waits before the reply is durable.
	P50, P99, Max time.Duration
	// PeakHeap and PeakSys are the largest heap in use and memory obtained
	// from the OS seen while sampling every 50 ms.
	PeakHeap, PeakSys uint64
	Errors            int
	// Busy counts errors that were SQLITE_BUSY / "database is locked".
	Busy      int
	Delivered int
	// FirstError is an example, for the record.
	FirstError string
}

// PerSecond is messages handled per second.
func (r Report) PerSecond() float64 { return float64(r.Messages) / r.Elapsed.Seconds() }

func (r Report) String() string {
	offered := "as fast as answered"
	if r.Rate > 0 {
		offered = fmt.Sprintf("offered %.0f/s", r.Rate)
	}
	s := fmt.Sprintf("%d members, %d postings; %d simulated members (%s) sent %d messages in %s: %.0f messages/s\n"+
		"latency p50 %s, p99 %s, max %s; peak heap %d MiB, peak from OS %d MiB\n"+
		"%d errors (%d SQLITE_BUSY); %d replies delivered",
		r.Size.Members, r.Size.Postings, r.Concurrency, offered, r.Messages, r.Elapsed.Round(time.Millisecond), r.PerSecond(),
		r.P50.Round(time.Microsecond), r.P99.Round(time.Microsecond), r.Max.Round(time.Microsecond),
		r.PeakHeap>>20, r.PeakSys>>20, r.Errors, r.Busy, r.Delivered)
	if r.FirstError != "" {
		s += "\nfirst error: " + r.FirstError
	}
	return s
}

// script is one conversation, the lines a member types in order.
func script(mix Mix, rng *rand.Rand) []string {
	switch n := rng.IntN(mix.Saldo + mix.Mutasi + mix.Simulasi + mix.Pinjam); {
	case n < mix.Saldo:
		return []string{"saldo"}
	case n < mix.Saldo+mix.Mutasi:
		return []string{"mutasi"}
	case n < mix.Saldo+mix.Mutasi+mix.Simulasi:
		return []string{"simulasi", "1", "5 juta", "12"}
	}
	answer := "tidak"
	if rng.IntN(100) < mix.Submit {
		answer = "ya"
	}
	return []string{"pinjam", "1", "2 juta", "6", "modal warung", answer}
}

// Run builds (or reuses) the cooperative and drives it.
func Run(ctx context.Context, o Options) (Report, error) {
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	if o.Mix == (Mix{}) {
		o.Mix = DefaultMix
	}
	if o.Dir == "" {
		o.Dir = os.TempDir()
	}
	if o.Concurrency <= 0 || o.Messages <= 0 || o.Concurrency > o.Size.Members {
		return Report{}, fmt.Errorf("load: %d simulated members among %d sending %d messages: each must be a member and send something",
			o.Concurrency, o.Size.Members, o.Messages)
	}
	path, err := Build(ctx, o.Dir, o.Size, time.Now(), o.Logf)
	if err != nil {
		return Report{}, err
	}
	a, err := app.Open(ctx, path, app.Options{})
	if err != nil {
		return Report{}, fmt.Errorf("load: %w", err)
	}
	defer a.Close()
	// Earlier runs' replies were delivered already, or are dropped by
	// this one's pump: only this run's backlog matters.
	o.Logf("driving %d simulated members, %d messages", o.Concurrency, o.Messages)
	return drive(ctx, a, o)
}

func drive(ctx context.Context, a *app.App, o Options) (Report, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r := Report{Size: o.Size, Concurrency: o.Concurrency, Messages: o.Messages, Rate: o.Rate}
	latencies := make([]time.Duration, o.Messages)
	var (
		next              atomic.Int64 // messages claimed
		errs, busy        atomic.Int64
		firstErr          sync.Once
		peakHeap, peakSys atomic.Uint64
		delivered         atomic.Int64
		pumpErr           error
	)
	var bg sync.WaitGroup
	bg.Go(func() { sample(ctx, &peakHeap, &peakSys) })
	bg.Go(func() { pumpErr = pump(ctx, a, &delivered) })

	run := time.Now().UnixNano()
	// Simulated members are spread over the whole cooperative, so reads
	// touch cold pages as a real pay day would, not one hot corner.
	stride := o.Size.Members / o.Concurrency
	start := time.Now()
	// done wakes thinking members once every message is sent; the
	// messages in flight finish under ctx.
	done, stop := context.WithCancel(ctx)
	defer stop()
	var members sync.WaitGroup
	for g := range o.Concurrency {
		members.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(run), uint64(g)))
			p := Phone(g * stride)
			var lines []string
			for seq := 0; ; seq++ {
				if len(lines) == 0 {
					lines = script(o.Mix, rng)
				}
				if o.Rate > 0 {
					think := time.Duration(rng.ExpFloat64() * float64(o.Concurrency) / o.Rate * float64(time.Second))
					select {
					case <-done.Done():
						return
					case <-time.After(think):
					}
				}
				// Claimed after thinking, so the run ends when the last
				// message is answered, not when the last sleeper wakes.
				i := next.Add(1) - 1
				if i >= int64(o.Messages) {
					stop()
					return
				}
				m := channel.Message{Channel: channel.Console, ID: fmt.Sprintf("load-%d-%d-%d", run, g, seq),
					Chat: p, Phone: p, Text: lines[0], Kind: channel.Text}
				lines = lines[1:]
				t0 := time.Now()
				err := a.Router.Handle(ctx, m)
				latencies[i] = time.Since(t0)
				if err != nil {
					errs.Add(1)
					if IsBusy(err) {
						busy.Add(1)
					}
					firstErr.Do(func() { r.FirstError = err.Error() })
				}
			}
		})
	}
	members.Wait()
	r.Elapsed = time.Since(start)
	cancel()
	bg.Wait()
	if pumpErr != nil && !errors.Is(pumpErr, context.Canceled) {
		return r, fmt.Errorf("load: deliver: %w", pumpErr)
	}
	slices.Sort(latencies)
	r.P50, r.P99, r.Max = latencies[len(latencies)/2], latencies[len(latencies)*99/100], latencies[len(latencies)-1]
	r.PeakHeap, r.PeakSys = peakHeap.Load(), peakSys.Load()
	r.Errors, r.Busy, r.Delivered = int(errs.Load()), int(busy.Load()), int(delivered.Load())
	return r, nil
}

// IsBusy reports whether err is SQLite refusing a lock: with one writer
// connection and BEGIN IMMEDIATE there should never be one.
func IsBusy(err error) bool {
	s := err.Error()
	return strings.Contains(s, "SQLITE_BUSY") || strings.Contains(s, "database is locked")
}

// pump delivers the console outbox as a sender would, discarding the text,
// so the queue a real deployment drains does not grow through the run and
// the marking of sent rows competes for the writer as it does in production.
func pump(ctx context.Context, a *app.App, delivered *atomic.Int64) error {
	for ctx.Err() == nil {
		n, err := outbox.Deliver(ctx, a.DB, outbox.Filter{Channel: channel.Console, Limit: 500}, discard{}, a.Clock.Now)
		if err != nil {
			return err
		}
		delivered.Add(int64(n))
		if n == 0 {
			select {
			case <-ctx.Done():
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
	return ctx.Err()
}

type discard struct{}

func (discard) Send(context.Context, channel.Reply) error { return nil }

func sample(ctx context.Context, heap, sys *atomic.Uint64) {
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	var ms runtime.MemStats
	for {
		runtime.ReadMemStats(&ms)
		if ms.HeapInuse > heap.Load() {
			heap.Store(ms.HeapInuse)
		}
		if ms.Sys > sys.Load() {
			sys.Store(ms.Sys)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
