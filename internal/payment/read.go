package payment

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/kopmem/kopbot/internal/money"
)

// Purpose is what a transfer pays.
type Purpose string

// The purposes a proof is booked to.
const (
	Angsuran Purpose = "angsuran"
	Wajib    Purpose = "wajib"
	Sukarela Purpose = "sukarela"
	Pokok    Purpose = "pokok"
)

// purposeWords are the words members use for each purpose.
var purposeWords = map[string]Purpose{
	"angsuran": Angsuran, "cicilan": Angsuran, "pinjaman": Angsuran, "kredit": Angsuran, "installment": Angsuran, "loan": Angsuran,
	"wajib": Wajib, "sukarela": Sukarela, "tabungan": Sukarela, "nabung": Sukarela, "menabung": Sukarela, "savings": Sukarela,
	"pokok": Pokok,
}

// ParsePurpose reads a purpose an officer typed ("angsuran", "wajib"…).
func ParsePurpose(s string) (Purpose, bool) {
	p, ok := purposeWords[strings.ToLower(strings.TrimSpace(s))]
	return p, ok
}

// minReadAmount is the least a caption's number must be to be read as the
// amount: "3 bulan" or "ke-2" are no transfer.
var minReadAmount = decimal.NewFromInt(1000)

// Reading is what a caption or a member's typed words say about a transfer.
type Reading struct {
	Purpose Purpose
	// Amount is zero when no amount was read.
	Amount decimal.Decimal
	// Months is how many months of wajib the words name ("setor wajib 3
	// bulan"), 0 if none.
	Months int
}

// Read finds the purpose, the amount and a count of months in text, as a
// member writes them under a slip: "bayar angsuran 491.667", "setor wajib 3
// bulan", "tabungan Rp 500rb". Nothing is guessed: what is not there stays
// zero.
func Read(text string) Reading {
	var r Reading
	words := strings.Fields(strings.ToLower(text))
	for i, w := range words {
		w = strings.Trim(w, ".,:;!?()")
		if p, ok := purposeWords[w]; ok && r.Purpose == "" {
			r.Purpose = p
		}
		if n, err := strconv.Atoi(w); err == nil && n > 0 && n <= 12 && i+1 < len(words) && strings.HasPrefix(words[i+1], "bulan") {
			r.Months = n
		}
	}
	r.Amount = readAmount(words)
	return r
}

// readAmount is the first run of one to three words that money.Parse reads
// as at least minReadAmount, longest first ("1,5 juta" before "1,5").
func readAmount(words []string) decimal.Decimal {
	for i := range words {
		for n := min(3, len(words)-i); n >= 1; n-- {
			d, err := money.Parse(strings.TrimRight(strings.Join(words[i:i+n], " "), ".,:;!?"))
			if err == nil && d.GreaterThanOrEqual(minReadAmount) {
				return d
			}
		}
	}
	return decimal.Zero
}
