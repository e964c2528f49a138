package understand

import (
	"slices"
	"testing"
	"testing/fstest"

	"github.com/kopmem/kopbot/flows"
)

func reader(t testing.TB) *Understander {
	t.Helper()
	u, err := New(flows.FS, []string{"balance", "statement", "simulation", "apply", "myloans", "schedule", "help", "language",
		"handoff", "stop", "resume", "cancel_request", "info", "menu", "shu", "settlement", "pay", "stop_announce",
		"resume_announce", "withdraw", "withdraw_cancel", "withdraw_status", "join", "leave"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestWords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"SALDOOO!!", []string{"saldo"}},
		{"/saldo", []string{"saldo"}},
		{"1️⃣", []string{"1"}},
		{"siap 👍", []string{"siap", "ya"}},
		{"5jt aja", []string{"5", "jt", "aja"}},
		{"2,5jt", []string{"2,5", "jt"}},
		{"Rp. 5.000.000,-", []string{"rp", "5.000.000"}},
		{"12bln", []string{"12", "bln"}},
		{"hitung2 dulu", []string{"hitung", "dulu"}},
		{"itung2an", []string{"itungan"}},
		{"assalamu'alaikum", []string{"assalamualaikum"}},
		{"sipp", []string{"sip"}},
		{"tabungan", []string{"tabungan"}},
	}
	for _, tc := range tests {
		if got := Words(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("Words(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNear(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typed, known string
		want         bool
	}{
		{"sldo", "saldo", true},
		{"tabugan", "tabungan", true},
		{"simulsi", "simulasi", true},
		{"pengjuann", "pengajuan", true}, // two edits, 9 letters
		{"tbgan", "tabungan", false},     // three edits
		{"cs", "cs", false},              // too short to guess at
		{"aldo", "saldo", false},         // first letter wrong
		{"sadl", "saldo", false},
	}
	for _, tc := range tests {
		if got := Near(tc.typed, tc.known); got != tc.want {
			t.Errorf("Near(%q, %q) = %v, want %v", tc.typed, tc.known, got, tc.want)
		}
	}
}

func TestFigures(t *testing.T) {
	t.Parallel()
	u := reader(t)
	tests := []struct {
		in     string
		amount string
		tenor  int
	}{
		{"lima juta", "5000000", 0},
		{"sejuta", "1000000", 0},
		{"satu setengah juta", "1500000", 0},
		{"sejuta lima ratus", "1500000", 0},
		{"dua juta lima ratus ribu", "2500000", 0},
		{"2,5jt", "2500000", 0},
		{"Rp 3.000.000", "3000000", 0},
		{"800k", "800000", 0},
		{"mau pinjam 5jt 12 bulan", "5000000", 12},
		{"pinjam 3 juta 12 bulan", "3000000", 12},
		{"setahun", "0", 12},
		{"satu setengah tahun", "0", 18},
		{"12x", "0", 12},
		{"2 thn", "0", 24},
		{"enam bulan", "0", 6},
		{"12", "12", 12},
		{"0", "0", 0},
		{"saldo", "0", 0},
	}
	for _, tc := range tests {
		m := u.Read(tc.in)
		if m.Amount.String() != tc.amount || m.Tenor != tc.tenor {
			t.Errorf("Read(%q): amount %s tenor %d, want %s and %d", tc.in, m.Amount, m.Tenor, tc.amount, tc.tenor)
		}
	}
}

func TestOrdinal(t *testing.T) {
	t.Parallel()
	tests := map[string]int{"1": 1, "yang pertama": 1, "no 2": 2, "kedua": 2, "the first one": 1, "2️⃣": 2, "pilih yang kedua": 2,
		"pinjam 5 juta": 0, "1 atau 2": 0, "usaha": 0}
	for in, want := range tests {
		if got := Ordinal(in); got != want {
			t.Errorf("Ordinal(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestYesNo(t *testing.T) {
	t.Parallel()
	u := reader(t)
	for in, want := range map[string]string{"siap": "yes", "iya pak": "yes", "👍": "yes", "nggih": "yes", "muhun": "yes",
		"ga jadi": "no", "nanti dulu": "no", "ga jadi, makasih": "no", "oke tapi jangan dulu": "no", "gausah": "no", "saldo": ""} {
		m := u.Read(in)
		got := ""
		switch {
		case m.No:
			got = "no"
		case m.Yes:
			got = "yes"
		}
		if got != want {
			t.Errorf("Read(%q) yes/no = %q, want %q", in, got, want)
		}
	}
}

// TestVocabularyErrors: a word meaning two things, an intent naming an
// unknown concept or flow, stop the start rather than guess.
func TestVocabularyErrors(t *testing.T) {
	t.Parallel()
	if _, err := New(flows.FS, []string{"balance"}); err == nil {
		t.Error("intents for flows that do not exist were accepted")
	}
	intents := "[[intent]]\nflow = \"balance\"\nwhen = [[\"saldo\"]]\n"
	for name, words := range map[string]string{
		"a word with two meanings": "lang = \"id\"\n[concepts]\nsaldo = [\"saldo\"]\ntagihan = [\"saldo\"]\n",
		"an unknown concept":       "lang = \"id\"\n[concepts]\ntagihan = [\"tagihan\"]\n",
		"an unknown setting":       "lang = \"id\"\nfillerz = [\"pak\"]\n[concepts]\nsaldo = [\"saldo\"]\n",
	} {
		fsys := fstest.MapFS{"words/id.toml": {Data: []byte(words)}, "words/intents.toml": {Data: []byte(intents)}}
		if _, err := New(fsys, []string{"balance"}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestMarks: a file word fills the file slot wherever it stands, with the
// request it comes with, and is taken out of the words after a keyword.
func TestMarks(t *testing.T) {
	t.Parallel()
	u := reader(t)
	tests := []struct {
		text     string
		flows    []string
		file     bool
		unmarked string
	}{
		{"mutasi file", []string{"statement"}, true, "mutasi"},
		{"kirim mutasi excel", []string{"statement"}, true, "kirim mutasi"},
		{"mutasi bulan lalu dalam bentuk PDF", []string{"statement"}, true, "mutasi bulan lalu"},
		{"Mutasi 3 xlsx", []string{"statement"}, true, "mutasi 3"},
		{"statement as a file", []string{"statement"}, true, "statement"},
		{"mutasi exel", []string{"statement"}, true, "mutasi"}, // a typo of excel
		{"mutasi maret", []string{"statement"}, false, "mutasi maret"},
		{"mutasi 05/2025", []string{"statement"}, false, "mutasi 05/2025"}, // as typed: no file word
		{"saldo", []string{"balance"}, false, "saldo"},
	}
	for _, tc := range tests {
		m := u.Read(tc.text)
		if !slices.Equal(m.Flows, tc.flows) || (m.Slots["file"] != "") != tc.file {
			t.Errorf("Read(%q): flows %q, file slot %q; want %q, file %v", tc.text, m.Flows, m.Slots["file"], tc.flows, tc.file)
		}
		if got := u.Unmarked(tc.text); got != tc.unmarked {
			t.Errorf("Unmarked(%q) = %q, want %q", tc.text, got, tc.unmarked)
		}
	}
}

// TestMarkNeedsAConcept: a mark whose concept no vocabulary has stops the
// start, like an intent's.
func TestMarkNeedsAConcept(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"words/id.toml":      {Data: []byte("lang = \"id\"\n[concepts]\nsaldo = [\"saldo\"]\n")},
		"words/intents.toml": {Data: []byte("[[intent]]\nflow = \"balance\"\nwhen = [[\"saldo\"]]\n[[mark]]\nconcept = \"berkas\"\nslot = \"file\"\n")},
	}
	if _, err := New(fsys, []string{"balance"}); err == nil {
		t.Fatal("a mark of an unknown concept was accepted")
	}
}
