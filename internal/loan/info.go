package loan

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/store"
)

// Asked is a true-or-false SQL expression over a row of members: an officer
// asked about one of the member's requests (Minta info) and waits for the
// answer. Read with the member (member.ByPhoneAnd) it is an index probe in
// the same statement, not a look-up of its own for every message.
const Asked = `EXISTS (SELECT 1 FROM loan_applications WHERE member_id = members.id AND status = '` + string(StatusInfoRequested) + `')`

// Exchange is the latest question the officers asked about an application
// and the member's answer to it, "" while none has come.
type Exchange struct {
	Question string
	Answer   string
	// AnsweredAt is when the answer came; zero while none has.
	AnsweredAt time.Time
}

// LastExchange returns the latest Minta info question on the application and
// the member's answer after it; false when the officers never asked.
func LastExchange(ctx context.Context, q store.Queryer, appID int64) (Exchange, bool, error) {
	var x Exchange
	var asked string
	err := q.QueryRowContext(ctx, `SELECT reason, at FROM loan_decisions WHERE application_id = ? AND decision = ?
		ORDER BY id DESC LIMIT 1`, appID, string(AskInfo)).Scan(&x.Question, &asked)
	if errors.Is(err, sql.ErrNoRows) {
		return Exchange{}, false, nil
	}
	if err != nil {
		return Exchange{}, false, fmt.Errorf("question on application %d: %w", appID, err)
	}
	var at string
	err = q.QueryRowContext(ctx, `SELECT text, at FROM loan_info WHERE application_id = ? AND at >= ? ORDER BY id DESC LIMIT 1`,
		appID, asked).Scan(&x.Answer, &at)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return x, true, nil
	case err != nil:
		return Exchange{}, false, fmt.Errorf("answer on application %d: %w", appID, err)
	}
	if x.AnsweredAt, err = time.Parse(instantLayout, at); err != nil {
		return Exchange{}, false, fmt.Errorf("answer on application %d at %q: %w", appID, at, err)
	}
	return x, true, nil
}
