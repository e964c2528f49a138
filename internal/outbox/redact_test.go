package outbox

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/store/storetest"
)

// An error line never carries a member's phone number, only its last four
// digits: error lines end up in logs and bug reports.
func TestErrorsRedactThePhone(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t) // no outbox table: every enqueue fails
	_, err := Enqueue(context.Background(), db.W, Item{Reply: channel.Reply{Channel: channel.WhatsApp,
		Chat: "6281234567890@s.whatsapp.net", Text: "x"}}, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	if err == nil || strings.Contains(err.Error(), "628123456") || !strings.Contains(err.Error(), "…7890") {
		t.Fatalf("enqueue error %v: want the phone redacted to …7890", err)
	}
}
