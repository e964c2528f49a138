-- Every inbound message, recorded before it is handled and in the same
-- transaction: a redelivered WhatsApp message or Telegram update finds its
-- row and is answered once, and posts money once.
CREATE TABLE inbox (
	channel     TEXT NOT NULL,
	platform_id TEXT NOT NULL,
	chat        TEXT NOT NULL,
	phone       TEXT,
	text        TEXT NOT NULL,
	received_at TEXT NOT NULL,
	PRIMARY KEY (channel, platform_id)
) STRICT, WITHOUT ROWID;
