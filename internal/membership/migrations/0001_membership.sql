-- A number that is no member and asked to join: what it typed as its name
-- (nothing until it leaves one) and its number, nothing else. answers
-- counts the answers given on asked_on, so a flood of "daftar" costs the
-- members' replies nothing. Deleted once the number is registered, or
-- after the cooperative's prospect_days without a word (Prune).
CREATE TABLE membership_prospects (
	id         INTEGER PRIMARY KEY,
	channel    TEXT NOT NULL,
	chat       TEXT NOT NULL,
	phone      TEXT NOT NULL,
	name       TEXT,
	named_at   TEXT,
	asked_on   TEXT NOT NULL, -- YYYY-MM-DD in the cooperative's zone
	answers    INTEGER NOT NULL,
	last_at    TEXT NOT NULL,
	UNIQUE (channel, chat)
) STRICT;
CREATE INDEX membership_prospects_phone ON membership_prospects (phone);
CREATE INDEX membership_prospects_last ON membership_prospects (last_at);

-- A member an officer registered: who did, and the simpanan pokok the
-- member owes from that day (paid with /setor … pokok, once).
CREATE TABLE membership_joins (
	member_id INTEGER PRIMARY KEY REFERENCES members (id),
	pokok     INTEGER NOT NULL CHECK (pokok > 0),
	officer   TEXT NOT NULL CHECK (officer <> ''),
	at        TEXT NOT NULL
) STRICT;

-- A member who left: the officer who asked, the manajer who confirmed, and
-- the payout of their savings (NULL when they held nothing).
CREATE TABLE membership_leaves (
	member_id INTEGER PRIMARY KEY REFERENCES members (id),
	maker     TEXT NOT NULL CHECK (maker <> ''),
	checker   TEXT NOT NULL CHECK (checker <> ''),
	tx_id     INTEGER REFERENCES ledger_transactions (id),
	at        TEXT NOT NULL
) STRICT;
