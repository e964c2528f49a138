-- The schedule each loan follows now, kept as a table of its own so the
-- planner's reads (every installment due in a range, over every loan) run
-- on plain indexes as fast as on loan_installments: derived state, like
-- loan_loans.status, rewritten for one loan whenever a schedule version is
-- made or its payment reversed (refreshCurrent). The history it is derived
-- from is loan_installments and loan_schedule_versions/rows, never edited.
CREATE TABLE loan_current (
	loan_id   INTEGER NOT NULL REFERENCES loan_loans (id),
	no        INTEGER NOT NULL,
	due_on    TEXT NOT NULL,
	principal INTEGER NOT NULL CHECK (principal >= 0),
	interest  INTEGER NOT NULL CHECK (interest >= 0),
	PRIMARY KEY (loan_id, no)
) STRICT, WITHOUT ROWID;
CREATE INDEX loan_current_due ON loan_current (due_on);
INSERT INTO loan_current (loan_id, no, due_on, principal, interest)
	SELECT loan_id, no, due_on, principal, interest FROM loan_plan;
DROP VIEW loan_plan;
