-- Everything kopbot sends is written here in the same transaction as the
-- state change that caused it, then delivered by the channel's sender.
CREATE TABLE outbox (
	id         INTEGER PRIMARY KEY,
	channel    TEXT NOT NULL,
	chat       TEXT NOT NULL,
	text       TEXT NOT NULL,
	buttons    TEXT,                 -- JSON rows of inline buttons, NULL when none
	edit_of    TEXT,                 -- platform id of a message whose buttons this replaces
	key        TEXT UNIQUE,          -- stable key of a message that must go once ever (reminders); NULL for replies
	status     TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'dropped')),
	attempts   INTEGER NOT NULL DEFAULT 0,
	next_try   TEXT,                 -- RFC 3339; a failed or held message waits until then
	last_error TEXT,                 -- why it failed, or why it was dropped
	created_at TEXT NOT NULL,
	sent_at    TEXT
) STRICT;
CREATE INDEX outbox_pending ON outbox (channel, id) WHERE status = 'pending';
