package money

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var allReasons = []Reason{ReasonEmpty, ReasonNotANumber, ReasonAmbiguous, ReasonNegative, ReasonZero, ReasonFraction, ReasonTooLarge}

// TestLocaleMessages keeps the replies in locales/money.*.toml in step with
// Parse: every reason has a message, and every example a message offers as
// valid (*bold* text other than the {{.Max}} bound) is one Parse accepts.
func TestLocaleMessages(t *testing.T) {
	t.Parallel()
	example := regexp.MustCompile(`\*([^*]+)\*`)
	for _, lang := range []string{"id", "en"} {
		path := filepath.Join("..", "..", "locales", "money."+lang+".toml")
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		text := string(src)
		for _, r := range allReasons {
			if !strings.Contains(text, `["`+r.MessageID()+`"]`) {
				t.Errorf("%s: no message %s for reason %s", path, r.MessageID(), r)
			}
		}
		examples := example.FindAllStringSubmatch(text, -1)
		if len(examples) < len(allReasons) {
			t.Errorf("%s: %d examples, want at least one per message", path, len(examples))
		}
		for _, m := range examples {
			if _, err := Parse(m[1]); err != nil {
				t.Errorf("%s: example %q does not parse: %v", path, m[1], err)
			}
		}
	}
}
