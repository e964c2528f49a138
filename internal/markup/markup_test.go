package markup

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestRender(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, plain, html, ansi string
	}{
		{"bold", "Saldo *Rp 1.000*", "Saldo Rp 1.000", "Saldo <b>Rp 1.000</b>", "Saldo \x1b[1mRp 1.000\x1b[22m"},
		{"italic strike", "_cepat_ ~lama~", "cepat lama", "<i>cepat</i> <s>lama</s>", "\x1b[3mcepat\x1b[23m \x1b[9mlama\x1b[29m"},
		{"nested", "*bold _dan miring_*", "bold dan miring", "<b>bold <i>dan miring</i></b>", "\x1b[1mbold \x1b[3mdan miring\x1b[23m\x1b[22m"},
		{"arithmetic stays literal", "2*3*4", "2*3*4", "2*3*4", "2*3*4"},
		{"snake case literal", "nama_anggota_baru", "nama_anggota_baru", "nama_anggota_baru", "nama_anggota_baru"},
		{"unpaired star", "harga *10 ribu", "harga *10 ribu", "harga *10 ribu", "harga *10 ribu"},
		{"space inside marker", "a * b * c", "a * b * c", "a * b * c", "a * b * c"},
		{"empty pair", "** __", "** __", "** __", "** __"},
		{"not across lines", "*satu\ndua*", "*satu\ndua*", "*satu\ndua*", "*satu\ndua*"},
		{"punctuation around", "(*penting*), ya", "(penting), ya", "(<b>penting</b>), ya", "(\x1b[1mpenting\x1b[22m), ya"},
		{"closing followed by letter", "*ab*c", "*ab*c", "*ab*c", "*ab*c"},
		{"nearest close wins", "*a* b*", "a b*", "<b>a</b> b*", "\x1b[1ma\x1b[22m b*"},
		{"same kind does not nest", "*a *b* c*", "a *b c*", "<b>a *b</b> c*", "\x1b[1ma *b\x1b[22m c*"},
		{"emoji", "🙏*Terima kasih*🙏", "🙏Terima kasih🙏", "🙏<b>Terima kasih</b>🙏", "🙏\x1b[1mTerima kasih\x1b[22m🙏"},
		{"html escaped", "<b>Ani</b> & *Budi*", "<b>Ani</b> & Budi", "&lt;b&gt;Ani&lt;/b&gt; &amp; <b>Budi</b>", "<b>Ani</b> & \x1b[1mBudi\x1b[22m"},
		{"html inside bold", "*a<b*", "a<b", "<b>a&lt;b</b>", "\x1b[1ma<b\x1b[22m"},
		{
			"block keeps stars", "Tabel:\n```\nPokok  *100*\nWajib  _50_\n```\nSelesai",
			"Tabel:\nPokok  *100*\nWajib  _50_\nSelesai",
			"Tabel:\n<pre>Pokok  *100*\nWajib  _50_</pre>\nSelesai",
			"Tabel:\nPokok  *100*\nWajib  _50_\nSelesai",
		},
		{"inline block", "kode ```a<b``` ok", "kode a<b ok", "kode <pre>a&lt;b</pre> ok", "kode a<b ok"},
		{"unclosed block", "```abc *x*", "```abc x", "```abc <b>x</b>", "```abc \x1b[1mx\x1b[22m"},
		{"six backticks literal", "``````", "``````", "``````", "``````"},
		{"controls dropped", "a\x1b[31mb\r\n\tc", "a[31mb\n\tc", "a[31mb\n\tc", "a[31mb\n\tc"},
		{"indonesian", "Angsuran ke-3 *jatuh tempo* 5 Jan", "Angsuran ke-3 jatuh tempo 5 Jan", "Angsuran ke-3 <b>jatuh tempo</b> 5 Jan", "Angsuran ke-3 \x1b[1mjatuh tempo\x1b[22m 5 Jan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Plain(tt.in); got != tt.plain {
				t.Errorf("Plain(%q) = %q, want %q", tt.in, got, tt.plain)
			}
			if got := TelegramHTML(tt.in); got != tt.html {
				t.Errorf("TelegramHTML(%q) = %q, want %q", tt.in, got, tt.html)
			}
			if got := ANSI(tt.in); got != tt.ansi {
				t.Errorf("ANSI(%q) = %q, want %q", tt.in, got, tt.ansi)
			}
		})
	}
}

func TestEscape(t *testing.T) {
	t.Parallel()
	names := []string{"*Ani*", "_Budi_", "~Citra~", "```x```", "<b>Dewi</b>", "Eka * Fajar", "**", "Siti Nurhaliza"}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			msg := "Pengajuan dari *" + Escape(name) + "* disetujui"
			html := TelegramHTML(msg)
			if strings.Count(html, "<b>") != 1 || strings.Contains(html, "<i>") || strings.Contains(html, "<s>") || strings.Contains(html, "<pre>") {
				t.Errorf("TelegramHTML(%q) = %q: the name formed markup", msg, html)
			}
			if got := Escape(Escape(name)); got != Escape(name) {
				t.Errorf("Escape not idempotent: %q", got)
			}
			if !strings.ContainsAny(name, "*_~`") && Escape(name) != name {
				t.Errorf("Escape(%q) = %q changed text without markers", name, Escape(name))
			}
		})
	}
}

func TestSplit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		max  int
		want []string
	}{
		{"fits", "halo", 10, []string{"halo"}},
		{"no limit", "halo dunia", 0, []string{"halo dunia"}},
		{"paragraph preferred", "satu dua\n\ntiga empat lima", 16, []string{"satu dua", "tiga empat lima"}},
		{"line before word", "satu dua\ntiga empat", 15, []string{"satu dua", "tiga empat"}},
		{"word", "satu dua tiga empat", 9, []string{"satu dua", "tiga", "empat"}},
		{"short paragraph not preferred over a later line", "ab\n\ncdef\nghij\nklmn", 12, []string{"ab\n\ncdef", "ghij\nklmn"}},
		{"long word cut hard", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"emoji not split", "👍🏽👍🏽👍🏽", 3, []string{"👍🏽", "👍🏽", "👍🏽"}},
		{"accent kept with letter", "cafe\u0301cafe\u0301", 5, []string{"cafe\u0301", "cafe\u0301"}},
		{"block kept whole by cutting before it", "Saldo anda:\n```\nA 1\nB 2\n```", 20, []string{"Saldo anda:", "```\nA 1\nB 2\n```"}},
		{"space inside block not used", "x ```a b c d e f``` y", 18, []string{"x", "```a b c d e f```", "y"}},
		{"long block reopened", "```\nbaris1\nbaris2\nbaris3\n```", 18, []string{"```\nbaris1\n```", "```\nbaris2\n```", "```\nbaris3\n```"}},
		{"long block line hard cut", "```abcdefghijkl```", 10, []string{"```abcd```", "```efgh```", "```ijkl```"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Split(tt.in, tt.max)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Errorf("Split(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
			checkSplit(t, tt.in, tt.max, got)
		})
	}
}

// checkSplit asserts what must hold for any input: parts fit, none is empty,
// and no visible character is lost or invented (fences added to reopen a
// block aside).
func checkSplit(t *testing.T, in string, max int, parts []string) {
	t.Helper()
	if max < 1 || utf8.RuneCountInString(in) <= max {
		if len(parts) != 1 || parts[0] != in {
			t.Errorf("Split(%q, %d) = %q, want it whole", in, max, parts)
		}
		return
	}
	for i, p := range parts {
		if n := utf8.RuneCountInString(p); n > max {
			t.Errorf("part %d has %d runes > %d: %q", i, n, max, p)
		}
		if p == "" {
			t.Errorf("part %d is empty", i)
		}
	}
	visible := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) || r == '`' {
				return -1
			}
			return r
		}, s)
	}
	if got, want := visible(strings.Join(parts, "")), visible(string([]rune(in))); got != want {
		t.Errorf("Split(%q, %d) lost or added characters: %q", in, max, parts)
	}
}

func FuzzTelegramHTML(f *testing.F) {
	for _, s := range []string{"*a* _b_ ~c~", "```x*y*```", "<b>&", "2*3*4", "*_~`", "\x00\xff*"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		html := TelegramHTML(s)
		// Only our own tags may appear: strip them and no '<' or '>' is left.
		stripped := html
		for _, tag := range []string{"<b>", "</b>", "<i>", "</i>", "<s>", "</s>", "<pre>", "</pre>"} {
			stripped = strings.ReplaceAll(stripped, tag, "")
		}
		if strings.ContainsAny(stripped, "<>") {
			t.Errorf("TelegramHTML(%q) = %q leaks a raw angle bracket", s, html)
		}
		if e := TelegramHTML(Escape(s)); strings.Contains(e, "<b>") || strings.Contains(e, "<i>") || strings.Contains(e, "<s>") || strings.Contains(e, "<pre>") {
			t.Errorf("escaped %q still formats: %q", s, e)
		}
		_ = Plain(s)
		_ = ANSI(s)
	})
}

func FuzzSplit(f *testing.F) {
	f.Add("satu dua\n\ntiga ```\na\nb\n``` empat", 8)
	f.Add("👍🏽👍🏽 ```xyz``` e\u0301", 3)
	f.Add("``````````", 5)
	f.Fuzz(func(t *testing.T, s string, max int) {
		max = max%300 + 1
		if max < 1 {
			max += 300
		}
		checkSplit(t, s, max, Split(s, max))
	})
}
