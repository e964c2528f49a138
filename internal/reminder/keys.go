package reminder

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Outbox keys. Each names what is reminded of and at which offset, so a
// reminder is queued once ever however often the planner runs:
//
//	rem:inst:<loan ref>:<installment no>:<offset>   rem:inst:PJ-2611-0001:2:-3
//	rem:wajib:<member number>:<YYYY-MM>:<offset>    rem:wajib:A0012:2026-12:0
//	rem:summary:<YYYY-MM-DD>                        rem:summary:2026-12-01
const (
	keyPrefix  = "rem:"
	monthIndex = "2006-01"
)

func installmentKey(ref string, no, offset int) string {
	return fmt.Sprintf("rem:inst:%s:%d:%d", ref, no, offset)
}

func wajibKey(number string, month time.Time, offset int) string {
	return fmt.Sprintf("rem:wajib:%s:%s:%d", number, month.Format(monthIndex), offset)
}

func summaryKey(day time.Time) string { return "rem:summary:" + day.Format(time.DateOnly) }

// parsedKey is what a reminder key names.
type parsedKey struct {
	kind   Kind
	ref    string    // loan ref or member number
	no     int       // installment
	month  time.Time // wajib month, its first day
	offset int
}

// parseKey reads a key the planner wrote; ok is false for any other key.
// Loan refs and member numbers hold no colon, so splitting is safe.
func parseKey(key string) (parsedKey, bool) {
	parts := strings.Split(key, ":")
	if len(parts) < 3 || parts[0]+":" != keyPrefix {
		return parsedKey{}, false
	}
	var k parsedKey
	var err error
	switch {
	case parts[1] == "summary" && len(parts) == 3:
		k.kind = KindSummary
	case parts[1] == "inst" && len(parts) == 5:
		k.kind, k.ref = KindInstallment, parts[2]
		if k.no, err = strconv.Atoi(parts[3]); err == nil {
			k.offset, err = strconv.Atoi(parts[4])
		}
	case parts[1] == "wajib" && len(parts) == 5:
		k.kind, k.ref = KindWajib, parts[2]
		if k.month, err = time.Parse(monthIndex, parts[3]); err == nil {
			k.offset, err = strconv.Atoi(parts[4])
		}
	default:
		return parsedKey{}, false
	}
	return k, err == nil
}
