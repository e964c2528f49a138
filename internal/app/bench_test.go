package app_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/channel/console"
	"github.com/kopmem/kopbot/internal/demo"
	"github.com/kopmem/kopbot/internal/outbox"
)

// benchSize gives 10,000 members and about 1,080,000 postings: 36 months of
// wajib, sukarela every third month and the odd withdrawal, two postings each.
var benchSize = demo.Size{Members: 10_000, Months: 36}

// benchDB builds the large cooperative once per machine and reuses it: it
// takes minutes to build and the benchmark only adds chat rows to it.
func benchDB(b *testing.B) string {
	b.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("kopbot-bench-%dx%d-%s.db", benchSize.Members, benchSize.Months, app.SchemaVersion()))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp := path + ".building"
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(tmp + suffix)
	}
	ctx := context.Background()
	a, err := app.Open(ctx, tmp, app.Options{})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if _, err := demo.Seed(ctx, a.DB, benchSize, time.Now()); err != nil {
		b.Fatal(err)
	}
	if _, err := a.DB.W.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
	a.Close()
	var postings int
	b.Logf("built %s in %s", path, time.Since(start).Round(time.Second))
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	a, err = app.Open(ctx, path, app.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	if err := a.DB.R.QueryRow(`SELECT count(*) FROM ledger_postings`).Scan(&postings); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d postings", postings)
	return path
}

// BenchmarkSaldo is one member typing "saldo" in the terminal seat: the
// message recorded, the member found, the flow run, the balance read, the
// reply queued durably, then delivered to the console.
func BenchmarkSaldo(b *testing.B) {
	path := benchDB(b)
	ctx := context.Background()
	a, err := app.Open(ctx, path, app.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	con := console.New(eofReader{}, io.Discard, console.Options{})
	run := time.Now().UnixNano()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		p := fmt.Sprintf("62812%08d", 34567890+i%benchSize.Members)
		m := channel.Message{Channel: channel.Console, ID: fmt.Sprintf("bench-%d-%d", run, i), Chat: p, Phone: p, Text: "saldo", Kind: channel.Text}
		if err := a.Router.Handle(ctx, m); err != nil {
			b.Fatal(err)
		}
		if n, err := outbox.Deliver(ctx, a.DB, outbox.Filter{Channel: channel.Console, Chat: p, Limit: 10}, con, a.Clock.Now); err != nil || n != 1 {
			b.Fatalf("delivered %d, %v", n, err)
		}
	}
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }
