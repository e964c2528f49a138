package telegramtest

// The types below mirror the Bot API's JSON (https://core.telegram.org/bots/api)
// rather than reuse tgbotapi's, so a test exercises the client's decoding of
// what Telegram really sends, not a round trip through the same structs.

// Update is one entry of a getUpdates answer. Push fills in UpdateID.
type Update struct {
	UpdateID      int            `json:"update_id"`
	Message       *Message       `json:"message,omitempty"`
	EditedMessage *Message       `json:"edited_message,omitempty"`
	CallbackQuery *CallbackQuery `json:"callback_query,omitempty"`
}

// Message is an incoming or sent message.
type Message struct {
	MessageID      int          `json:"message_id"`
	From           *User        `json:"from,omitempty"`
	Chat           Chat         `json:"chat"`
	Date           int64        `json:"date"`
	Text           string       `json:"text,omitempty"`
	Entities       []Entity     `json:"entities,omitempty"`
	Caption        string       `json:"caption,omitempty"`
	ReplyToMessage *Message     `json:"reply_to_message,omitempty"`
	Contact        *Contact     `json:"contact,omitempty"`
	Photo          []PhotoSize  `json:"photo,omitempty"`
	Voice          *File        `json:"voice,omitempty"`
	Sticker        *File        `json:"sticker,omitempty"`
	Document       *File        `json:"document,omitempty"`
	ReplyMarkup    *ReplyMarkup `json:"reply_markup,omitempty"`
}

// User is a Telegram account.
type User struct {
	ID        int64  `json:"id"`
	IsBot     bool   `json:"is_bot"`
	FirstName string `json:"first_name"`
	Username  string `json:"username,omitempty"`
}

// Chat is where a message lives: "private" for a one-to-one chat, "group" or
// "supergroup" for the officers' group.
type Chat struct {
	ID   int64  `json:"id"`
	Type string `json:"type"`
}

// Entity marks a span of Text; PushText marks a leading /command the way
// Telegram does, since clients recognise commands by it.
type Entity struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
}

// Contact is a shared contact card.
type Contact struct {
	PhoneNumber string `json:"phone_number"`
	FirstName   string `json:"first_name"`
	UserID      int64  `json:"user_id,omitempty"`
}

// PhotoSize is one resolution of a photo.
type PhotoSize struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	FileSize     int    `json:"file_size,omitempty"`
}

// File stands for a voice note, sticker or document: the fields such an
// attachment has that a client reads to tell it and fetch it.
type File struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileName     string `json:"file_name,omitempty"`
	MimeType     string `json:"mime_type,omitempty"`
	FileSize     int    `json:"file_size,omitempty"`
}

// FileInfo is getFile's answer: where the file is downloaded from.
type FileInfo struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileSize     int    `json:"file_size,omitempty"`
	FilePath     string `json:"file_path,omitempty"`
}

// CallbackQuery is a press of an inline button.
type CallbackQuery struct {
	ID           string   `json:"id"`
	From         User     `json:"from"`
	Message      *Message `json:"message,omitempty"`
	ChatInstance string   `json:"chat_instance"`
	Data         string   `json:"data,omitempty"`
}

// ReplyMarkup is any of the keyboards a message can carry, decoded from the
// reply_markup parameter: an inline keyboard, a reply keyboard, or its removal.
type ReplyMarkup struct {
	InlineKeyboard  [][]InlineButton   `json:"inline_keyboard,omitempty"`
	Keyboard        [][]KeyboardButton `json:"keyboard,omitempty"`
	OneTimeKeyboard bool               `json:"one_time_keyboard,omitempty"`
	ResizeKeyboard  bool               `json:"resize_keyboard,omitempty"`
	RemoveKeyboard  bool               `json:"remove_keyboard,omitempty"`
}

// InlineButton is a button under a message.
type InlineButton struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data,omitempty"`
}

// KeyboardButton is a button of a reply keyboard.
type KeyboardButton struct {
	Text           string `json:"text"`
	RequestContact bool   `json:"request_contact,omitempty"`
}
