package dialog

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kopmem/kopbot/internal/money"
	"github.com/kopmem/kopbot/internal/understand"
)

// The input kinds a step may await.
const (
	inputChoice = "choice"
	inputYesNo  = "yesno"
	inputAmount = "amount"
	inputMonths = "months"
	inputNumber = "number"
	inputText   = "text"
)

var inputKinds = []string{inputChoice, inputYesNo, inputAmount, inputMonths, inputNumber, inputText}

// Default messages for answers that cannot be read.
const (
	msgChoiceInvalid = "dialog.invalid.choice"
	msgYesNoInvalid  = "dialog.invalid.yesno"
	msgNumberInvalid = "dialog.invalid.number"
	msgTextInvalid   = "dialog.invalid.text"
	msgMonthsInvalid = "dialog.invalid.months"
)

// answer is a parsed reply to an input step.
type answer struct {
	value  string
	choice *Choice
	yes    bool
}

// parse reads text, which means m, as the answer step awaits; on failure
// it returns the message id that explains what was expected and its
// template data, in lang.
func parse(st *Step, text string, m *understand.Meaning, lang string) (answer, string, map[string]any) {
	norm := normalize(text)
	switch st.Input {
	case inputChoice:
		for i := range st.Choices {
			c := &st.Choices[i]
			if norm == c.Key || containsWord(c.Words, norm) || strconv.Itoa(m.Ordinal) == c.Key {
				return answer{value: c.Key, choice: c}, "", nil
			}
		}
		return answer{}, st.invalid(msgChoiceInvalid), nil
	case inputYesNo:
		has := func(words []string) bool { return slices.ContainsFunc(words, m.Has) }
		switch {
		case m.No || has(st.NoWords):
			return answer{value: "tidak"}, "", nil
		case m.Yes || has(st.YesWords):
			return answer{value: "ya", yes: true}, "", nil
		}
		return answer{}, st.invalid(msgYesNoInvalid), nil
	case inputMonths:
		if m.Tenor < max(st.Min, 1) || (st.Max > 0 && m.Tenor > st.Max) {
			return answer{}, st.invalid(msgMonthsInvalid), nil
		}
		return answer{value: strconv.Itoa(m.Tenor)}, "", nil
	case inputAmount:
		// money.Parse reads figures strictly and explains what is wrong
		// with them; words ("lima juta", "5 jt pak") are the meaning's.
		d, err := money.Parse(text)
		var pe *money.ParseError
		switch {
		case err == nil:
			return answer{value: d.String()}, "", nil
		case errors.As(err, &pe) && pe.Reason == money.ReasonNotANumber && m.Amount.IsPositive() && m.Amount.IsInteger() && m.Amount.LessThanOrEqual(money.Max):
			return answer{value: m.Amount.String()}, "", nil
		case pe != nil:
			return answer{}, st.invalid(pe.Reason.MessageID()), map[string]any{"Max": money.Format(money.Max, lang)}
		}
		return answer{}, st.invalid(money.ReasonNotANumber.MessageID()), nil
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
