-- Every officer command and button press, refused ones included, with who
-- sent it (the platform id, also when it is no officer's), append-only.
CREATE TABLE officer_audit (
	id         INTEGER PRIMARY KEY,
	officer_id TEXT NOT NULL,
	channel    TEXT NOT NULL,
	action     TEXT NOT NULL CHECK (action <> ''),
	subject    TEXT NOT NULL DEFAULT '',
	detail     TEXT NOT NULL DEFAULT '',
	ok         INTEGER NOT NULL CHECK (ok IN (0, 1)),
	at         TEXT NOT NULL
) STRICT;
CREATE INDEX officer_audit_officer ON officer_audit (officer_id, id);
CREATE INDEX officer_audit_at ON officer_audit (at);

CREATE TRIGGER officer_audit_no_update BEFORE UPDATE ON officer_audit
BEGIN SELECT RAISE(ABORT, 'officer_audit is append-only'); END;
CREATE TRIGGER officer_audit_no_delete BEFORE DELETE ON officer_audit
BEGIN SELECT RAISE(ABORT, 'officer_audit is append-only'); END;

-- An officer who pressed Tolak or Minta info and whose next plain message in
-- that chat is the reason or the question. One per officer and chat: a
-- second press replaces the first. message_id is the announcement whose
-- buttons go once the decision is final ('' when typed as a command).
CREATE TABLE officer_pending (
	officer_id TEXT NOT NULL,
	channel    TEXT NOT NULL,
	chat       TEXT NOT NULL,
	action     TEXT NOT NULL CHECK (action IN ('reject', 'ask_info')),
	ref        TEXT NOT NULL,
	message_id TEXT NOT NULL DEFAULT '',
	at         TEXT NOT NULL,
	PRIMARY KEY (officer_id, channel, chat)
) STRICT, WITHOUT ROWID;
