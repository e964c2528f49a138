package understand_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/app"
	"github.com/kopmem/kopbot/internal/channel"
)

// exchange is one message and what its answer must (and must not) contain.
type exchange struct {
	say, want, not string
}

// TestWhatMembersGet walks conversations through the real router, one
// rule of the understanding per case.
func TestWhatMembersGet(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		talk []exchange
	}{
		{"a greeting is answered in kind, with the short menu", []exchange{
			{"Assalamualaikum", "Wa'alaikumsalam, Siti.", "Balas dengan angka pilihan"},
		}},
		{"sampurasun gets rampes", []exchange{{"sampurasun", "Rampes, Siti.", ""}}},
		{"thanks get sama-sama", []exchange{{"makasih bu 🙏", "Sama-sama, Siti", "belum paham"}}},
		{"a greeting with a question answers the question", []exchange{
			{"assalamualaikum bu, saldo saya berapa", "Wa'alaikumsalam, Siti.\n\n*Saldo simpanan Siti*", ""},
		}},
		{"two requests in one sentence are both answered", []exchange{
			{"saldo dan tagihan", "*Saldo simpanan Siti*", "belum paham"},
		}},
		{"a simulation starts with the amount of the sentence", []exchange{
			{"kalau pinjam 10 juta cicilannya berapa", "Pilih produk", ""},
			{"1", "Berapa bulan", "berapa jumlah pinjaman"},
			{"12", "10.000.000", ""},
		}},
		{"a loan request asks only what the sentence left out", []exchange{
			{"mau pinjam 5jt 12 bulan buat modal warung", "Pilih produk", ""},
			{"yang pertama", "modal warung", "berapa jumlah pinjaman"},
		}},
		{"a purpose that contains a keyword stays a purpose", []exchange{
			{"ajukan pinjaman", "Pilih produk", ""}, {"1", "", ""}, {"5 juta", "", ""}, {"12 bln", "", ""},
			{"bayar cicilan motor", "bayar cicilan motor", "Saldo simpanan"},
		}},
		{"the tenor error states the product's bounds, as the question does", []exchange{
			{"simulasi", "", ""}, {"1", "", ""}, {"sejuta", "Antara 1 dan 24 bulan", ""},
			{"60 bulan", "1–24 bulan", "120"},
		}},
		{"0 inside a loan request is an answer, not the menu", []exchange{
			{"ajukan pinjaman", "", ""}, {"1", "", ""}, {"0", "", "Balas dengan angka pilihan"},
			{"lima juta", "Berapa bulan", ""},
		}},
		{"STOP inside a dialog is asked about first", []exchange{
			{"simulasi", "", ""}, {"1", "", ""}, {"stop", "berhenti menerima pengingat tagihan?", "tidak akan menerima pengingat"},
			{"tidak", "pengingat tetap kami kirimkan", ""},
		}},
		{"STOP on its own stops at once", []exchange{{"STOP", "tidak akan menerima pengingat", ""}}},
		{"STOP PENGUMUMAN stops announcements, not reminders", []exchange{
			{"STOP PENGUMUMAN", "tidak akan menerima pengumuman", "tidak akan menerima pengingat"},
			{"mulai pengumuman", "pengumuman koperasi akan kami kirim kembali", ""},
		}},
		{"a sentence about announcements is asked about, not taken as STOP", []exchange{
			{"jangan kirim pengumuman lagi ya", "berhenti menerima pengumuman koperasi", "pengingat"},
			{"ya", "tidak akan menerima pengumuman", ""},
		}},
		{"a question for a person offers the officers", []exchange{
			{"saya sudah transfer kemarin kok belum masuk", "Pertanyaan Anda kami teruskan ke petugas?", ""},
			{"gak usah", "tidak kami teruskan", "sudah kami teruskan"},
		}},
		{"a guess at the officers asks first", []exchange{
			{"mau ngobrol sama orangnya", "bicara dengan petugas koperasi?", ""},
		}},
		{"the fallback is short and suggests the closest request", []exchange{
			{"kenapa ya", "belum paham", "Balas dengan angka pilihan"},
			{"berapa ya", "Maksud Anda *saldo simpanan*?\nBalas *1*", ""},
		}},
		{"free text at the main menu gets the short fallback, not the menu again", []exchange{
			{"menu", "Balas dengan angka pilihan", ""},
			{"harga emas hari ini", "belum paham", "belum kami kenali"},
			{"menu", "Balas dengan angka pilihan", ""},
			{"berapa sisa utang saya", "tidak memiliki pinjaman", "belum kami kenali"},
			{"menu", "", ""}, {"10", "belum kami kenali", ""},
		}},
		{"English gets English and an offer to switch", []exchange{
			{"what is my balance", "*Savings of Siti*", ""},
			{"how much do i still owe", "Would you like our answers in English", "Mohon"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newCoop(t)
			p := c.members(1)[0]
			for _, ex := range tc.talk {
				got := c.reply(p, ex.say)
				if !strings.Contains(got, ex.want) || (ex.not != "" && strings.Contains(got, ex.not)) {
					t.Fatalf("%q → %q\nwant %q, not %q", ex.say, got, ex.want, ex.not)
				}
			}
		})
	}
}

// TestCancelWithdrawsTheRequest: "batalkan" in answer to "Batalkan
// pengajuan …?" withdraws it; it used to leave the dialog and keep the
// request open.
func TestCancelWithdrawsTheRequest(t *testing.T) {
	t.Parallel()
	c := newCoop(t)
	p := c.members(1)[0]
	for _, s := range []string{"ajukan pinjaman", "1", "5000000", "12", "modal usaha", "ya"} {
		c.say(p, s)
	}
	if n := c.count(qPending, p); n != 1 {
		t.Fatalf("%d pending requests, want 1", n)
	}
	if got := c.reply(p, "batalkan pengajuan"); !strings.Contains(got, "Batalkan pengajuan") {
		t.Fatalf("batalkan pengajuan → %q", got)
	}
	if got := c.reply(p, "batalkan"); !strings.Contains(got, "sudah dibatalkan") {
		t.Fatalf("batalkan → %q", got)
	}
	if n := c.count(qPending, p); n != 0 {
		t.Fatalf("%d pending requests after batalkan, want 0", n)
	}
}

// TestQuestionGoesToOfficersAsWritten: on yes, the member's question
// reaches the officers as typed, never retyped.
func TestQuestionGoesToOfficersAsWritten(t *testing.T) {
	t.Parallel()
	c := newCoop(t)
	p := c.members(1)[0]
	const q = "kapan RAT tahun ini ya bu"
	c.reply(p, q)
	if n := c.count(qHandoffs, p); n != 0 {
		t.Fatalf("handoff opened before the member said yes")
	}
	c.deliver(channel.Console, app.OfficerSeat)
	if got := c.reply(p, "iya"); !strings.Contains(got, "sudah kami teruskan") {
		t.Fatalf("iya → %q", got)
	}
	if got := c.deliver(channel.Console, app.OfficerSeat); !strings.Contains(got, q) {
		t.Fatalf("officers got %q, want the question %q", got, q)
	}
	if n := c.count(qHandoffs, p); n != 1 {
		t.Fatalf("%d handoffs, want 1", n)
	}
}

// TestOfficersSeeMisses: what fell to the fallback is listed for the
// officers by /tidakpaham, most frequent first, figures masked; what was
// understood, or is older than 30 days, is not.
func TestOfficersSeeMisses(t *testing.T) {
	t.Parallel()
	c := newCoop(t)
	ps := c.members(3)
	c.say(ps[0], "lagu dangdut terbaru")
	c.clk.Advance(31 * 24 * time.Hour)
	c.say(ps[0], "jual pulsa 0812-3456-7890 ga?")
	c.say(ps[1], "Jual  pulsa 0899 ga?")
	c.say(ps[2], "asdfgh")
	c.say(ps[2], "saldo")
	if err := c.a.Router.Handle(context.Background(), channel.Message{Channel: channel.Console, ID: "o1", Chat: app.OfficerSeat,
		From: officerID, Text: "/tidakpaham", Kind: channel.Text}); err != nil {
		t.Fatal(err)
	}
	got := c.deliver(channel.Console, app.OfficerSeat)
	for _, want := range []string{"2× jual pulsa # ga?", "1× asdfgh"} {
		if !strings.Contains(got, want) {
			t.Errorf("/tidakpaham → %q, want %q", got, want)
		}
	}
	for _, not := range []string{"0812", "0899", "saldo", "dangdut"} {
		if strings.Contains(got, not) {
			t.Errorf("/tidakpaham → %q, shows %q", got, not)
		}
	}
}
