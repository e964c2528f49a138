package outbox

import (
	"context"
	"fmt"

	"github.com/kopmem/kopbot/internal/store"
)

// Tally is how the messages of one batch (an announcement's) stand.
type Tally struct {
	Pending int
	Sent    int
	Failed  int
	// Dropped were never sent: vetted out (the member said STOP meanwhile)
	// or expired; Expired are those of them that expired.
	Dropped, Expired int
}

// TallyKeyed counts the messages whose key starts with prefix, by status,
// off the key's UNIQUE index.
func TallyKeyed(ctx context.Context, q store.Queryer, prefix string) (Tally, error) {
	var t Tally
	if prefix == "" {
		return t, fmt.Errorf("tally outbox: empty key prefix")
	}
	// The keys between prefix and prefix with its last byte raised are
	// exactly those that start with prefix.
	end := prefix[:len(prefix)-1] + string([]byte{prefix[len(prefix)-1] + 1})
	err := q.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE status = 'pending'), count(*) FILTER (WHERE status = 'sent'),
		count(*) FILTER (WHERE status = 'failed'), count(*) FILTER (WHERE status = 'dropped'),
		count(*) FILTER (WHERE status = 'dropped' AND last_error = ?3)
		FROM outbox WHERE key >= ?1 AND key < ?2`, prefix, end, DropExpired).Scan(&t.Pending, &t.Sent, &t.Failed, &t.Dropped, &t.Expired)
	if err != nil {
		return Tally{}, fmt.Errorf("tally outbox %s*: %w", prefix, err)
	}
	return t, nil
}

// Vets asks each vet in turn and takes the first verdict that is not Send:
// each knows its own keys and lets the others' go.
func Vets(vets ...func(ctx context.Context, it Item) (Verdict, error)) func(ctx context.Context, it Item) (Verdict, error) {
	return func(ctx context.Context, it Item) (Verdict, error) {
		for _, v := range vets {
			verdict, err := v(ctx, it)
			if err != nil || verdict.Action != Send {
				return verdict, err
			}
		}
		return Verdict{Action: Send}, nil
	}
}
