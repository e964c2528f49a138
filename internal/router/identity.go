package router

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kopmem/kopbot/internal/channel"
	"github.com/kopmem/kopbot/internal/dialog"
	"github.com/kopmem/kopbot/internal/i18n"
	"github.com/kopmem/kopbot/internal/member"
	"github.com/kopmem/kopbot/internal/outbox"
	"github.com/kopmem/kopbot/internal/phone"
	"github.com/kopmem/kopbot/internal/store"
)

// Messages of binding a Telegram account.
const (
	msgShareContact  = "telegram.share_contact"
	msgShareButton   = "telegram.button.share_contact"
	msgNotOwnContact = "telegram.not_own_contact"
	msgBound         = "telegram.bound"
	msgNewAccount    = "telegram.new_account"
)

// menuWord is the main menu's keyword, said for a member just bound so the
// welcome comes with the menu. Were it ever dropped from flows/menu.toml,
// the dialog would still answer an unknown word with the menu.
const menuWord = "menu"

// MemberOf finds the member who sent msg: by the phone number the channel
// gives, else by the account bound to the sender. It fails with
// member.ErrNotFound when neither names a member.
func MemberOf(ctx context.Context, q store.Queryer, msg channel.Message) (member.Member, error) {
	m, _, err := memberAnd(ctx, q, msg, "0")
	return m, err
}

// memberAnd is MemberOf that also reads also, a true-or-false SQL
// expression over the member's row, in the same statement.
func memberAnd(ctx context.Context, q store.Queryer, msg channel.Message, also string) (member.Member, bool, error) {
	switch {
	case msg.Phone != "":
		return member.ByPhoneAnd(ctx, q, msg.Phone, also)
	case byAccount(msg):
		return member.ByIdentityAnd(ctx, q, msg.Channel, msg.From, also)
	}
	return member.Member{}, false, fmt.Errorf("message %s names no sender: %w", msg.ID, member.ErrNotFound)
}

// byAccount reports whether msg's sender is known by their account rather
// than a phone number: Telegram gives no number until the member shares it.
func byAccount(msg channel.Message) bool {
	return msg.Channel == channel.Telegram && msg.Phone == "" && msg.From != ""
}

// langOf is the language to answer a sender in: the member's, or the
// cooperative's for someone unknown.
func langOf(m member.Member, err error) string {
	if err != nil {
		return i18n.Default
	}
	return m.Lang
}

// bind answers a Telegram account bound to no member yet: only the member's
// own contact, shared from this account, binds it. Telegram sets a contact's
// user_id to the account that owns the number, so someone else's contact,
// or a card typed by hand, never matches the sender.
func (r *Router) bind(ctx context.Context, tx *sql.Tx, key string, msg channel.Message, now time.Time) (channel.Reply, error) {
	c := msg.Contact
	switch {
	case msg.Kind != channel.Contact || c == nil:
		return r.askContact(msgShareContact), nil
	case c.UserID != msg.From:
		return r.askContact(msgNotOwnContact), nil
	}
	num, err := phone.Normalize(c.Phone)
	if err != nil {
		return r.reply(i18n.Default, msgNotRegistered, nil), nil
	}
	m, err := member.ByPhone(ctx, tx, num)
	if errors.Is(err, member.ErrNotFound) {
		return r.reply(i18n.Default, msgNotRegistered, nil), nil
	}
	if err != nil {
		return channel.Reply{}, err
	}
	if err := r.warnOfNewAccount(ctx, tx, m, msg, now); err != nil {
		return channel.Reply{}, err
	}
	if err := member.Bind(ctx, tx, msg.Channel, msg.From, m.ID, m.Phone, now); err != nil {
		return channel.Reply{}, err
	}
	if err := r.touch(ctx, tx, m, msg, now); err != nil {
		return channel.Reply{}, err
	}
	menu, err := r.engine.Handle(ctx, dialog.Turn{Q: tx, Chat: key, MessageID: string(msg.Channel) + ":" + msg.ID, Member: m, Text: menuWord, Now: now})
	if err != nil {
		return channel.Reply{}, err
	}
	welcome := r.msgs.T(m.Lang, msgBound, map[string]any{"Name": m.Name, "Number": m.Number})
	return channel.Reply{Text: joinSaid(welcome, menu.Text), Buttons: [][]channel.Button{{{Data: channel.KeyboardRemove}}}}, nil
}

// warnOfNewAccount tells the member, on every other account bound to them
// and every other channel they chat on, that the account of msg is being
// bound to their number: someone holding a recycled SIM, or a phone left
// unlocked, is seen at once. An account binding again gets no warning.
func (r *Router) warnOfNewAccount(ctx context.Context, tx *sql.Tx, m member.Member, msg channel.Message, now time.Time) error {
	ids, err := member.Identities(ctx, tx, m)
	if err != nil {
		return err
	}
	to := map[member.Address]bool{}
	for _, id := range ids {
		if id.Channel == msg.Channel && id.UserID == msg.From {
			return nil
		}
		// A Telegram account's private chat has the account's id.
		to[member.Address{Channel: id.Channel, Chat: id.UserID}] = true
	}
	chats, err := member.Channels(ctx, tx, m.ID)
	if err != nil {
		return err
	}
	for _, a := range chats {
		to[a] = true
	}
	delete(to, member.Address{Channel: msg.Channel, Chat: msg.Chat})
	text := r.msgs.T(m.Lang, msgNewAccount, map[string]any{"Name": m.Name, "Number": m.Number, "Account": msg.From})
	for a := range to {
		if _, err := outbox.Enqueue(ctx, tx, outbox.Item{Reply: channel.Reply{Channel: a.Channel, Chat: a.Chat, Text: text}}, now); err != nil {
			return fmt.Errorf("warn member %s of a new account: %w", m.Number, err)
		}
	}
	return nil
}

// askContact is msgID with the button that shares the sender's number.
func (r *Router) askContact(msgID string) channel.Reply {
	rep := r.reply(i18n.Default, msgID, nil)
	rep.Buttons = [][]channel.Button{{{Text: r.msgs.T(i18n.Default, msgShareButton, nil), Data: channel.ContactRequest}}}
	return rep
}
