-- A member's request to take money out of their simpanan sukarela, and what
-- the officers made of it. key is the member's confirming message, so a
-- redelivered "ya" asks once. account is the bank account the member gave
-- for a transfer, kept with the request (members have no account on file
-- elsewhere). Money moves only in the ledger, keyed by the request; tx_id
-- says which transaction that was.
CREATE TABLE withdrawals (
	id           INTEGER PRIMARY KEY,
	key          TEXT NOT NULL UNIQUE,
	member_id    INTEGER NOT NULL REFERENCES members (id),
	amount       INTEGER NOT NULL CHECK (amount > 0),
	method       TEXT NOT NULL CHECK (method IN ('cash', 'transfer')),
	account      TEXT NOT NULL DEFAULT '',
	status       TEXT NOT NULL DEFAULT 'pending'
		CHECK (status IN ('pending', 'approved', 'posted', 'rejected', 'cancelled')),
	requested_at TEXT NOT NULL,
	approved_by  TEXT NOT NULL DEFAULT '',
	approved_at  TEXT,
	decided_by      TEXT NOT NULL DEFAULT '',
	decided_at   TEXT,
	tx_id        INTEGER REFERENCES ledger_transactions (id),
	reason       TEXT NOT NULL DEFAULT '',
	CHECK (method = 'cash' OR account <> ''),
	CHECK ((status = 'posted') = (tx_id IS NOT NULL))
) STRICT;
CREATE INDEX withdrawals_member ON withdrawals (member_id, status, id);
