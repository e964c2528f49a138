-- Money an officer asked to move that a second officer must confirm before
-- it is posted (maker-checker). key is the maker's message, so a redelivered
-- command proposes once. detail is what the caller needs to carry it out
-- (the kind of savings). A confirmed proposal carries the checker and the
-- ledger transaction it posted.
CREATE TABLE duty_proposals (
	id         INTEGER PRIMARY KEY,
	key        TEXT NOT NULL UNIQUE,
	kind       TEXT NOT NULL CHECK (kind <> ''),
	member_id  INTEGER NOT NULL REFERENCES members (id),
	amount     INTEGER NOT NULL CHECK (amount > 0),
	detail     TEXT NOT NULL DEFAULT '',
	maker      TEXT NOT NULL CHECK (maker <> ''),
	made_at    TEXT NOT NULL,
	status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'confirmed', 'cancelled')),
	checker    TEXT,
	checked_at TEXT,
	tx_id      INTEGER REFERENCES ledger_transactions (id),
	CHECK ((status = 'open') = (checker IS NULL)),
	CHECK (checker IS NULL OR checker <> maker)
) STRICT;
CREATE INDEX duty_proposals_open ON duty_proposals (status, id);
