package dialog

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kopmem/kopbot/internal/money"
)

// The input kinds a step may await.
const (
	inputChoice = "choice"
	inputYesNo  = "yesno"
	inputAmount = "amount"
	inputNumber = "number"
	inputText   = "text"
)

var inputKinds = []string{inputChoice, inputYesNo, inputAmount, inputNumber, inputText}

// Default messages for answers that cannot be read.
const (
	msgChoiceInvalid = "dialog.invalid.choice"
	msgYesNoInvalid  = "dialog.invalid.yesno"
	msgNumberInvalid = "dialog.invalid.number"
	msgTextInvalid   = "dialog.invalid.text"
)

var (
	yesWords = []string{"ya", "y", "iya", "yes", "ok", "oke", "setuju", "benar", "lanjut"}
	noWords  = []string{"tidak", "tdk", "t", "no", "n", "nggak", "gak", "enggak", "jangan"}
)

// answer is a parsed reply to an input step.
type answer struct {
	value  string
	choice *Choice
	yes    bool
}

// parse reads text as the answer step awaits; on failure it returns the
// message id that explains what was expected and its template data, in lang.
func parse(st *Step, text, lang string) (answer, string, map[string]any) {
	norm := normalize(text)
	switch st.Input {
	case inputChoice:
		for i := range st.Choices {
			c := &st.Choices[i]
			if norm == c.Key || containsWord(c.Words, norm) {
				return answer{value: c.Key, choice: c}, "", nil
			}
		}
		return answer{}, st.invalid(msgChoiceInvalid), nil
	case inputYesNo:
		switch {
		case containsWord(yesWords, norm):
			return answer{value: "ya", yes: true}, "", nil
		case containsWord(noWords, norm):
			return answer{value: "tidak"}, "", nil
		}
		return answer{}, st.invalid(msgYesNoInvalid), nil
	case inputAmount:
		d, err := money.Parse(text)
		if err != nil {
			var pe *money.ParseError
			if errors.As(err, &pe) {
				return answer{}, st.invalid(pe.Reason.MessageID()), map[string]any{"Max": money.Format(money.Max, lang)}
			}
			return answer{}, st.invalid(money.ReasonNotANumber.MessageID()), nil
		}
		return answer{value: d.String()}, "", nil
	case inputNumber:
		n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(norm, " bulan")))
		if err != nil || n < st.Min || (st.Max > 0 && n > st.Max) {
			return answer{}, st.invalid(msgNumberInvalid), map[string]any{"Min": st.Min, "Max": st.Max}
		}
		return answer{value: strconv.Itoa(n)}, "", nil
	default: // text
		t := strings.TrimSpace(text)
		if t == "" || (st.Max > 0 && utf8.RuneCountInString(t) > st.Max) {
			return answer{}, st.invalid(msgTextInvalid), map[string]any{"Max": st.Max}
		}
		return answer{value: t}, "", nil
	}
}

func (st *Step) invalid(def string) string {
	if st.Invalid != "" {
		return st.Invalid
	}
	return def
}

func containsWord(words []string, norm string) bool {
	for _, w := range words {
		if normalize(w) == norm {
			return true
		}
	}
	return false
}

// normalize folds what members type so that "Saldo?", " SALDO " and
// "saldo!!" all mean saldo.
func normalize(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	return strings.TrimRight(s, ".,!?;:")
}
