package settle

import (
	"strconv"
	"strings"
	"time"
)

// named are the days a member may name in words, as days after today.
var named = map[string]int{
	"": 0, "hari ini": 0, "sekarang": 0, "today": 0, "now": 0,
	"besok": 1, "tomorrow": 1, "lusa": 2,
	"minggu depan": 7, "next week": 7,
}

// monthNames are the months as members write them, Indonesian and English.
var monthNames = map[string]time.Month{
	"januari": 1, "jan": 1, "january": 1, "februari": 2, "feb": 2, "pebruari": 2, "february": 2,
	"maret": 3, "mar": 3, "march": 3, "april": 4, "apr": 4, "mei": 5, "may": 5,
	"juni": 6, "jun": 6, "june": 6, "juli": 7, "jul": 7, "july": 7,
	"agustus": 8, "agu": 8, "agt": 8, "aug": 8, "august": 8, "september": 9, "sep": 9, "sept": 9,
	"oktober": 10, "okt": 10, "oct": 10, "october": 10, "november": 11, "nov": 11, "nop": 11,
	"desember": 12, "des": 12, "dec": 12, "december": 12,
}

// ParseDate reads the date a member names after "pelunasan", seen from
// today (a calendar date, midnight UTC): nothing or "hari ini" is today;
// "besok", "lusa", "minggu depan", "akhir bulan"; "15/01/2027", "15-01-2027",
// "2027-01-15", "15 januari 2027"; without a year ("15/01", "15 januari")
// the next such date from today on. It returns false for anything else or a
// day that does not exist.
func ParseDate(s string, today time.Time) (time.Time, bool) {
	s = strings.ToLower(strings.Join(strings.Fields(strings.Trim(s, " .,!?")), " "))
	s = strings.TrimPrefix(strings.TrimPrefix(s, "tanggal "), "tgl ")
	if n, ok := named[s]; ok {
		return today.AddDate(0, 0, n), true
	}
	if s == "akhir bulan" || s == "end of month" {
		return time.Date(today.Year(), today.Month()+1, 0, 0, 0, 0, 0, time.UTC), true
	}
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '/' || r == '-' || r == '.' })
	if len(fields) == 3 && len(fields[0]) == 4 { // 2027-01-15
		fields[0], fields[2] = fields[2], fields[0]
	}
	if len(fields) < 2 || len(fields) > 3 {
		return time.Time{}, false
	}
	d, err := strconv.Atoi(fields[0])
	if err != nil {
		return time.Time{}, false
	}
	m, ok := monthNames[fields[1]]
	if !ok {
		n, err := strconv.Atoi(fields[1])
		if err != nil || n < 1 || n > 12 {
			return time.Time{}, false
		}
		m = time.Month(n)
	}
	y, yearGiven := today.Year(), len(fields) == 3
	if yearGiven {
		if y, err = strconv.Atoi(fields[2]); err != nil || len(fields[2]) != 4 {
			return time.Time{}, false
		}
	}
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d || t.Month() != m {
		return time.Time{}, false // 31/02 would roll over into March
	}
	if !yearGiven && t.Before(today) {
		t = t.AddDate(1, 0, 0)
	}
	return t, true
}
