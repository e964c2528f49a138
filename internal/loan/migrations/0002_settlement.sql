-- Early settlement (pelunasan dipercepat) and prepayment terms, copied from
-- the product at application time like the rest of the terms. '' is the
-- method's default (loans made before these columns existed get it too).
ALTER TABLE loan_applications ADD COLUMN settle_policy TEXT NOT NULL DEFAULT ''
	CHECK (settle_policy IN ('', 'accrued', 'current_period', 'discount'));
ALTER TABLE loan_applications ADD COLUMN settle_fee TEXT NOT NULL DEFAULT '0';
ALTER TABLE loan_applications ADD COLUMN settle_discount TEXT NOT NULL DEFAULT '0';
ALTER TABLE loan_applications ADD COLUMN prepayment TEXT NOT NULL DEFAULT ''
	CHECK (prepayment IN ('', 'installment', 'term'));
ALTER TABLE loan_applications ADD COLUMN round_to INTEGER NOT NULL DEFAULT 0 CHECK (round_to IN (0, 100, 500, 1000));
CREATE TRIGGER loan_applications_settlement_fixed BEFORE UPDATE OF settle_policy, settle_fee, settle_discount,
	prepayment, round_to ON loan_applications
BEGIN SELECT RAISE(ABORT, 'loan_applications request and terms are fixed'); END;

-- A new schedule for a loan, made by the payment that changed it: a
-- prepayment that re-amortised an annuity loan, or an early settlement. It
-- holds the whole plan, every installment, so each version can be read
-- alone; the loan follows its newest version whose payment is not reversed,
-- or its original loan_installments when it has none. Versions are
-- appended, never edited: the history of every schedule a member was shown
-- stays readable.
CREATE TABLE loan_schedule_versions (
	id         INTEGER PRIMARY KEY,
	loan_id    INTEGER NOT NULL REFERENCES loan_loans (id),
	payment_id INTEGER NOT NULL UNIQUE REFERENCES loan_payments (id),
	reason     TEXT NOT NULL CHECK (reason IN ('prepayment', 'settlement')),
	made_on    TEXT NOT NULL
) STRICT;
CREATE INDEX loan_schedule_versions_loan ON loan_schedule_versions (loan_id, id);

CREATE TABLE loan_schedule_rows (
	version_id INTEGER NOT NULL REFERENCES loan_schedule_versions (id),
	loan_id    INTEGER NOT NULL,
	no         INTEGER NOT NULL,
	due_on     TEXT NOT NULL,
	principal  INTEGER NOT NULL CHECK (principal >= 0),
	interest   INTEGER NOT NULL CHECK (interest >= 0),
	PRIMARY KEY (version_id, no),
	FOREIGN KEY (loan_id, no) REFERENCES loan_installments (loan_id, no)
) STRICT, WITHOUT ROWID;

-- What an early settlement charged beyond principal and interest: the fee,
-- posted to its own income account, and the policy it was computed by.
CREATE TABLE loan_settlements (
	payment_id INTEGER PRIMARY KEY REFERENCES loan_payments (id),
	loan_id    INTEGER NOT NULL REFERENCES loan_loans (id),
	policy     TEXT NOT NULL,
	days       INTEGER NOT NULL CHECK (days >= 0),
	interest   INTEGER NOT NULL CHECK (interest >= 0),
	fee        INTEGER NOT NULL CHECK (fee >= 0)
) STRICT;

CREATE TRIGGER loan_schedule_versions_no_update BEFORE UPDATE ON loan_schedule_versions
BEGIN SELECT RAISE(ABORT, 'loan_schedule_versions are append-only'); END;
CREATE TRIGGER loan_schedule_versions_no_delete BEFORE DELETE ON loan_schedule_versions
BEGIN SELECT RAISE(ABORT, 'loan_schedule_versions are append-only'); END;
CREATE TRIGGER loan_schedule_rows_no_update BEFORE UPDATE ON loan_schedule_rows
BEGIN SELECT RAISE(ABORT, 'loan_schedule_rows are append-only'); END;
CREATE TRIGGER loan_schedule_rows_no_delete BEFORE DELETE ON loan_schedule_rows
BEGIN SELECT RAISE(ABORT, 'loan_schedule_rows are append-only'); END;
CREATE TRIGGER loan_settlements_no_update BEFORE UPDATE ON loan_settlements
BEGIN SELECT RAISE(ABORT, 'loan_settlements are append-only'); END;
CREATE TRIGGER loan_settlements_no_delete BEFORE DELETE ON loan_settlements
BEGIN SELECT RAISE(ABORT, 'loan_settlements are append-only'); END;

-- The schedule each loan follows now.
CREATE VIEW loan_plan (loan_id, no, due_on, principal, interest) AS
	WITH live AS (SELECT v.loan_id, max(v.id) AS id FROM loan_schedule_versions v
		WHERE NOT EXISTS (SELECT 1 FROM loan_payments r WHERE r.reverses = v.payment_id) GROUP BY v.loan_id)
	SELECT i.loan_id, i.no, i.due_on, i.principal, i.interest FROM loan_installments i
		WHERE NOT EXISTS (SELECT 1 FROM live WHERE live.loan_id = i.loan_id)
	UNION ALL
	SELECT r.loan_id, r.no, r.due_on, r.principal, r.interest FROM loan_schedule_rows r JOIN live ON live.id = r.version_id;
