-- Amounts are whole Rupiah. Rates are exact decimal strings ('0.015'), never
-- floats. Dates are 'YYYY-MM-DD'; instants are UTC 'YYYY-MM-DDTHH:MM:SS.mmmZ',
-- fixed width so they compare as text.

-- A member's loan application (pengajuan). The product's terms are copied in
-- at application time: a later change of the catalog never rewrites a loan.
CREATE TABLE loan_applications (
	id               INTEGER PRIMARY KEY,
	ref              TEXT NOT NULL UNIQUE,              -- PJ-2611-0007
	ref_month        TEXT NOT NULL,                     -- 2611
	ref_seq          INTEGER NOT NULL CHECK (ref_seq > 0),
	idem_key         TEXT NOT NULL UNIQUE CHECK (idem_key <> ''),
	member_id        INTEGER NOT NULL REFERENCES members (id),
	product          TEXT NOT NULL,
	product_name     TEXT NOT NULL,
	method           TEXT NOT NULL CHECK (method IN ('flat', 'annuity')),
	rate_per_month   TEXT NOT NULL,
	penalty_per_day  TEXT NOT NULL,
	grace_days       INTEGER NOT NULL CHECK (grace_days >= 0),
	first_due_months INTEGER NOT NULL CHECK (first_due_months >= 1),
	amount           INTEGER NOT NULL CHECK (amount > 0),
	tenor            INTEGER NOT NULL CHECK (tenor > 0),
	purpose          TEXT NOT NULL,
	-- Workflow state, not money: decisions UPDATE it and append to loan_decisions.
	status           TEXT NOT NULL CHECK (status IN ('pending', 'info_requested', 'awaiting_second',
	                     'approved', 'rejected', 'cancelled', 'disbursed')),
	-- The officer whose approval awaits a second one; '' otherwise.
	first_approver   TEXT NOT NULL DEFAULT '',
	applied_at       TEXT NOT NULL,
	updated_at       TEXT NOT NULL,
	UNIQUE (ref_month, ref_seq)
) STRICT;
CREATE INDEX loan_applications_member ON loan_applications (member_id, status);
CREATE INDEX loan_applications_status ON loan_applications (status, applied_at);
CREATE INDEX loan_applications_applied ON loan_applications (applied_at);

-- Every officer decision, append-only: who, in which role, what, why, when,
-- and the status it left the application in.
CREATE TABLE loan_decisions (
	id             INTEGER PRIMARY KEY,
	application_id INTEGER NOT NULL REFERENCES loan_applications (id),
	officer_id     TEXT NOT NULL CHECK (officer_id <> ''),
	role           TEXT NOT NULL CHECK (role IN ('petugas', 'manajer')),
	decision       TEXT NOT NULL CHECK (decision IN ('approve', 'reject', 'ask_info')),
	reason         TEXT NOT NULL DEFAULT '',
	status         TEXT NOT NULL,
	at             TEXT NOT NULL
) STRICT;
CREATE INDEX loan_decisions_application ON loan_decisions (application_id, id);
CREATE INDEX loan_decisions_at ON loan_decisions (at);

-- The member's answers to an officer's question, append-only.
CREATE TABLE loan_info (
	id             INTEGER PRIMARY KEY,
	application_id INTEGER NOT NULL REFERENCES loan_applications (id),
	text           TEXT NOT NULL CHECK (text <> ''),
	at             TEXT NOT NULL
) STRICT;
CREATE INDEX loan_info_application ON loan_info (application_id, id);

-- A disbursed loan. Its ref is its application's; its receivable is the
-- ledger account PINJ-<ref>. Status is derived state kept for queries:
-- closed once everything is paid, open again if a payment is reversed.
CREATE TABLE loan_loans (
	id             INTEGER PRIMARY KEY,
	application_id INTEGER NOT NULL UNIQUE REFERENCES loan_applications (id),
	ref            TEXT NOT NULL UNIQUE,
	member_id      INTEGER NOT NULL REFERENCES members (id),
	principal      INTEGER NOT NULL CHECK (principal > 0),
	account_id     INTEGER NOT NULL UNIQUE REFERENCES ledger_accounts (id),
	disbursed_on   TEXT NOT NULL,
	tx_id          INTEGER NOT NULL UNIQUE REFERENCES ledger_transactions (id),
	officer_id     TEXT NOT NULL CHECK (officer_id <> ''),
	status         TEXT NOT NULL CHECK (status IN ('open', 'closed')),
	closed_on      TEXT
) STRICT;
CREATE INDEX loan_loans_member ON loan_loans (member_id, status);
CREATE INDEX loan_loans_disbursed ON loan_loans (disbursed_on);

-- The fixed schedule, written once at disbursement.
CREATE TABLE loan_installments (
	loan_id   INTEGER NOT NULL REFERENCES loan_loans (id),
	no        INTEGER NOT NULL CHECK (no > 0),
	due_on    TEXT NOT NULL,
	principal INTEGER NOT NULL CHECK (principal > 0),
	interest  INTEGER NOT NULL CHECK (interest >= 0),
	PRIMARY KEY (loan_id, no)
) STRICT, WITHOUT ROWID;
CREATE INDEX loan_installments_due ON loan_installments (due_on);

-- A repayment, or (reverses set, amount negative) the reversal of one.
CREATE TABLE loan_payments (
	id         INTEGER PRIMARY KEY,
	loan_id    INTEGER NOT NULL REFERENCES loan_loans (id),
	idem_key   TEXT NOT NULL UNIQUE CHECK (idem_key <> ''),
	tx_id      INTEGER NOT NULL UNIQUE REFERENCES ledger_transactions (id),
	paid_on    TEXT NOT NULL,
	amount     INTEGER NOT NULL CHECK (amount <> 0),
	officer_id TEXT NOT NULL,
	reverses   INTEGER UNIQUE REFERENCES loan_payments (id),
	reason     TEXT NOT NULL DEFAULT '',
	CHECK ((reverses IS NULL) = (amount > 0))
) STRICT;
CREATE INDEX loan_payments_loan ON loan_payments (loan_id, id);
CREATE INDEX loan_payments_paid ON loan_payments (paid_on);

-- Where each payment went, per installment and part. What a loan still owes
-- is computed from these rows and the schedule, never stored; a reversal
-- appends the negation of its payment's rows.
CREATE TABLE loan_allocations (
	id             INTEGER PRIMARY KEY,
	payment_id     INTEGER NOT NULL REFERENCES loan_payments (id),
	loan_id        INTEGER NOT NULL,
	installment_no INTEGER NOT NULL,
	part           TEXT NOT NULL CHECK (part IN ('denda', 'bunga', 'pokok')),
	amount         INTEGER NOT NULL CHECK (amount <> 0),
	FOREIGN KEY (loan_id, installment_no) REFERENCES loan_installments (loan_id, no)
) STRICT;
CREATE INDEX loan_allocations_installment ON loan_allocations (loan_id, installment_no);
CREATE INDEX loan_allocations_payment ON loan_allocations (payment_id);

-- History is appended, never edited.
CREATE TRIGGER loan_decisions_no_update BEFORE UPDATE ON loan_decisions
BEGIN SELECT RAISE(ABORT, 'loan_decisions are append-only'); END;
CREATE TRIGGER loan_decisions_no_delete BEFORE DELETE ON loan_decisions
BEGIN SELECT RAISE(ABORT, 'loan_decisions are append-only'); END;
CREATE TRIGGER loan_info_no_update BEFORE UPDATE ON loan_info
BEGIN SELECT RAISE(ABORT, 'loan_info is append-only'); END;
CREATE TRIGGER loan_info_no_delete BEFORE DELETE ON loan_info
BEGIN SELECT RAISE(ABORT, 'loan_info is append-only'); END;
CREATE TRIGGER loan_installments_no_update BEFORE UPDATE ON loan_installments
BEGIN SELECT RAISE(ABORT, 'loan_installments are fixed at disbursement'); END;
CREATE TRIGGER loan_installments_no_delete BEFORE DELETE ON loan_installments
BEGIN SELECT RAISE(ABORT, 'loan_installments are fixed at disbursement'); END;
CREATE TRIGGER loan_payments_no_update BEFORE UPDATE ON loan_payments
BEGIN SELECT RAISE(ABORT, 'loan_payments are append-only: reverse instead'); END;
CREATE TRIGGER loan_payments_no_delete BEFORE DELETE ON loan_payments
BEGIN SELECT RAISE(ABORT, 'loan_payments are append-only: reverse instead'); END;
CREATE TRIGGER loan_allocations_no_update BEFORE UPDATE ON loan_allocations
BEGIN SELECT RAISE(ABORT, 'loan_allocations are append-only: reverse instead'); END;
CREATE TRIGGER loan_allocations_no_delete BEFORE DELETE ON loan_allocations
BEGIN SELECT RAISE(ABORT, 'loan_allocations are append-only: reverse instead'); END;
-- A loan's money facts are fixed; only its derived status may change.
CREATE TRIGGER loan_loans_fixed BEFORE UPDATE OF application_id, ref, member_id, principal, account_id,
	disbursed_on, tx_id, officer_id ON loan_loans
BEGIN SELECT RAISE(ABORT, 'loan_loans money fields are fixed'); END;
-- An application's request and terms are fixed once made.
CREATE TRIGGER loan_applications_fixed BEFORE UPDATE OF ref, idem_key, member_id, product, method,
	rate_per_month, penalty_per_day, grace_days, first_due_months, amount, tenor ON loan_applications
BEGIN SELECT RAISE(ABORT, 'loan_applications request and terms are fixed'); END;
