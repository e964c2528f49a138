package outbox

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/store"
)

// SentAs returns the item that went to chat on ch as the platform's message
// platformID, and false when kopbot sent no such message (or the channel
// did not tell its id): what an officer's reply in Telegram answers.
func SentAs(ctx context.Context, q store.Queryer, ch channel.Name, chat, platformID string) (Item, bool, error) {
	it := Item{Reply: channel.Reply{Channel: ch, Chat: chat}}
	var buttons string
	err := q.QueryRowContext(ctx, `SELECT text, coalesce(buttons, ''), coalesce(key, '') FROM outbox
		WHERE channel = ? AND chat = ? AND platform_id = ? ORDER BY id DESC LIMIT 1`,
		string(ch), chat, platformID).Scan(&it.Text, &buttons, &it.Key)
	if errors.Is(err, sql.ErrNoRows) {
		return Item{}, false, nil
	}
	if err != nil {
		return Item{}, false, fmt.Errorf("message %s in %s:%s: %w", platformID, ch, chat, err)
	}
	if buttons != "" {
		if err := json.Unmarshal([]byte(buttons), &it.Buttons); err != nil {
			return Item{}, false, fmt.Errorf("message %s in %s:%s: bad buttons: %w", platformID, ch, chat, err)
		}
	}
	return it, true, nil
}
