package officer_test

import (
	"strings"
	"testing"

	"github.com/kopmem/kopbot/internal/loan"
)

// The member's answer to "Minta info" reaches the officers: typed plainly
// (no keyword) or after "jawab", it is posted to the group as a reply to
// the request's announcement, with the question and the buttons, shown in
// /antrian and /anggota, and the member is told what was passed on.
func TestTheAnswerToMintaInfoReachesTheOfficers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// says is what Siti types, in order; the last carries the answer.
		says []string
	}{
		{"typed plainly", []string{"Untuk stok sembako menjelang lebaran"}},
		{"after jawab", []string{"jawab", "Untuk stok sembako menjelang lebaran"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			a := e.apply(5_000_000, 10)
			ann := e.announcement(a.Ref)
			e.press(budi, "if:"+a.Ref, ann)
			got := e.replyTo(budi, e.idOf("pertanyaan untuk anggota", a.Ref), "Usaha *apa* yang dimodali?")
			contains(t, "question to Siti", one(t, "question", toSiti(got)).Text, "Usaha ∗apa∗ yang dimodali?")
			if s := e.status(a.Ref); s != loan.StatusInfoRequested {
				t.Fatalf("status %s", s)
			}
			contains(t, "/antrian while waiting", one(t, "/antrian", texts(toGroup(e.say(budi, group, "/antrian")))).Text,
				"menunggu jawaban anggota", "Usaha ∗apa∗ yang dimodali?")

			for _, line := range tc.says {
				got = e.sitiSays(line)
			}
			answer := "Untuk stok sembako menjelang lebaran"
			contains(t, "confirmation", one(t, "confirmation", toSiti(got)).Text, "sudah kami teruskan", answer, a.Ref)
			post := one(t, "post", toGroup(got))
			contains(t, "post", post.Text, "Jawaban anggota", a.Ref, "Siti", "Usaha ∗apa∗ yang dimodali?", answer)
			if post.ReplyTo != ann {
				t.Errorf("post replies to %q, want the announcement %q", post.ReplyTo, ann)
			}
			if len(post.Buttons) != 3 || post.Buttons[0][0].Data != "ap:"+a.Ref {
				t.Errorf("post buttons %+v, want the decision buttons", post.Buttons)
			}
			if s := e.status(a.Ref); s != loan.StatusPending {
				t.Fatalf("status %s after the answer, want pending", s)
			}
			for _, cmd := range []string{"/antrian", "/anggota A-0001"} {
				contains(t, cmd, one(t, cmd, texts(toGroup(e.say(budi, group, cmd)))).Text, "jawaban anggota", answer)
			}
			// The answer is passed on once: the next words go to the menus.
			if rs := toGroup(e.sitiSays("terima kasih banyak")); len(rs) != 0 {
				t.Errorf("a second message was posted too: %+v", rs)
			}
		})
	}
}

// Without an officer's question, words nothing understands get the usual
// fallback, not "there is no question to answer".
func TestPlainWordsWithoutAQuestionAreNoAnswer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.apply(5_000_000, 10)
	got := e.sitiSays("Untuk stok sembako menjelang lebaran")
	if len(toGroup(got)) != 0 {
		t.Errorf("posted to the group: %+v", toGroup(got))
	}
	if text := one(t, "reply", toSiti(got)).Text; strings.Contains(text, "teruskan") || strings.Contains(text, "pertanyaan petugas") {
		t.Errorf("reply %q", text)
	}
}
