-- Which ledger account holds each of a member's three savings. Opened on the
-- member's first movement of that kind.
CREATE TABLE savings_accounts (
	member_id  INTEGER NOT NULL REFERENCES members (id),
	kind       TEXT NOT NULL CHECK (kind IN ('pokok', 'wajib', 'sukarela')),
	account_id INTEGER NOT NULL UNIQUE REFERENCES ledger_accounts (id),
	PRIMARY KEY (member_id, kind)
) STRICT, WITHOUT ROWID;
