package router

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kopmem/kopbot/internal/dialog"
	"github.com/kopmem/kopbot/internal/store"
)

// MissWindow is how far back the officers' list of misses looks.
const MissWindow = 30 * 24 * time.Hour

// missRunes is how much of a missed message the officers see: enough to
// know what was asked, not a member's whole story.
const missRunes = 60

// Miss is a text members wrote that kopbot did not understand, shortened
// and with every figure masked (phone numbers, account numbers, amounts),
// and how often it came.
type Miss struct {
	Text  string
	Count int
}

// Misses lists the most frequent messages that fell to the fallback since
// since, at most limit of them, most frequent first.
func Misses(ctx context.Context, q store.Queryer, since time.Time, limit int) ([]Miss, error) {
	rows, err := q.QueryContext(ctx, `SELECT text FROM inbox WHERE served = ? AND received_at >= ?`, dialog.ServedFallback, store.Stamp(since))
	if err != nil {
		return nil, fmt.Errorf("list misses: %w", err)
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var text string
		if err := rows.Scan(&text); err != nil {
			return nil, fmt.Errorf("list misses: %w", err)
		}
		if t := maskMiss(text); t != "" {
			counts[t]++
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list misses: %w", err)
	}
	out := make([]Miss, 0, len(counts))
	for t, n := range counts {
		out = append(out, Miss{Text: t, Count: n})
	}
	slices.SortFunc(out, func(a, b Miss) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Text, b.Text)
	})
	return out[:min(limit, len(out))], nil
}

var figures = regexp.MustCompile(`\d(?:[\d.,-]*\d)?`)

// maskMiss folds a message for the officers' list: lower case, spaces
// folded, every run of digits one "#", cut to missRunes.
func maskMiss(text string) string {
	s := figures.ReplaceAllString(strings.ToLower(strings.Join(strings.Fields(text), " ")), "#")
	if utf8.RuneCountInString(s) > missRunes {
		s = string([]rune(s)[:missRunes-1]) + "…"
	}
	return s
}
