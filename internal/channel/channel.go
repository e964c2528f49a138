// Package channel holds the types every chat adapter shares. An adapter turns
// platform events into Messages and delivers Replies; it knows no business rule.
package channel

import (
	"context"
	"errors"
	"time"
)

// Errors a Sender wraps so the outbox knows what to do with a failed send.
var (
	// ErrPermanent: sending again cannot help (the chat does not exist, the
	// bot was blocked, the reply is malformed). The message is marked failed
	// at once for an officer to see.
	ErrPermanent = errors.New("permanent send failure")
	// ErrUnavailable: the channel is down on purpose (WhatsApp logged out or
	// banned). The message waits without using up its attempts.
	ErrUnavailable = errors.New("channel unavailable")
)

// Name identifies an adapter.
type Name string

// The adapters kopbot has.
const (
	Console  Name = "console"
	WhatsApp Name = "whatsapp"
	Telegram Name = "telegram"
)

// Kind says what a message carries.
type Kind string

// Message kinds. Media covers images, voice notes, stickers and files; what
// it is says Message.File.
const (
	Text    Kind = "text"
	Media   Kind = "media"
	Contact Kind = "contact"
)

// Message is one inbound chat message.
type Message struct {
	Channel Name
	// ID is the platform's id for the message, unique within Channel; a
	// redelivered message carries the same ID and is handled once.
	ID string
	// Chat is where replies go, in the channel's own addressing.
	Chat string
	// From is the sender's id on the platform (a Telegram user id, a
	// WhatsApp JID); officers are recognised by it.
	From string
	// Phone is the sender's number in E.164 digits without '+' (6281234567890)
	// when the channel knows it; empty otherwise (an unbound Telegram user).
	Phone string
	Text  string
	Kind  Kind
	At    time.Time
	// ReplyTo is the platform id of the message this one answers (an
	// officer replying to a forwarded member message), or "".
	ReplyTo string
	// Contact is the shared contact of a Contact message.
	Contact *SharedContact
	// File is what a Media message carries (its caption is Text); nil for
	// media the channel cannot fetch, such as a location.
	File *File `json:"-"`
}

// MediaKind says what a file is, for what kopbot does with it: an image or
// a document may be a transfer proof, the rest is only forwarded.
type MediaKind string

// The kinds of media.
const (
	Image    MediaKind = "image"
	Document MediaKind = "document"
	Voice    MediaKind = "voice"
	Sticker  MediaKind = "sticker"
	Video    MediaKind = "video"
)

// ErrTooLarge is what a Fetch wraps when the file is bigger than asked for.
var ErrTooLarge = errors.New("file too large")

// File is a file a member sent. The adapter fills what the platform told
// and how to fetch the bytes; nothing is downloaded until Fetch is called,
// so a sticker nobody needs costs nothing.
type File struct {
	Kind MediaKind
	// MIME is the type the platform declared ("image/jpeg"); Name is a
	// document's file name. Both may be empty.
	MIME string
	Name string
	// Size is the declared size in bytes, 0 when unknown.
	Size int64
	// Fetch downloads the content, failing with ErrTooLarge rather than
	// reading more than limit bytes.
	Fetch func(ctx context.Context, limit int64) ([]byte, error) `json:"-"`
}

// Attachment is a stored file sent with a Reply: Text becomes its caption.
type Attachment struct {
	Kind MediaKind
	// Path is the file on disk; Name is what the receiver sees.
	Path string
	Name string
	// MIME, SHA256 and Size are what the content is, read from it.
	MIME   string `json:",omitempty"`
	SHA256 string `json:",omitempty"`
	Size   int64  `json:",omitempty"`
}

// SharedContact is a contact card sent in a chat. On Telegram a member binds
// their account by sharing their own: UserID must equal the sender.
type SharedContact struct {
	Phone  string // as the platform gives it; normalise before use
	UserID string
}

// Callback is a press of an inline button.
type Callback struct {
	Channel Name
	// ID identifies the press; the platform expects it answered.
	ID   string
	From string
	Chat string
	// MessageID is the message that carries the button, so its buttons can
	// be replaced once a decision is made.
	MessageID string
	Data      string
}

// Handler receives what a channel brings in. A nil error means the input is
// recorded and may be acknowledged to the platform; on error the channel
// leaves it unacknowledged so the platform delivers it again.
type Handler interface {
	HandleMessage(ctx context.Context, m Message) error
	// HandleCallback returns the short notice shown to the presser; with
	// an error, a notice given says why better than the adapter's generic
	// one.
	HandleCallback(ctx context.Context, c Callback) (string, error)
}

// Reply is one outbound message. Text uses WhatsApp-style markup (*bold*,
// _italic_, ```monospace```), which each adapter renders its own way.
type Reply struct {
	Channel Name
	Chat    string
	Text    string
	// Buttons are rows of inline buttons (Telegram); channels without
	// buttons ignore them, so the text must make sense on its own.
	Buttons [][]Button `json:",omitempty"`
	// EditOf, when set, is the platform id of an earlier message in Chat
	// whose buttons are replaced by Buttons (none: removed) instead of
	// sending Text: an officer's decision takes the buttons away, durably,
	// through the outbox like everything else that leaves.
	EditOf string `json:",omitempty"`
	// ReplyTo, when set, is the platform id of an earlier message in Chat
	// this one answers (Telegram shows it quoted): a member's answer to an
	// officer's question lands under that request's announcement.
	ReplyTo string `json:",omitempty"`
	// Attachment, when set, is sent with Text as its caption; a channel
	// that cannot send files sends Text alone.
	Attachment *Attachment `json:",omitempty"`
}

// ContactRequest as a lone button's Data asks the member to share their own
// phone number (Telegram's request_contact keyboard): how a Telegram account
// is bound to a member once.
const ContactRequest = "contact:request"

// KeyboardRemove as a lone button's Data takes the share-contact keyboard
// away with the message, once the contact is bound: the button would only
// invite sharing again.
const KeyboardRemove = "keyboard:remove"

// Button is one inline button. Data comes back in the press (Telegram
// callback_data: at most 64 bytes).
type Button struct {
	Text string
	Data string
}

// Sender delivers replies on one channel.
type Sender interface {
	Send(ctx context.Context, r Reply) error
}

// Tracer is a Sender that also tells the platform id of what it sent (the
// last part of a split message), so that a later reply to that message can
// be traced to what it answers: an officer replying to a forwarded member
// message, in Telegram.
type Tracer interface {
	Sender
	SendTraced(ctx context.Context, r Reply) (id string, err error)
}

// Lane is why a message leaves, which decides how urgently it goes: a
// later lane never delays an earlier one.
type Lane int8

// The lanes, most urgent first. The zero Lane is taken as Notice.
const (
	// Interactive answers something the person just wrote.
	Interactive Lane = 1
	// Notice tells of something that happened: a receipt, a decision, a
	// handoff reply, an alert to the officers.
	Notice Lane = 2
	// Bulk is what nobody waits for: reminders, morning summaries,
	// announcements.
	Bulk Lane = 3
)

// Slot is a message about to go, as a Pacer sees it.
type Slot struct {
	Chat string
	Lane Lane
	// Queued is when the message was written, which for a reply is when
	// the message it answers came in.
	Queued time.Time
	// Runes is the text's length: a longer reply takes longer to type.
	Runes int
}

// Pacer spaces one channel's messages to the platform's limits. It never
// waits itself: it says when a message may go, so a sender goes on to other
// chats meanwhile and one slow chat holds up nobody else.
type Pacer interface {
	// Ready is the earliest instant s may go; at or before now means now.
	Ready(s Slot, now time.Time) time.Time
	// Sent books s as sent at at.
	Sent(ctx context.Context, s Slot, at time.Time)
	// Hold keeps chat quiet until until: the platform asked to wait.
	Hold(chat string, until time.Time)
}

// Throttled is an error by which the platform asks to wait before
// writing to that chat again (Telegram's 429 retry_after). It costs the
// message no attempt.
type Throttled interface {
	error
	Wait() time.Duration
}

// BulkRefused is a Throttled by which the platform refuses unasked
// messages to a chat for a while (WhatsApp's 463: the contact never wrote
// first; its rate errors). Only a bulk message waits, without an attempt
// and without holding the chat: a reply to someone who writes still goes.
// On any other lane it is an ordinary failure.
type BulkRefused interface {
	Throttled
	BulkOnly()
}

// PacerMemory bounds how many chats a pacer remembers: past entries are
// dropped once it remembers this many (ForgetPast).
const PacerMemory = 4096

// ForgetPast drops the chats of next (each chat's earliest next message)
// that are free at now, once next holds PacerMemory chats: a pacer's memory
// stays bounded by its busy chats.
func ForgetPast(next map[string]time.Time, now time.Time) {
	if len(next) < PacerMemory {
		return
	}
	for c, t := range next {
		if !t.After(now) {
			delete(next, c)
		}
	}
}
