package member

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/phone"
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

// VetConsent is an outbox Vet that keeps the same rule for whatever bulk
// goes on WhatsApp (announcements as well as reminders), just before it
// goes: a message to a member without consent (see BulkConsent) is dropped
// as outbox.WithheldNoConsent, counted where the officers look. Anything
// else goes.
func VetConsent(q store.Queryer) func(ctx context.Context, it outbox.Item) (outbox.Verdict, error) {
	return func(ctx context.Context, it outbox.Item) (outbox.Verdict, error) {
		number, ok := strings.CutSuffix(it.Chat, "@s.whatsapp.net")
		if it.Channel != channel.WhatsApp || it.Lane != channel.Bulk || !ok {
			return outbox.Verdict{Action: outbox.Send}, nil
		}
		m, err := ByPhone(ctx, q, number)
		if errors.Is(err, ErrNotFound) {
			return outbox.Verdict{Action: outbox.Send}, nil
		}
		if err != nil {
			return outbox.Verdict{}, fmt.Errorf("consent of %s: %w", phone.Last4(number), err)
		}
		consent, err := BulkConsent(ctx, q, []int64{m.ID})
		if err != nil {
			return outbox.Verdict{}, err
		}
		if !consent[m.ID] {
			return outbox.Verdict{Action: outbox.Drop, Reason: outbox.WithheldNoConsent}, nil
		}
		return outbox.Verdict{Action: outbox.Send}, nil
	}
}
