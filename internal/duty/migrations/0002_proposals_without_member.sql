-- Not every proposal concerns one member: a journal entry (an operating
-- expense, a purchase) moves the cooperative's own money, and a manual
-- kolektibilitas class moves no money at all. member_id becomes optional and
-- tx_id stays empty for what posts nothing. SQLite cannot drop a NOT NULL in
-- place, so the table is rebuilt with every row copied as it was.
CREATE TABLE duty_proposals_new (
	id         INTEGER PRIMARY KEY,
	key        TEXT NOT NULL UNIQUE,
	kind       TEXT NOT NULL CHECK (kind <> ''),
	member_id  INTEGER REFERENCES members (id),
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
INSERT INTO duty_proposals_new (id, key, kind, member_id, amount, detail, maker, made_at, status, checker, checked_at, tx_id)
	SELECT id, key, kind, member_id, amount, detail, maker, made_at, status, checker, checked_at, tx_id FROM duty_proposals;
DROP TABLE duty_proposals;
ALTER TABLE duty_proposals_new RENAME TO duty_proposals;
CREATE INDEX duty_proposals_open ON duty_proposals (status, id);
