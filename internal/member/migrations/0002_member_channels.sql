-- Where a member last talked to us, per channel: notices the member did not
-- ask for (a loan decision, a receipt, a reminder) go where they chat.
CREATE TABLE member_channels (
	member_id INTEGER NOT NULL REFERENCES members (id),
	channel   TEXT NOT NULL,
	chat      TEXT NOT NULL,
	last_seen TEXT NOT NULL,
	PRIMARY KEY (member_id, channel)
) STRICT, WITHOUT ROWID;
