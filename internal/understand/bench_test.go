package understand

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// BenchmarkRead reads the whole first-message corpus, one message per
// iteration, and reports the 99th percentile of a single read.
func BenchmarkRead(b *testing.B) {
	u := reader(b)
	var texts []string
	for _, f := range []string{"testdata/first.tsv", "testdata/first_tuned2.tsv", "testdata/heldout.tsv"} {
		fh, err := os.Open(f)
		if err != nil {
			b.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			if _, text, ok := strings.Cut(sc.Text(), "\t"); ok && !strings.HasPrefix(sc.Text(), "#") {
				texts = append(texts, text)
			}
		}
		fh.Close()
	}
	// the longest message a member can send, as the router cuts it
	texts = append(texts, strings.Repeat("saya mau tanya soal pinjaman 5 juta ", 28))
	took := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		u.Read(texts[i%len(texts)])
		took = append(took, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds()), "p99-µs")
	b.ReportMetric(float64(took[len(took)-1].Microseconds()), "max-µs")
}
