package officer_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/officer"
)

// step is one press in a maker-checker scenario.
type press struct {
	by         string
	wantStatus loan.Status
	wantNotice string // a part of it
}

func TestMakerChecker(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name        string
		amount      int64
		installment string // told to the member on approval
		presses     []press
	}{
		{"small amount, one approval", 5_000_000, "Rp491.667", []press{{budi, loan.StatusApproved, "disetujui"}}},
		{"at the threshold, one approval", 10_000_000, "Rp983.333", []press{{budi, loan.StatusApproved, "disetujui"}}},
		{"large: petugas then manajer", 12_000_000, "Rp1.180.000", []press{
			{budi, loan.StatusAwaitingSecond, "Menunggu persetujuan manajer"},
			{wati, loan.StatusApproved, "approved"}}},
		{"large: petugas then petugas", 12_000_000, "", []press{
			{budi, loan.StatusAwaitingSecond, "Menunggu persetujuan manajer"},
			{rina, loan.StatusAwaitingSecond, "harus dari manajer"}}},
		{"large: same officer twice", 12_000_000, "", []press{
			{budi, loan.StatusAwaitingSecond, "Menunggu persetujuan manajer"},
			{budi, loan.StatusAwaitingSecond, "harus dari petugas lain"}}},
		{"large: manajer then petugas", 12_000_000, "", []press{
			{wati, loan.StatusAwaitingSecond, "Waiting for a manager"},
			{budi, loan.StatusAwaitingSecond, "harus dari manajer"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			a := e.apply(c.amount, 12)
			for i, p := range c.presses {
				notice, replies := e.press(p.by, "ap:"+a.Ref, e.announcement(a.Ref))
				contains(t, c.name, notice, p.wantNotice)
				if s := e.status(a.Ref); s != p.wantStatus {
					t.Fatalf("press %d by %s: status %s, want %s", i+1, p.by, s, p.wantStatus)
				}
				edits := 0
				for _, r := range replies {
					if r.EditOf != "" {
						edits++
						if r.EditOf != e.announcement(a.Ref) || r.Chat != group || len(r.Buttons) != 0 {
							t.Errorf("edit %+v, want the announcement's buttons removed", r)
						}
					}
				}
				if final := p.wantStatus == loan.StatusApproved; (edits == 1) != final || edits > 1 {
					t.Errorf("press %d: %d button edits, final=%v", i+1, edits, final)
				}
				if p.wantStatus == loan.StatusApproved {
					contains(t, "member notice", one(t, "member notice", toSiti(replies)).Text, a.Ref, "disetujui",
						"Siti ∗Aminah∗", c.installment)
				}
			}
		})
	}
}

func TestDoubleTapDecidesOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.apply(5_000_000, 10)
	first, _ := e.press(budi, "ap:"+a.Ref, e.announcement(a.Ref))
	second, replies := e.press(budi, "ap:"+a.Ref, e.announcement(a.Ref))
	contains(t, "first", first, "disetujui")
	contains(t, "second", second, "sudah diputuskan oleh Budi")
	if len(replies) != 0 {
		t.Errorf("the second tap queued %+v", replies)
	}
	if c := e.counts(); c.decisions != 1 {
		t.Fatalf("%d decisions, want 1", c.decisions)
	}
}

func TestTwoOfficersAtOnceDecideOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.apply(5_000_000, 10)
	var wg sync.WaitGroup
	notices := make([]string, 4)
	for i, by := range []string{budi, rina, wati, budi} {
		wg.Go(func() {
			n, err := e.a.Router.HandleCallback(context.Background(), channel.Callback{Channel: channel.Telegram,
				ID: "race" + string(rune('a'+i)), From: by, Chat: group, MessageID: e.announcement(a.Ref), Data: "ap:" + a.Ref})
			if err != nil {
				t.Error(err)
			}
			notices[i] = n
		})
	}
	wg.Wait()
	decided, already := 0, 0
	for _, n := range notices {
		switch {
		case strings.Contains(n, "sudah diputuskan oleh") || strings.Contains(n, "already decided by"):
			already++
		case strings.Contains(n, "disetujui") || strings.Contains(n, "approved"):
			decided++
		}
	}
	if decided != 1 || already != 3 {
		t.Fatalf("notices %q: %d decided, %d already decided", notices, decided, already)
	}
	if c := e.counts(); c.decisions != 1 {
		t.Fatalf("%d decisions, want 1", c.decisions)
	}
	edits := 0
	for _, r := range e.drain() {
		if r.EditOf != "" {
			edits++
		}
	}
	if edits != 1 {
		t.Fatalf("%d button edits, want 1", edits)
	}
}

func TestRejectAsksForTheReason(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.apply(5_000_000, 10)
	notice, replies := e.press(rina, "rj:"+a.Ref, e.announcement(a.Ref))
	contains(t, "press", notice, "alasan penolakan "+a.Ref)
	contains(t, "prompt", one(t, "prompt", toGroup(replies)).Text, "Rina", "alasan penolakan", a.Ref)
	if c := e.counts(); c.decisions != 0 || c.pending != 1 {
		t.Fatalf("after the press: %+v, want no decision and one awaited reason", c)
	}
	// Another officer's chatter is not Rina's reason.
	if rs := e.say(budi, group, "siap, saya cek dulu"); len(rs) != 0 || e.status(a.Ref) != loan.StatusPending {
		t.Fatalf("Budi's chatter: %+v, status %s", rs, e.status(a.Ref))
	}
	// A plain message is not the reason: Rina is told to reply.
	contains(t, "plain", one(t, "plain", e.say(rina, group, "sebentar")).Text, "tidak dipakai", a.Ref)
	replies = e.replyTo(rina, e.idOf("alasan penolakan", a.Ref), "Slip gaji belum *lengkap*")
	if s := e.status(a.Ref); s != loan.StatusRejected {
		t.Fatalf("status %s, want rejected", s)
	}
	var edit, text []channel.Reply
	for _, r := range toGroup(replies) {
		if r.EditOf != "" {
			edit = append(edit, r)
		} else {
			text = append(text, r)
		}
	}
	if one(t, "edit", edit).EditOf != e.announcement(a.Ref) {
		t.Errorf("edit %+v", edit)
	}
	contains(t, "group", one(t, "group", text).Text, "ditolak", "Rina", "Slip gaji belum ∗lengkap∗")
	contains(t, "member", one(t, "member", toSiti(replies)).Text, a.Ref, "Slip gaji belum ∗lengkap∗")
	if c := e.counts(); c.decisions != 1 || c.pending != 0 {
		t.Fatalf("after the reason: %+v", c)
	}
	// The reason is taken once: the next message is chatter again.
	if rs := e.say(rina, group, "terima kasih"); len(rs) != 0 {
		t.Fatalf("later chatter answered: %+v", rs)
	}
}

func TestReasonWaitsOnlySoLong(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.apply(5_000_000, 10)
	e.press(rina, "rj:"+a.Ref, e.announcement(a.Ref))
	e.clk.Advance(officer.DefaultReasonWait + time.Minute)
	got := one(t, "late reason", e.replyTo(rina, e.idOf("alasan penolakan", a.Ref), "alasan yang terlambat"))
	contains(t, "late reason", got.Text, "sudah lewat")
	if s := e.status(a.Ref); s != loan.StatusPending {
		t.Fatalf("status %s", s)
	}
}

func TestAskInfoTellsTheMemberHowToAnswer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.apply(5_000_000, 10)
	replies := e.say(wati, wati, "/info "+a.Ref+" Usaha apa yang akan dimodali?")
	if s := e.status(a.Ref); s != loan.StatusInfoRequested {
		t.Fatalf("status %s", s)
	}
	contains(t, "member", one(t, "member", toSiti(replies)).Text, "Usaha apa yang akan dimodali?", "*jawab*")
	contains(t, "officer", one(t, "officer", to(replies, channel.Telegram, wati)).Text, "sent to the member")
	// Asking for info leaves the buttons: the request comes back to the queue.
	for _, r := range replies {
		if r.EditOf != "" {
			t.Errorf("buttons edited: %+v", r)
		}
	}
}

func TestCommandsInTheGroupAreNotAnsweredTwice(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.apply(5_000_000, 10)
	replies := e.say(budi, group, "/tolak "+a.Ref+" plafon tidak cukup")
	contains(t, "group", one(t, "group", texts(toGroup(replies))).Text, "ditolak* oleh Budi", "plafon tidak cukup")
}

func TestBadButtonData(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.apply(5_000_000, 10)
	for _, data := range []string{"", "ap:", "xx:" + a.Ref, "ap:" + strings.ToLower(a.Ref), "ap:PJ-1;DROP", strings.Repeat("a", 65),
		"ap:" + strings.Repeat("A", 62)} {
		notice, replies := e.press(budi, data, "501")
		if want := e.msg("id", "officer.error.bad_button", nil); notice != want || len(replies) != 0 {
			t.Errorf("data %q: notice %q, replies %+v", data, notice, replies)
		}
	}
	notice, _ := e.press(budi, "ap:PJ-0000-0000", "501")
	contains(t, "unknown ref", notice, "PJ-0000-0000", "tidak ditemukan")
	if c := e.counts(); c.decisions != 0 {
		t.Fatalf("%d decisions", c.decisions)
	}
}

func TestAnnouncement(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.apply(12_000_000, 12)
	ann := one(t, "announcement", toGroup(e.announced))
	contains(t, "announcement", ann.Text, a.Ref, "Siti ∗Aminah∗", "A-0001", "Pinjaman Usaha", "Rp12.000.000",
		"12 bulan", "modal ˍwarungˍ", "Rp1.180.000", "Rp2.160.000", "Rp5.000.000", "Rp15.000.000",
		"Tidak ada pinjaman berjalan", "*manajer*")
	want := [][]string{{"ap:" + a.Ref}, {"rj:" + a.Ref}, {"if:" + a.Ref}}
	if len(ann.Buttons) != len(want) {
		t.Fatalf("buttons %+v", ann.Buttons)
	}
	for i, row := range ann.Buttons {
		if len(row) != 1 || row[0].Data != want[i][0] || row[0].Text == "" || len(row[0].Data) > 64 {
			t.Errorf("row %d: %+v, want data %s", i, row, want[i][0])
		}
	}
}
