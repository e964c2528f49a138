// Package loadtest drives many simulated members at once through the same
// router the channels use, against a cooperative of production size, and
// reports throughput, latency, memory and errors.
package loadtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/ledger"
)

// Mix weighs the conversations a simulated member picks from.
type Mix struct {
	Saldo, Mutasi, Simulasi, Pinjam int
	// Kalimat is a question written as a sentence, not a keyword ("saldo
	// saya berapa ya"): the understanding reads it, and it is first offered
	// to a flow waiting for the member's words (an officer's question).
	Kalimat int
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
	// CheckLedger runs the ledger check on the database the run leaves.
	CheckLedger bool
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
	// PeakHeap is the largest Go heap in use seen while sampling every
	// 50 ms. PeakRSS is the process's peak resident memory during the run
	// (Linux; 0 elsewhere): SQLite's page caches live outside the Go heap.
	PeakHeap, PeakRSS uint64
	Errors            int
	// Busy counts errors that were SQLITE_BUSY / "database is locked".
	Busy int
	// FirstError is an example, for the record.
	FirstError string
	// Recorded, Replies and Requests are counted in the database after the
	// run: messages in the inbox, replies queued for the members, and loan
	// requests submitted.
	Recorded, Replies, Requests int
	// Ledger is the ledger check's verdict, when asked for.
	Ledger *ledger.Report
}

// PerSecond is messages handled per second.
func (r Report) PerSecond() float64 { return float64(r.Messages) / r.Elapsed.Seconds() }

func (r Report) String() string {
	offered := "as fast as answered"
	if r.Rate > 0 {
		offered = fmt.Sprintf("offered %.0f/s", r.Rate)
	}
	s := fmt.Sprintf("%d members, %d postings; %d simulated members (%s) sent %d messages in %s: %.0f messages/s\n"+
		"latency p50 %s, p99 %s, max %s; peak Go heap %d MiB, peak resident memory %d MiB\n"+
		"%d errors (%d SQLITE_BUSY); %d messages recorded, %d replies queued, %d loan requests submitted",
		r.Size.Members, r.Size.Postings, r.Concurrency, offered, r.Messages, r.Elapsed.Round(time.Millisecond), r.PerSecond(),
		r.P50.Round(time.Microsecond), r.P99.Round(time.Microsecond), r.Max.Round(time.Microsecond),
		r.PeakHeap>>20, r.PeakRSS>>20, r.Errors, r.Busy, r.Recorded, r.Replies, r.Requests)
	if r.Ledger != nil {
		s += "\nledger after the run: " + r.Ledger.String()
	}
	if r.FirstError != "" {
		s += "\nfirst error: " + r.FirstError
	}
	return s
}

// sentences are questions as members write them.
var sentences = []string{"saldo saya berapa ya", "mau lihat mutasi tabungan dong", "tagihan saya bulan ini berapa pak"}

// script is one conversation, the lines a member types in order.
func script(mix Mix, rng *rand.Rand) []string {
	switch n := rng.IntN(mix.Saldo + mix.Mutasi + mix.Simulasi + mix.Pinjam + mix.Kalimat); {
	case n < mix.Saldo:
		return []string{"saldo"}
	case n < mix.Saldo+mix.Mutasi:
		return []string{"mutasi"}
	case n < mix.Saldo+mix.Mutasi+mix.Simulasi:
		return []string{"simulasi", "1", "5 juta", "12"}
	case n < mix.Saldo+mix.Mutasi+mix.Simulasi+mix.Kalimat:
		return []string{sentences[rng.IntN(len(sentences))]}
	}
	answer := "tidak"
	if rng.IntN(100) < mix.Submit {
		answer = "ya"
	}
	return []string{"pinjam", "1", "2 juta", "6", "modal warung", answer}
}

// Run builds (or reuses) the cooperative and drives a copy of it, so every
// run starts from the same state: no earlier run's pending loan requests
// change what members are told, no earlier backlog grows the tables.
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
	template, err := Build(ctx, o.Dir, o.Size, time.Now(), o.Logf)
	if err != nil {
		return Report{}, err
	}
	path, err := copyOf(template)
	if err != nil {
		return Report{}, fmt.Errorf("load: %w", err)
	}
	defer removeDB(path)
	a, err := app.Open(ctx, path, app.Options{})
	if err != nil {
		return Report{}, fmt.Errorf("load: %w", err)
	}
	defer a.Close()
	o.Logf("driving %d simulated members, %d messages", o.Concurrency, o.Messages)
	r := drive(ctx, a, o)
	return r, count(ctx, a, o, &r)
}

// count fills in what the run left in the database.
func count(ctx context.Context, a *app.App, o Options, r *Report) error {
	if err := a.DB.R.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM inbox), (SELECT count(*) FROM outbox WHERE chat <> ?),
		(SELECT count(*) FROM loan_applications WHERE idem_key NOT LIKE ? || '%')`, app.OfficerSeat, builtApplication).Scan(&r.Recorded, &r.Replies, &r.Requests); err != nil {
		return fmt.Errorf("load: count: %w", err)
	}
	if !o.CheckLedger {
		return nil
	}
	o.Logf("checking the ledger")
	l, err := ledger.Check(ctx, a.DB.R)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	r.Ledger = &l
	return nil
}

// copyOf copies a database file beside it, under a name of its own, so
// runs at the same time do not share one.
func copyOf(from string) (path string, err error) {
	src, err := os.Open(from)
	if err != nil {
		return "", err
	}
	defer src.Close()
	dst, err := os.CreateTemp(filepath.Dir(from), filepath.Base(from)+".*.run")
	if err != nil {
		return "", err
	}
	defer func() {
		if err = errors.Join(err, dst.Close()); err != nil {
			removeDB(dst.Name())
		}
	}()
	if _, err = io.Copy(dst, src); err != nil {
		return "", err
	}
	// Flushed now, not by the kernel during the run, where writing back
	// the copy delayed the first commits by a third of a second.
	return dst.Name(), dst.Sync()
}

// removeDB removes a database file and its WAL and shared-memory files.
func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		_ = os.Remove(path + suffix) // the WAL is gone already after a clean close
	}
}

func drive(ctx context.Context, a *app.App, o Options) Report {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r := Report{Size: o.Size, Concurrency: o.Concurrency, Messages: o.Messages, Rate: o.Rate}
	latencies := make([]time.Duration, o.Messages)
	var (
		next       atomic.Int64 // messages claimed
		errs, busy atomic.Int64
		firstErr   sync.Once
		peakHeap   atomic.Uint64
	)
	var bg sync.WaitGroup
	resetPeakRSS()
	bg.Go(func() { sample(ctx, &peakHeap) })

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
			// One timer per member, reset for each pause: the load
			// generator shares the two cores with what it measures.
			pause := time.NewTimer(0)
			<-pause.C
			for seq := 0; ; seq++ {
				if len(lines) == 0 {
					lines = script(o.Mix, rng)
				}
				if o.Rate > 0 {
					pause.Reset(time.Duration(rng.ExpFloat64() * float64(o.Concurrency) / o.Rate * float64(time.Second)))
					select {
					case <-done.Done():
						return
					case <-pause.C:
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
	slices.Sort(latencies)
	r.P50, r.P99, r.Max = latencies[len(latencies)/2], latencies[len(latencies)*99/100], latencies[len(latencies)-1]
	r.PeakHeap, r.PeakRSS = peakHeap.Load(), peakRSS()
	r.Errors, r.Busy = int(errs.Load()), int(busy.Load())
	return r
}

// IsBusy reports whether err is SQLite refusing a lock: with one writer
// connection and BEGIN IMMEDIATE there should never be one.
func IsBusy(err error) bool {
	s := err.Error()
	return strings.Contains(s, "SQLITE_BUSY") || strings.Contains(s, "database is locked")
}

func sample(ctx context.Context, heap *atomic.Uint64) {
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	var ms runtime.MemStats
	for {
		runtime.ReadMemStats(&ms)
		if ms.HeapInuse > heap.Load() {
			heap.Store(ms.HeapInuse)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// resetPeakRSS starts the kernel's count of peak resident memory afresh,
// so building and copying the database before the run are not counted.
func resetPeakRSS() {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // not Linux: peakRSS reports 0
}

// peakRSS is the process's peak resident memory (VmHWM), or 0 where the
// kernel does not say.
func peakRSS() uint64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(status)) {
		if kb, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(kb), " kB"), 10, 64)
			if err != nil {
				return 0
			}
			return n << 10
		}
	}
	return 0
}
