package csvin

import (
	"maps"
	"slices"
	"testing"

	"github.com/kopmem/kopbot/internal/i18n"
	"github.com/kopmem/kopbot/locales"
)

// codes is every LineError code csvin and the importers report.
var codes = []string{
	"required", "missing_column", "duplicate_column", "empty_file", "bad_csv", "not_utf8", "bad_xlsx", "more",
	"date_invalid",
	"number_duplicate", "name_empty", "phone_invalid", "phone_not_mobile", "phone_duplicate", "nik_invalid", "lang_invalid",
	"optin_invalid",
	"member_unknown", "kind_invalid", "amount_invalid", "ref_duplicate", "overdraw",
}

func TestMessageIDs(t *testing.T) {
	t.Parallel()
	b, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	fallback := MessageID("no_such_code")
	seen := map[string]string{}
	for _, code := range codes {
		id := MessageID(code)
		if id == fallback {
			t.Errorf("MessageID(%q) is the fallback %q", code, id)
		}
		if other, dup := seen[id]; dup {
			t.Errorf("codes %q and %q share message %q", other, code, id)
		}
		seen[id] = code
	}
	for _, id := range append([]string{fallback, "import.failed", "import.done.members", "import.done.savings"}, slices.Collect(maps.Keys(seen))...) {
		if !b.Has(id) {
			t.Errorf("message %q is missing from a language", id)
		}
	}
	line := LineError{Line: 17, Field: "no_hp", Code: "phone_invalid", Value: "0812"}
	if got, want := b.T("id", MessageID(line.Code), line), "baris 17: nomor HP tidak valid (0812)"; got != want {
		t.Errorf("rendered %q; want %q", got, want)
	}
}
