-- A pengawas decides related parties' loans (Permenkop 8/2023: one
-- pengurus and one pengawas approve them), so a decision's role may be
-- pengawas. SQLite cannot change a CHECK in place: the table is rebuilt
-- with every row copied as it was, and its indexes and append-only
-- triggers made again.
CREATE TABLE loan_decisions_new (
	id             INTEGER PRIMARY KEY,
	application_id INTEGER NOT NULL REFERENCES loan_applications (id),
	officer_id     TEXT NOT NULL CHECK (officer_id <> ''),
	role           TEXT NOT NULL CHECK (role IN ('petugas', 'manajer', 'pengawas')),
	decision       TEXT NOT NULL CHECK (decision IN ('approve', 'reject', 'ask_info')),
	reason         TEXT NOT NULL DEFAULT '',
	status         TEXT NOT NULL,
	at             TEXT NOT NULL
) STRICT;
INSERT INTO loan_decisions_new (id, application_id, officer_id, role, decision, reason, status, at)
	SELECT id, application_id, officer_id, role, decision, reason, status, at FROM loan_decisions;
DROP TABLE loan_decisions;
ALTER TABLE loan_decisions_new RENAME TO loan_decisions;
CREATE INDEX loan_decisions_application ON loan_decisions (application_id, id);
CREATE INDEX loan_decisions_at ON loan_decisions (at);
CREATE TRIGGER loan_decisions_no_update BEFORE UPDATE ON loan_decisions
BEGIN SELECT RAISE(ABORT, 'loan_decisions are append-only'); END;
CREATE TRIGGER loan_decisions_no_delete BEFORE DELETE ON loan_decisions
BEGIN SELECT RAISE(ABORT, 'loan_decisions are append-only'); END;
