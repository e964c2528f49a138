package announce

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/phone"
	"github.com/kopmem/kopbot/internal/store"
)

// Recipients are the members a announcement to a reaches on the calendar
// day asOf (its Location is the cooperative's zone), by id. A member whose
// number was erased (one who left) has no phone to write to and is never
// among them.
func Recipients(ctx context.Context, q store.Queryer, a Announcement, asOf time.Time) ([]member.Member, error) {
	var ids []int64
	var err error
	switch a.Audience {
	case All:
		ids, err = reachable(ctx, q, `SELECT id FROM members WHERE `+hasPhone+` ORDER BY id`)
	case Newcomers:
		jan1 := time.Date(asOf.Year(), time.January, 1, 0, 0, 0, 0, time.UTC).Format(member.DateLayout)
		ids, err = reachable(ctx, q, `SELECT id FROM members WHERE `+hasPhone+` AND joined_on >= ? ORDER BY id`, jan1)
	case Arrears:
		ids, err = inArrears(ctx, q, asOf)
	case Listed:
		arg, jerr := json.Marshal(a.Members)
		if jerr != nil {
			return nil, jerr
		}
		ids, err = reachable(ctx, q, `SELECT id FROM members WHERE `+hasPhone+` AND id IN (SELECT value FROM json_each(?))
			ORDER BY id`, string(arg))
	default:
		err = fmt.Errorf("audience %q unknown", a.Audience)
	}
	if err != nil {
		return nil, fmt.Errorf("recipients of announcement %d: %w", a.ID, err)
	}
	byID, err := member.ByIDs(ctx, q, ids)
	if err != nil {
		return nil, fmt.Errorf("recipients of announcement %d: %w", a.ID, err)
	}
	out := make([]member.Member, len(ids))
	for i, id := range ids {
		out[i] = byID[id]
	}
	return out, nil
}

// hasPhone holds for a member with a phone number: erasing one who left
// replaces it with a marker that is no number.
const hasPhone = `phone <> '' AND phone NOT GLOB '*[^0-9]*'`

func reachable(ctx context.Context, q store.Queryer, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// inArrears are the members with an open loan past due on asOf.
func inArrears(ctx context.Context, q store.Queryer, asOf time.Time) ([]int64, error) {
	late, err := loan.Overdue(ctx, q, asOf)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, l := range late {
		ids = append(ids, l.MemberID)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	arg, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	return reachable(ctx, q, `SELECT id FROM members WHERE `+hasPhone+` AND id IN (SELECT value FROM json_each(?)) ORDER BY id`,
		string(arg))
}

// Resolve reads the members an officer listed, each by member number or
// phone number (08…, +62…, 62…): their ids in the order named, without
// repeats, and the words that named nobody.
func Resolve(ctx context.Context, q store.Queryer, words []string) (ids []int64, unknown []string, err error) {
	for _, w := range words {
		w = strings.TrimSpace(w)
		if w == "" {
			continue
		}
		m, err := member.ByNumber(ctx, q, w)
		if errors.Is(err, member.ErrNotFound) {
			if p, perr := phone.Normalize(w); perr == nil {
				m, err = member.ByPhone(ctx, q, p)
			}
		}
		switch {
		case errors.Is(err, member.ErrNotFound):
			unknown = append(unknown, w)
			continue
		case err != nil:
			return nil, nil, fmt.Errorf("listed member %q: %w", w, err)
		}
		if !slices.Contains(ids, m.ID) {
			ids = append(ids, m.ID)
		}
	}
	return ids, unknown, nil
}
