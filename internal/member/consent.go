package member

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/store"
)

// BulkConsent says, by member id, which of ids may be sent unasked
// messages on WhatsApp: those who have written to the cooperative's number
// themselves (WhatsApp answers error 463 and counts it against the number
// otherwise), and those the import marked as opted in. A member whose
// number changed starts again: the new number never wrote.
func BulkConsent(ctx context.Context, q store.Queryer, ids []int64) (map[int64]bool, error) {
	arg, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("bulk consent of %d members: %w", len(ids), err)
	}
	rows, err := q.QueryContext(ctx, `SELECT value FROM json_each(?1) WHERE
		EXISTS (SELECT 1 FROM member_channels c WHERE c.member_id = value AND c.channel = ?2)
		OR EXISTS (SELECT 1 FROM member_optin o WHERE o.member_id = value)`, string(arg), string(channel.WhatsApp))
	if err != nil {
		return nil, fmt.Errorf("bulk consent of %d members: %w", len(ids), err)
	}
	defer rows.Close()
	out := make(map[int64]bool, len(ids))
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("bulk consent of %d members: %w", len(ids), err)
		}
		out[id] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("bulk consent of %d members: %w", len(ids), err)
	}
	return out, nil
}
