-- A credit line of a bank statement whose amount matched a payment code,
-- proposed to the officers. key names the line across imports (see
-- payment.Line.Key), so importing the same statement again, or one that
-- overlaps it, proposes nothing twice. Money is posted in the ledger under
-- keys made from it; this row says what the officers decided. Lines that
-- matched no code are only listed by the import.
CREATE TABLE payment_bank_lines (
	id          INTEGER PRIMARY KEY,
	key         TEXT NOT NULL UNIQUE,
	account     TEXT NOT NULL,
	value_date  TEXT NOT NULL,
	description TEXT NOT NULL,
	amount      INTEGER NOT NULL CHECK (amount > 0),
	code_id     INTEGER NOT NULL REFERENCES payment_codes (id),
	status      TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'posted', 'rejected')),
	officer_id  TEXT NOT NULL DEFAULT '',
	decided_at  TEXT,
	imported_at TEXT NOT NULL
) STRICT;
-- A code is paid by one line at most.
CREATE UNIQUE INDEX payment_bank_lines_code ON payment_bank_lines (code_id) WHERE status <> 'rejected';
