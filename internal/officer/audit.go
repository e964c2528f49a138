package officer

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/channel"

	"github.com/kopmem/kopbot/internal/store"
)

// maxAuditText bounds what a sender can make the audit log store.
const maxAuditText = 200

// audit appends the turn's action to officer_audit. The sender is recorded
// by platform id whether or not they are an officer: a refused attempt is
// as worth keeping as a granted one. The amount is what the action moved or
// tried to move, the transaction what it posted (a refused one posted none).
func audit(t *turn, action, detail string, ok bool) error {
	var amount, txID any
	if t.amount.IsPositive() {
		amount = t.amount.IntPart()
	}
	if t.txID != 0 {
		txID = t.txID
	}
	if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO officer_audit (officer_id, channel, action, subject, detail, ok,
		at, amount, tx_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, clip(t.from), string(t.ch), clip(action), clip(t.subject),
		clip(detail), ok, store.Stamp(t.now), amount, txID); err != nil {
		return fmt.Errorf("audit %s by %s: %w", action, t.from, err)
	}
	return nil
}

func clip(s string) string {
	if r := []rune(s); len(r) > maxAuditText {
		return string(r[:maxAuditText])
	}
	return s
}

// Record appends an action an officer took outside chat (a command line
// such as `kopbot member erase`) to the audit log, refused or not.
func Record(ctx context.Context, tx *sql.Tx, officerID, action, subject, detail string, ok bool, now time.Time) error {
	return audit(&turn{ctx: ctx, tx: tx, now: now, from: officerID, ch: channel.Console, subject: subject}, action, detail, ok)
}
