-- A loan's class, appended only when it changes: the history an auditor
-- reads. The latest row per loan is its current class.
CREATE TABLE kolek_history (
	id       INTEGER PRIMARY KEY,
	loan_id  INTEGER NOT NULL REFERENCES loan_loans (id),
	on_date  TEXT NOT NULL,
	class    TEXT NOT NULL,
	dpd      INTEGER NOT NULL,
	profile  TEXT NOT NULL,
	-- Set when an officer classified the loan by hand (Macet: court,
	-- insurance), with the reason.
	by_hand  TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX kolek_history_loan ON kolek_history (loan_id, id);
CREATE INDEX kolek_history_date ON kolek_history (on_date);

-- Collateral an officer recorded for a loan; the latest row counts.
CREATE TABLE kolek_collateral (
	id         INTEGER PRIMARY KEY,
	loan_id    INTEGER NOT NULL REFERENCES loan_loans (id),
	value      INTEGER NOT NULL CHECK (value >= 0),
	note       TEXT NOT NULL,
	officer_id TEXT NOT NULL,
	at         TEXT NOT NULL
) STRICT;
CREATE INDEX kolek_collateral_loan ON kolek_collateral (loan_id, id);

CREATE TRIGGER kolek_history_no_update BEFORE UPDATE ON kolek_history
BEGIN SELECT RAISE(ABORT, 'kolek_history is append-only'); END;
CREATE TRIGGER kolek_history_no_delete BEFORE DELETE ON kolek_history
BEGIN SELECT RAISE(ABORT, 'kolek_history is append-only'); END;
