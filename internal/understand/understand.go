// Package understand reads what a member wrote, the way they write it on
// WhatsApp (informal Indonesian, Banten's regional words, English, typos,
// a whole sentence with an amount in it), and says what they ask for: the
// flows to serve, the data the message already carries, and how it reads
// as an answer (yes or no, an amount, a tenor, a pick from a list).
//
// The vocabularies are data in flows/words; this package holds only the
// reading. It needs no database and runs before the router's write
// transaction, so the time it takes never holds the writer.
package understand

import (
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// Flows the understanding serves that are not requests of their own.
const (
	FlowGreeting = "greeting"
	FlowThanks   = "thanks"
	FlowPerson   = "person"
	FlowWithdraw = "withdraw"
	flowFallback = "fallback"
)

// Slots a message may fill before the flow asks for them.
const (
	SlotAmount   = "amount"
	SlotTenor    = "tenor"
	SlotPurpose  = "purpose"
	SlotQuestion = "question"
	// SlotSaid keeps a withdrawal's whole sentence, which may name the
	// savings asked for ("ambil simpanan wajib saya").
	SlotSaid = "said"
)

// Greetings, by the answer they want.
const (
	GreetSalam      = "salam"      // Assalamualaikum → Wa'alaikumsalam
	GreetSampurasun = "sampurasun" // → Rampes
	GreetHello      = "halo"
	GreetMorning    = "pagi"
	GreetNoon       = "siang"
	GreetAfternoon  = "sore"
	GreetEvening    = "malam"
)

var greetings = []string{GreetSalam, GreetMorning, GreetNoon, GreetAfternoon, GreetEvening, GreetHello}

// GreetingMessage is the message that answers a greeting in kind.
func GreetingMessage(kind string) string {
	switch kind {
	case GreetSalam:
		return "understand.greet.salam"
	case GreetSampurasun:
		return "understand.greet.sampurasun"
	case GreetMorning:
		return "understand.greet.pagi"
	case GreetNoon:
		return "understand.greet.siang"
	case GreetAfternoon:
		return "understand.greet.sore"
	case GreetEvening:
		return "understand.greet.malam"
	default:
		return "understand.greet.halo"
	}
}

// Meaning is what a message says.
type Meaning struct {
	// Flows are what the member asks for, in the order to serve them;
	// empty when nothing fits.
	Flows []string
	// Confirm marks a first flow that must be asked about before it
	// starts from inside another dialog.
	Confirm bool
	// Greeting is the kind of greeting the message opens with, if any.
	Greeting string
	// English reports a message written in English.
	English bool
	// Suggest are the closest requests when Flows is empty, closest first.
	Suggest []string
	// Slots are figures and words the first flow would otherwise ask
	// for: amount, tenor, purpose, the question for an officer.
	Slots map[string]string

	// How the message reads as an answer to a question.
	Yes, No bool
	Amount  decimal.Decimal // zero when there is none
	Tenor   int             // months; zero when there is none
	Ordinal int             // a pick from a numbered list; zero when none
	// Unknown counts the words no vocabulary knows: a name, or a typo
	// too far from any word.
	Unknown int

	concepts map[string]bool
	words    map[string]bool
}

// Has reports that the message carries a concept of the vocabulary or a
// word as typed (normalised): a flow's step may accept its own words.
func (m Meaning) Has(word string) bool { return m.concepts[word] || m.words[word] }

// Understander reads messages with the vocabularies it was built from.
type Understander struct {
	v *vocab
}

// New loads the vocabularies in fsys (the flows folder) and checks that
// every flow they name is one of flows.
func New(fsys fs.FS, flows []string) (*Understander, error) {
	v, err := loadVocab(fsys)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{FlowGreeting: true, FlowThanks: true, FlowPerson: true, flowFallback: true}
	for _, f := range flows {
		known[f] = true
	}
	for _, in := range v.intents {
		if !known[in.Flow] {
			return nil, fmt.Errorf("vocabulary: intent for unknown flow %q", in.Flow)
		}
	}
	return &Understander{v: v}, nil
}

// Intents lists the intents, for the flows that need one served.
func (u *Understander) Intents() []Intent { return u.v.intents }

// Read says what text means.
func (u *Understander) Read(text string) Meaning {
	words := Words(text)
	m := Meaning{concepts: map[string]bool{}, words: make(map[string]bool, len(words)), Slots: map[string]string{}}
	for _, w := range words {
		m.words[w] = true
	}
	used := make([]bool, len(words))
	m.readFigures(words, used)
	en, id := u.readConcepts(&m, words, used)
	m.English = en >= 2 && en > id || en >= 1 && id == 0 && len(words) >= 2
	m.Yes, m.No = u.readYesNo(words)
	u.readIntent(&m)
	if len(m.Flows) > 0 && m.Flows[0] == "apply" {
		if p := purpose(text); p != "" && utf8.RuneCountInString(p) <= maxPurpose {
			m.Slots[SlotPurpose] = p
		}
	}
	if len(m.Flows) > 0 && m.Flows[0] == FlowPerson {
		m.Slots[SlotQuestion] = text
	}
	if len(m.Flows) > 0 && m.Flows[0] == FlowWithdraw {
		m.Slots[SlotSaid] = text
	}
	return m
}

// readFigures finds an amount and a tenor, marking their words used.
func (m *Meaning) readFigures(words []string, used []bool) {
	for i := 0; i < len(words); i++ {
		if m.Tenor == 0 {
			if t, end, ok := readTenor(words, i); ok && t > 0 {
				m.Tenor = t
				m.Slots[SlotTenor] = strconv.Itoa(t)
				m.concepts[conceptTenor] = true
				markUsed(used, i, end)
				i = end - 1
				continue
			}
		}
		if m.Amount.IsZero() {
			if n, ok := readAmount(words, i); ok && n.value.IsInteger() {
				m.Amount = n.value
				m.Slots[SlotAmount] = n.value.String()
				m.concepts[conceptAmount] = true
				markUsed(used, i, n.end)
				i = n.end - 1
			}
		}
	}
	m.Ordinal = Ordinal(join(words))
	// A bare figure answers a tenor or amount question ("12", "3000000");
	// it means nothing in a first message.
	if len(words) == 1 {
		if d, ok := digits(words[0]); ok && d.IsInteger() && d.IsPositive() {
			if m.Tenor == 0 && d.LessThan(decimal.NewFromInt(1000)) {
				m.Tenor = int(d.IntPart())
			}
			if m.Amount.IsZero() {
				m.Amount = d
			}
		}
	}
}

func markUsed(used []bool, from, to int) {
	for k := from; k < to && k < len(used); k++ {
		used[k] = true
	}
}

// readConcepts maps the words to concepts and fills the slots of the
// marks among them. It returns how many words were English and how many
// Indonesian.
func (u *Understander) readConcepts(m *Meaning, words []string, used []bool) (en, id int) {
	u.scan(words, used, func(_, _ int, t term) {
		if t == (term{}) {
			m.Unknown++
			return
		}
		if t.concept != "" {
			m.concepts[t.concept] = true
			if slot, ok := u.v.marks[t.concept]; ok {
				m.Slots[slot] = t.concept
			}
		}
		if t.lang == "en" {
			en++
		} else {
			id++
		}
	})
	return en, id
}

// scan calls found for each run of words the vocabulary knows (concept ""
// for a filler), and with the zero term for each word it does not: longest
// phrase first, fillers dropped, then affixes stripped, then typos. Words
// already used are skipped.
func (u *Understander) scan(words []string, used []bool, found func(from, to int, t term)) {
	for i := 0; i < len(words); {
		if used[i] {
			i++
			continue
		}
		matched := false
		for n := min(u.v.maxPhrase, len(words)-i); n >= 1 && !matched; n-- {
			if anyUsed(used, i, i+n) {
				continue
			}
			if t, ok := u.v.phrases[join(words[i:i+n])]; ok {
				found(i, i+n, t)
				i += n
				matched = true
			}
		}
		if matched {
			continue
		}
		w := words[i]
		i++
		if lang, ok := u.v.fillers[w]; ok {
			found(i-1, i, term{lang: lang})
			continue
		}
		if t, ok := u.stemmed(w); ok {
			found(i-1, i, t)
			continue
		}
		if utf8.RuneCountInString(w) >= 4 && isLetters(w) {
			if t, ok := u.v.near(w); ok {
				found(i-1, i, t)
				continue
			}
		}
		found(i-1, i, term{}) // no vocabulary knows it
	}
}

// Unmarked is text without the words of marks, for a flow that reads the
// words after its keyword: "maret excel" is "maret". Text without any is
// returned as it is.
func (u *Understander) Unmarked(text string) string {
	words := Words(text)
	drop := make([]bool, len(words))
	dropped := false
	u.scan(words, make([]bool, len(words)), func(from, to int, t term) {
		if _, ok := u.v.marks[t.concept]; ok {
			markUsed(drop, from, to)
			dropped = true
		}
	})
	if !dropped {
		return text
	}
	kept := make([]string, 0, len(words))
	for i, w := range words {
		if !drop[i] {
			kept = append(kept, w)
		}
	}
	return join(kept)
}

func anyUsed(used []bool, from, to int) bool {
	for k := from; k < to; k++ {
		if used[k] {
			return true
		}
	}
	return false
}

// stemmed looks a word up with its affixes taken off.
func (u *Understander) stemmed(w string) (term, bool) {
	if !isLetters(w) || len(w) < 5 {
		return term{}, false
	}
	for _, s := range stems(w) {
		if t, ok := u.v.phrases[s]; ok {
			return t, true
		}
	}
	return term{}, false
}

// readYesNo reads the message as an answer to a yes/no question; a no
// anywhere wins, so "ga jadi, makasih" is never a yes.
func (u *Understander) readYesNo(words []string) (yes, no bool) {
	for i := 0; i < len(words); i++ {
		for n := min(u.v.maxYesNo, len(words)-i); n >= 1; n-- {
			k := join(words[i : i+n])
			if u.v.no[k] {
				return false, true
			}
			if u.v.yes[k] {
				yes = true
				i += n - 1
				break
			}
		}
	}
	return yes, false
}

// readIntent picks the request: the pattern with the most concepts, the
// intent listed first on a tie; several info flows when joined by "dan".
func (u *Understander) readIntent(m *Meaning) {
	best, bestScore := -1, 0
	scores := make([]int, len(u.v.intents))
	partials := make([]int, len(u.v.intents))
	for i, in := range u.v.intents {
		for _, set := range in.When {
			have := 0
			for _, c := range set {
				if m.concepts[c] {
					have++
				}
			}
			if have == len(set) {
				scores[i] = max(scores[i], have)
			} else {
				partials[i] = max(partials[i], have)
			}
		}
		if scores[i] > bestScore {
			best, bestScore = i, scores[i]
		}
	}
	for _, g := range greetings {
		if m.concepts[g] {
			m.Greeting = g
			break
		}
	}
	if m.concepts[GreetSampurasun] {
		m.Greeting = GreetSampurasun
	}
	switch {
	case best >= 0 && u.v.intents[best].Flow == flowFallback:
		return
	case best >= 0:
		in := u.v.intents[best]
		m.Flows = []string{in.Flow}
		m.Confirm = in.Confirm
		if in.Info && m.concepts["dan"] {
			m.Flows = m.Flows[:0]
			for i, other := range u.v.intents {
				if other.Info && scores[i] > 0 {
					m.Flows = append(m.Flows, other.Flow)
				}
			}
		}
	case m.concepts["terimakasih"]:
		m.Flows = []string{FlowThanks}
	case m.Greeting != "":
		m.Flows = []string{FlowGreeting}
	default:
		m.Suggest = u.suggestions(partials)
	}
}

// maxPurpose is the longest purpose taken from a first message, as the
// apply flow's purpose question allows.
const maxPurpose = 200

// suggestions are the intents some of whose concepts the message has,
// most concepts first, in the order intents are listed on a tie.
func (u *Understander) suggestions(partials []int) []string {
	var idx []int
	for i, p := range partials {
		if p > 0 && u.v.intents[i].Flow != flowFallback {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int { return partials[b] - partials[a] })
	out := make([]string, len(idx))
	for k, i := range idx {
		out[k] = u.v.intents[i].Flow
	}
	return out
}

var purposeMark = regexp.MustCompile(`(?i)(?:^|\s)(?:buat|untuk|utk|kanggo|guna|keperluan)\s+(.+)$`)

// purpose is what the member said the loan is for: the words after
// "buat"/"untuk", unless they are only figures ("untuk 12 bulan").
func purpose(text string) string {
	mt := purposeMark.FindStringSubmatch(text)
	if mt == nil {
		return ""
	}
	p := strings.TrimRight(strings.TrimSpace(mt[1]), ".,!?;: ")
	letters := 0
	for _, w := range Words(p) {
		if isLetters(w) && !monthsW[w] && !yearsW[w] && scales[w] == 0 {
			letters++
		}
	}
	if letters == 0 {
		return ""
	}
	return p
}
