-- A transfer proof a member sent: the file (kept content-addressed on disk,
-- named by its SHA-256), what the caption said, and what an officer made of
-- it. message_id is the inbound message's id across channels, so a
-- redelivered photo is one proof. Money is posted in the ledger, keyed by
-- the proof; this row only says which transaction that was.
CREATE TABLE payment_proofs (
	id          INTEGER PRIMARY KEY,
	member_id   INTEGER NOT NULL REFERENCES members (id),
	message_id  TEXT NOT NULL UNIQUE,
	sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
	path        TEXT NOT NULL,
	mime        TEXT NOT NULL,
	size        INTEGER NOT NULL CHECK (size > 0),
	caption     TEXT NOT NULL DEFAULT '',
	-- What the caption (or the member's answer) said: an amount in whole
	-- Rupiah and a purpose, when it said one.
	amount      INTEGER CHECK (amount IS NULL OR amount > 0),
	purpose     TEXT NOT NULL DEFAULT '' CHECK (purpose IN ('', 'angsuran', 'wajib', 'sukarela', 'pokok')),
	status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'posted', 'rejected')),
	officer_id  TEXT NOT NULL DEFAULT '',
	decided_at  TEXT,
	tx_id       INTEGER REFERENCES ledger_transactions (id),
	reason      TEXT NOT NULL DEFAULT '',
	-- When the member was asked what the transfer was for, because the
	-- caption did not say; their next message answers it.
	asked_at    TEXT,
	received_at TEXT NOT NULL
) STRICT;
CREATE INDEX payment_proofs_member ON payment_proofs (member_id, id);
CREATE INDEX payment_proofs_pending ON payment_proofs (status) WHERE status = 'pending';

-- An officer who pressed Tolak on a proof: their next plain message in that
-- chat is the reason the member reads. One per officer and chat.
CREATE TABLE payment_reason_wait (
	officer_id TEXT NOT NULL,
	channel    TEXT NOT NULL,
	chat       TEXT NOT NULL,
	proof_id   INTEGER NOT NULL REFERENCES payment_proofs (id),
	message_id TEXT NOT NULL DEFAULT '',
	at         TEXT NOT NULL,
	PRIMARY KEY (officer_id, channel, chat)
) STRICT, WITHOUT ROWID;
