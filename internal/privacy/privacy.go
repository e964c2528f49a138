// Package privacy keeps what kopbot holds about members to what the
// cooperative needs (UU PDP 27/2022): message texts are dropped after a
// retention period, a member's data can be exported for them to see, and a
// member who has left can be erased — identity pseudonymised, channels and
// texts removed, postings kept, because the books must balance.
package privacy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/store"
)

// DefaultKeep is how long message texts are kept by default: long enough
// to look into a complaint about last month's conversation.
const DefaultKeep = 30 * 24 * time.Hour

// Pruned counts the texts a Prune dropped.
type Pruned struct{ Inbox, Outbox int64 }

// Prune drops the text (and the sender's phone) of every inbound message
// received before before, keeping its platform id so a redelivery is still
// answered once, and the text of every outbound message delivered, or
// given up, before before. A message still waiting to go keeps its text.
func Prune(ctx context.Context, db *store.DB, before time.Time) (Pruned, error) {
	var p Pruned
	err := db.Write(ctx, func(tx *sql.Tx) error {
		var err error
		if p.Inbox, err = affected(tx.ExecContext(ctx, `UPDATE inbox SET text = '', phone = NULL
			WHERE received_at < ? AND (text <> '' OR phone IS NOT NULL)`, store.Stamp(before))); err != nil {
			return fmt.Errorf("prune inbox: %w", err)
		}
		if p.Outbox, err = affected(tx.ExecContext(ctx, `UPDATE outbox SET text = '', buttons = NULL
			WHERE status <> 'pending' AND coalesce(sent_at, created_at) < ? AND (text <> '' OR buttons IS NOT NULL)`,
			store.Stamp(before))); err != nil {
			return fmt.Errorf("prune outbox: %w", err)
		}
		return nil
	})
	return p, err
}

func affected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// ErrStillMember is returned by Erase for a member who still has savings,
// a loan or a request open: their data is still needed to serve them.
var ErrStillMember = errors.New("the member still has savings, a loan or a request")
