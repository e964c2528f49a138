package understand

import (
	"strings"

	"github.com/shopspring/decimal"
)

// Number words are grammar, not vocabulary: they are the same for every
// flow, so they live here rather than in flows/words.
var (
	units = map[string]int64{
		"nol": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
		"delapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11, "seratus": 100,
		"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
		"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "eighteen": 18,
		"twenty": 20, "thirty": 30, "fifty": 50,
		"hiji": 1, "opat": 4, "genep": 6,
	}
	// scales multiply what came before; "se" forms stand alone (sejuta).
	scales = map[string]int64{
		"ribu": 1_000, "rb": 1_000, "rebu": 1_000, "k": 1_000, "rbu": 1_000, "thousand": 1_000,
		"juta": 1_000_000, "jt": 1_000_000, "jeti": 1_000_000, "million": 1_000_000, "jta": 1_000_000,
	}
	seScales = map[string]int64{"seribu": 1_000, "sejuta": 1_000_000}
	half     = map[string]bool{"setengah": true, "stengah": true, "half": true}
	monthsW  = map[string]bool{"bulan": true, "bln": true, "bl": true, "bulanan": true, "x": true, "kali": true, "month": true, "months": true, "kl": true}
	yearsW   = map[string]bool{"tahun": true, "thn": true, "th": true, "taun": true, "year": true, "years": true, "thun": true}
	ordinals = map[string]int{"pertama": 1, "kesatu": 1, "first": 1, "kedua": 2, "second": 2, "ketiga": 3, "third": 3, "keempat": 4, "fourth": 4}
)

// number is a figure read from words: its value and the words it spans.
type number struct {
	value      decimal.Decimal
	start, end int // words[start:end]
	scaled     bool
}

// readSmall reads a figure below a thousand at words[i]: digits ("12",
// "2,5"), or words ("dua puluh lima", "lima belas", "satu setengah").
func readSmall(words []string, i int) (decimal.Decimal, int, bool) {
	if i >= len(words) {
		return decimal.Zero, i, false
	}
	if d, ok := digits(words[i]); ok {
		return d, i + 1, true
	}
	var total int64
	j, found := i, false
	var cur int64
	for j < len(words) {
		w := words[j]
		if v, ok := units[w]; ok {
			cur += v
			found = true
			j++
			continue
		}
		if !found {
			break
		}
		switch w {
		case "belas":
			cur += 10
		case "puluh":
			cur *= 10
		case "ratus":
			total += cur * 100
			cur = 0
		default:
			return withHalf(words, decimal.NewFromInt(total+cur), j)
		}
		j++
	}
	if !found {
		return decimal.Zero, i, false
	}
	return withHalf(words, decimal.NewFromInt(total+cur), j)
}

// withHalf adds a following "setengah": "satu setengah juta".
func withHalf(words []string, v decimal.Decimal, j int) (decimal.Decimal, int, bool) {
	if j < len(words) && half[words[j]] {
		return v.Add(decimal.New(5, -1)), j + 1, true
	}
	return v, j, true
}

// digits reads "12", "2,5", "1.5" and "3.000.000".
func digits(w string) (decimal.Decimal, bool) {
	if w == "" || w[0] < '0' || w[0] > '9' {
		return decimal.Zero, false
	}
	w = strings.TrimRight(w, ".,")
	switch {
	case strings.Count(w, ".") >= 1 && thousands(w, '.'):
		w = strings.ReplaceAll(w, ".", "")
	case strings.Count(w, ",") >= 1 && thousands(w, ','):
		w = strings.ReplaceAll(w, ",", "")
	default:
		w = strings.Replace(w, ",", ".", 1)
	}
	d, err := decimal.NewFromString(w)
	return d, err == nil
}

// thousands reports "3.000.000": every group after a mark has 3 digits.
func thousands(w string, mark byte) bool {
	parts := strings.Split(w, string(mark))
	for _, p := range parts[1:] {
		if len(p) != 3 {
			return false
		}
	}
	return len(parts) > 1
}

// readGroup reads one figure and its scale at words[i]: "5 jt",
// "sejuta", "setengah juta", "lima ratus"; scale is 0 when none follows.
func readGroup(words []string, i int) (v decimal.Decimal, next int, scale int64, ok bool) {
	if s, se := seScales[words[i]]; se {
		return decimal.NewFromInt(1), i + 1, s, true
	}
	if half[words[i]] {
		v, next, ok = decimal.New(5, -1), i+1, true
	} else if v, next, ok = readSmall(words, i); !ok {
		return decimal.Zero, i, 0, false
	}
	if next < len(words) && scales[words[next]] > 0 {
		return v, next + 1, scales[words[next]], true
	}
	return v, next, 0, true
}

// readAmount reads a sum of money starting at words[i]: "5 jt",
// "lima juta", "sejuta lima ratus", "2 juta 500 ribu", "Rp 3.000.000".
func readAmount(words []string, i int) (number, bool) {
	j := i
	if j < len(words) && (words[j] == "rp" || words[j] == "idr") {
		j++
	}
	total := decimal.Zero
	var last int64
	scaled := false
	for j < len(words) {
		v, next, scale, ok := readGroup(words, j)
		if !ok {
			break
		}
		if scale == 0 {
			// a plain figure is money only alone and large ("3.000.000"),
			// or as the ribu of a juta ("sejuta lima ratus", "5jt 500")
			switch {
			case last == 0 && v.GreaterThanOrEqual(decimal.NewFromInt(1000)):
				total, j = v, next
			case last == 1_000_000 && v.GreaterThanOrEqual(decimal.NewFromInt(100)) && v.LessThan(decimal.NewFromInt(1000)) &&
				(next == len(words) || (!monthsW[words[next]] && !yearsW[words[next]])):
				total, j = total.Add(v.Mul(decimal.NewFromInt(1000))), next
			}
			break
		}
		if last != 0 && scale >= last {
			break
		}
		total, last, scaled, j = total.Add(v.Mul(decimal.NewFromInt(scale))), scale, true, next
	}
	if !total.IsPositive() {
		return number{}, false
	}
	return number{value: total, start: i, end: j, scaled: scaled}, true
}

// readTenor reads a loan's length in months at words[i]: "12 bulan",
// "12x", "1 tahun", "setahun", "satu setengah tahun", "6 months".
func readTenor(words []string, i int) (int, int, bool) {
	w := words[i]
	switch {
	case w == "setahun" || w == "setaun":
		return 12, i + 1, true
	case half[w] && i+1 < len(words) && yearsW[words[i+1]]:
		return 6, i + 2, true
	}
	v, k, ok := readSmall(words, i)
	if !ok || k >= len(words) {
		return 0, i, false
	}
	switch {
	case monthsW[words[k]] && v.IsInteger():
		return int(v.IntPart()), k + 1, true
	case yearsW[words[k]] && v.Mul(decimal.NewFromInt(12)).IsInteger():
		return int(v.Mul(decimal.NewFromInt(12)).IntPart()), k + 1, true
	}
	return 0, i, false
}

// pickWords may surround a pick without changing it.
var pickWords = map[string]bool{"yang": true, "yg": true, "no": true, "nomor": true, "nomer": true, "nmr": true, "pilih": true,
	"the": true, "produk": true, "ke": true, "pak": true, "bu": true, "aja": true, "saja": true, "ya": true, "kak": true, "number": true}

// Ordinal reads a pick from a numbered list: "1", "yang pertama",
// "no 2", "kedua", "the first one", "1️⃣". Zero when there is none, or
// when the message says more than a pick ("pinjam 5 juta").
func Ordinal(text string) int {
	found := 0
	for _, w := range Words(text) {
		n, ok := ordinals[w]
		if !ok {
			if v, _, ok2 := readSmall([]string{w}, 0); ok2 && v.IsInteger() && v.IsPositive() && v.LessThan(decimal.NewFromInt(100)) {
				n, ok = int(v.IntPart()), true
			}
		}
		switch {
		case ok && found != 0 && found != n:
			return 0
		case ok:
			found = n
		case !pickWords[w]:
			return 0
		}
	}
	return found
}
