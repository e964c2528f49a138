-- The day each of the cooperative's numbers first sent through kopbot: a
-- fresh WhatsApp number's bulk cap warms up from that day, and a restart
-- must not start the warm-up again.
CREATE TABLE sender_numbers (
	channel    TEXT NOT NULL,
	number     TEXT NOT NULL,
	first_used TEXT NOT NULL, -- RFC 3339 instant
	PRIMARY KEY (channel, number)
) STRICT, WITHOUT ROWID;
