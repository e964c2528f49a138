-- A class set by hand (a loan in court, or claimed on insurance, is Macet
-- whatever its days past due): one officer proposes it with a reason, a
-- second confirms it through the shared maker-checker (duty_proposals), and
-- from on_date the loan is judged at least this bad. Append-only: a mistake
-- is not edited away.
CREATE TABLE kolek_manual (
	id          INTEGER PRIMARY KEY,
	loan_id     INTEGER NOT NULL REFERENCES loan_loans (id),
	class       TEXT NOT NULL CHECK (class <> ''),
	on_date     TEXT NOT NULL,
	reason      TEXT NOT NULL CHECK (reason <> ''),
	proposal_id INTEGER NOT NULL UNIQUE REFERENCES duty_proposals (id)
) STRICT;
CREATE INDEX kolek_manual_loan ON kolek_manual (loan_id, id);
CREATE TRIGGER kolek_manual_no_update BEFORE UPDATE ON kolek_manual
BEGIN SELECT RAISE(ABORT, 'kolek_manual is append-only'); END;
CREATE TRIGGER kolek_manual_no_delete BEFORE DELETE ON kolek_manual
BEGIN SELECT RAISE(ABORT, 'kolek_manual is append-only'); END;

-- The loan book as the daily job judged it at the end of a day, one row per
-- class of the profile: what the neraca's notes and the health assessment
-- read for a past day instead of judging every loan again. Written once per
-- day and profile, after the day is over.
CREATE TABLE kolek_daily (
	on_date     TEXT NOT NULL,
	profile     TEXT NOT NULL,
	class       TEXT NOT NULL,
	position    INTEGER NOT NULL,
	loans       INTEGER NOT NULL CHECK (loans >= 0),
	outstanding INTEGER NOT NULL CHECK (outstanding >= 0),
	required    INTEGER NOT NULL CHECK (required >= 0),
	PRIMARY KEY (on_date, profile, class)
) STRICT;
