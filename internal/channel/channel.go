// Package channel holds the types every chat adapter shares. An adapter turns
// platform events into Messages and delivers Replies; it knows no business rule.
package channel

import (
	"context"
	"time"
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

// Message kinds. Media covers images, voice notes, stickers and files: kopbot
// answers them with a polite "please type".
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
	// Phone is the sender's number in E.164 digits without '+' (6281234567890)
	// when the channel knows it; empty otherwise (an unbound Telegram user).
	Phone string
	Text  string
	Kind  Kind
	At    time.Time
}

// Reply is one outbound message. Text uses WhatsApp-style markup (*bold*,
// _italic_, ```monospace```), which each adapter renders its own way.
type Reply struct {
	Channel Name
	Chat    string
	Text    string
}

// Sender delivers replies on one channel.
type Sender interface {
	Send(ctx context.Context, r Reply) error
}
