// Package dialog runs the conversations described as data in flows/: menus
// and multi-step dialogs whose steps say localized messages, take typed
// input and call named Go actions. Everything a flow refers to is checked
// when the engine is built, so a broken flow stops the start, never a
// member's conversation.
package dialog

// Flow is one conversation, loaded from a TOML file in flows/.
type Flow struct {
	ID string `toml:"id"`
	// Keywords start this flow from anywhere (matched after normalisation:
	// lower case, spaces folded, trailing punctuation dropped).
	Keywords []string `toml:"keywords"`
	// Rest names the slot that keeps the words after a keyword ("mutasi
	// maret" starts the flow with "maret" in it); a flow without Rest
	// answers only its bare keywords.
	Rest string `toml:"rest"`
	// Menu marks the flow whose first step's choices also answer a bare
	// number typed outside any dialog ("1" means the main menu's first item).
	Menu bool `toml:"menu"`
	// Title names the flow to a member (a message id), in the fallback's
	// "Maksud Anda *saldo*?".
	Title string `toml:"title"`
	// Confirm is the step a flow starts at when the member did not ask for
	// it in so many words (a guess from a sentence, or a word typed inside
	// another dialog): a flow that changes something the member cannot
	// simply take back asks first there.
	Confirm string `toml:"confirm"`
	// Catch offers the flow a message that is no keyword and no menu
	// number, before any guess at what it asks for: the first step's action
	// says whether the flow is waiting for one (any outcome it does not
	// branch on), and then the message is that step's text answer. A member
	// with an officer's question open just types the answer.
	Catch bool   `toml:"catch"`
	Steps []Step `toml:"steps"`
}

// Step is one turn of a flow. On entry its action runs (if any; it runs again
// when an answer cannot be read and the question is asked again), then its
// messages are said; a step with Input waits for the member's answer, a step
// without moves on to Next, or ends the flow when Next is empty.
type Step struct {
	ID     string   `toml:"id"`
	Action string   `toml:"action"`
	Say    []string `toml:"say"`
	// On maps an action's outcome to the step to go to instead of Next.
	On map[string]string `toml:"on"`
	// Input is the kind of answer awaited: choice, yesno, amount, months,
	// number, text.
	Input string `toml:"input"`
	// Save names the slot the parsed answer is stored in.
	Save string `toml:"save"`
	// Invalid is said, with the step's messages again, when the answer
	// cannot be read; each input kind has a default.
	Invalid string   `toml:"invalid"`
	Choices []Choice `toml:"choices"`
	// Min and Max bound number input, and text input length.
	Min  int    `toml:"min"`
	Max  int    `toml:"max"`
	Next string `toml:"next"`
	// No/Yes steps for yesno input.
	Yes string `toml:"yes"`
	No  string `toml:"no"`
	// YesWords and NoWords are this question's own answers, words or
	// concepts of the vocabulary, read before the common ones: "batalkan"
	// answers "Batalkan pengajuan?" with yes.
	YesWords []string `toml:"yes_words"`
	NoWords  []string `toml:"no_words"`
}

// Choice is one option of a choice step, picked by its Key ("1") or one of
// its Words.
type Choice struct {
	Key   string            `toml:"key"`
	Words []string          `toml:"words"`
	Set   map[string]string `toml:"set"`
	Next  string            `toml:"next"`
	// Flow starts another flow instead of moving within this one.
	Flow string `toml:"flow"`
}
