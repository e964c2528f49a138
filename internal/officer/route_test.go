package officer_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/loan"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/officer"
	"github.com/kopmem/kopbot/internal/savings"
)

// newMember adds a member chatting on WhatsApp with Rp3.000.000 of savings
// and returns them with their chat.
func (e *env) newMember(number, name, phone string) (member.Member, string) {
	e.t.Helper()
	ctx := context.Background()
	chat := phone + "@s.whatsapp.net"
	var m member.Member
	e.write(func(tx *sql.Tx) error {
		var err error
		if m, err = member.Create(ctx, tx, member.Member{Number: number, Name: name, Phone: phone,
			JoinedOn: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)}); err != nil {
			return err
		}
		if _, err := savings.Deposit(ctx, tx, savings.Movement{Key: "seed-" + number, MemberID: m.ID, Kind: savings.Sukarela,
			Amount: rp(3_000_000), ValueDate: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Actor: "seed"}); err != nil {
			return err
		}
		return member.Touch(ctx, tx, m.ID, channel.WhatsApp, chat, e.clk.Now())
	})
	return m, chat
}

// on sends text from a member's WhatsApp chat and returns what it queued.
func (e *env) on(chat, text string) []channel.Reply {
	e.t.Helper()
	phone := strings.TrimSuffix(chat, "@s.whatsapp.net")
	return e.handle(channel.Message{Channel: channel.WhatsApp, ID: fmt.Sprintf("WA%d", e.seq.Add(1)), Chat: chat, From: chat,
		Phone: phone, Text: text, Kind: channel.Text})
}

// replyTo sends text from an officer in the group as a reply to the
// group's message msgID ("" for a plain message).
func (e *env) replyTo(from, msgID, text string) []channel.Reply {
	e.t.Helper()
	m := channel.Message{Channel: channel.Telegram, ID: fmt.Sprintf("%s:%d", group, e.seq.Add(1)), Chat: group,
		From: from, Text: text, Kind: channel.Text}
	if msgID != "" {
		m.ReplyTo = group + ":" + msgID
	}
	return e.handle(m)
}

// An officer's words in the group go where the reply points, and nowhere
// else, whatever conversations are open and whatever reason is awaited:
// every kind of message replied to (or none), with and without a pending
// Tolak. Siti (#H1) and Joko (#H2) talk to the officers, Ani's #H3 is
// closed; Siti's request and Joko's are announced.
func TestOfficerRepliesGoWhereTheyPoint(t *testing.T) {
	t.Parallel()
	const (
		nobody = ""
		siti   = "siti"
		joko   = "joko"
	)
	type want struct {
		// to is whose chat gets the text, nobody for no member.
		to string
		// group is what the officer is told in the group, nil for silence.
		group []string
		// rejected: Siti's request ends rejected with the text as reason.
		rejected bool
		// pending is how many reasons are still awaited afterwards.
		pending int
	}
	tests := []struct {
		name    string
		target  string // which message is replied to
		by      string
		pending bool
		late    bool
		want    want
	}{
		{"plain message", "", rina, false, false, want{to: nobody}},
		{"reply to the announcement", "ann1", rina, false, false, want{to: nobody, group: []string{"tidak diteruskan", "REF1"}}},
		{"reply to another request's announcement", "ann2", rina, false, false, want{to: nobody, group: []string{"tidak diteruskan", "REF2"}}},
		{"reply to Siti's forward", "fwdSiti", rina, false, false, want{to: siti, group: []string{"Siti", "#H1", "sudah dikirim"}}},
		{"reply to the second open handoff's forward", "fwdJoko", rina, false, false, want{to: joko, group: []string{"Joko", "#H2", "sudah dikirim"}}},
		{"reply to a closed handoff's forward", "fwdAni", rina, false, false, want{to: nobody,
			group: []string{"TIDAK terkirim", "#H3", "Ani", "A-0003", "+6281377778888"}}},
		{"reply to kopbot's list", "list", rina, false, false, want{to: nobody, group: []string{"tidak diteruskan", "bukan pesan anggota"}}},
		{"reply to another officer", "officer", rina, false, false, want{to: nobody}},

		{"pending: plain message", "", rina, true, false, want{to: nobody, group: []string{"tidak dipakai", "REF1"}, pending: 1}},
		{"pending: reply to the announcement", "ann1", rina, true, false, want{to: siti, group: []string{"ditolak", "Rina"}, rejected: true}},
		{"pending: reply to the prompt", "prompt", rina, true, false, want{to: siti, group: []string{"ditolak", "Rina"}, rejected: true}},
		{"pending: reply to the announcement too late", "ann1", rina, true, true, want{to: nobody, group: []string{"sudah lewat", "REF1"}}},
		{"pending: reply to another request's announcement", "ann2", rina, true, false, want{to: nobody,
			group: []string{"bukan alasan untuk REF1", "REF2"}, pending: 1}},
		{"pending: reply to Siti's forward", "fwdSiti", rina, true, false, want{to: siti, group: []string{"#H1", "sudah dikirim"}, pending: 1}},
		{"pending: reply to the second open handoff's forward", "fwdJoko", rina, true, false, want{to: joko, group: []string{"#H2", "sudah dikirim"}, pending: 1}},
		{"pending: reply to a closed handoff's forward", "fwdAni", rina, true, false, want{to: nobody, group: []string{"TIDAK terkirim", "#H3"}, pending: 1}},
		{"pending: reply to kopbot's list", "list", rina, true, false, want{to: nobody, group: []string{"bukan pesan anggota"}, pending: 1}},
		{"pending: reply to another officer", "officer", rina, true, false, want{to: nobody, group: []string{"tidak dipakai", "REF1"}, pending: 1}},
		{"pending is one officer's: another replies to the announcement", "ann1", budi, true, false, want{to: nobody,
			group: []string{"tidak diteruskan", "REF1"}, pending: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			jokoM, jokoChat := e.newMember("A-0002", "Joko", "6285611112222")
			_, aniChat := e.newMember("A-0003", "Ani", "6281377778888")
			chats := map[string]string{siti: "6281234567890@s.whatsapp.net", joko: jokoChat}
			for _, m := range []struct{ chat, text string }{
				{chats[siti], "petugas"}, {chats[siti], "Pertanyaan Siti"},
				{jokoChat, "petugas"}, {jokoChat, "Pertanyaan Joko"},
				{aniChat, "petugas"}, {aniChat, "Pertanyaan Ani"}, {aniChat, "selesai"},
			} {
				e.on(m.chat, m.text)
			}
			ref1, ref2 := e.apply(5_000_000, 10).Ref, e.applyFor(jokoM, 2_000_000, 6).Ref
			e.say(budi, group, "/obrolan")
			ids := map[string]string{"": "", "ann1": e.announcement(ref1), "ann2": e.announcement(ref2),
				"fwdSiti": e.idOf("#H1", "Pertanyaan Siti"), "fwdJoko": e.idOf("#H2", "Pertanyaan Joko"),
				"fwdAni": e.idOf("#H3", "Pertanyaan Ani"), "list": e.idOf("Obrolan terbuka"), "officer": "99999"}
			if tc.pending {
				e.press(rina, "rj:"+ref1, ids["ann1"])
				ids["prompt"] = e.idOf("alasan penolakan", ref1)
			}
			if tc.late {
				e.clk.Advance(officer.DefaultReasonWait + time.Minute)
			}
			text := "Dokumen belum lengkap"
			got := e.replyTo(tc.by, ids[tc.target], text)

			for who, chat := range chats {
				rs := to(got, channel.WhatsApp, chat)
				if who != tc.want.to {
					if len(rs) != 0 {
						t.Errorf("%s got %+v, want nothing", who, rs)
					}
					continue
				}
				contains(t, "to "+who, one(t, "to "+who, rs).Text, text)
			}
			if rs := to(got, channel.WhatsApp, aniChat); len(rs) != 0 {
				t.Errorf("Ani got %+v", rs)
			}
			groupTexts := texts(toGroup(got))
			if tc.want.group == nil {
				if len(groupTexts) != 0 {
					t.Errorf("group got %+v, want silence", groupTexts)
				}
			} else {
				wants := make([]string, len(tc.want.group))
				for i, w := range tc.want.group {
					wants[i] = strings.NewReplacer("REF1", ref1, "REF2", ref2).Replace(w)
				}
				contains(t, "group", one(t, "group", groupTexts).Text, wants...)
			}
			wantStatus := loan.StatusPending
			if tc.want.rejected {
				wantStatus = loan.StatusRejected
			}
			if s := e.status(ref1); s != wantStatus {
				t.Errorf("%s is %s, want %s", ref1, s, wantStatus)
			}
			if s := e.status(ref2); s != loan.StatusPending {
				t.Errorf("%s is %s, want pending", ref2, s)
			}
			if c := e.counts(); c.pending != tc.want.pending {
				t.Errorf("%d reasons awaited, want %d", c.pending, tc.want.pending)
			}
		})
	}
}
