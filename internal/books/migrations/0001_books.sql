-- A closed month: no transaction may be dated on or before the last day of
-- the latest closed month. Months are closed in order, so the latest row
-- says how far the books are closed.
CREATE TABLE books_closings (
	month     TEXT PRIMARY KEY CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
	closed_by TEXT NOT NULL,
	closed_at TEXT NOT NULL,
	-- The year-end closing entry, for December.
	tx_id     INTEGER REFERENCES ledger_transactions (id)
) STRICT;

-- In a trigger, so that no writer (a counter payment, an import, a
-- reversal) can slip a value date into a closed month.
CREATE TRIGGER books_closed_month BEFORE INSERT ON ledger_transactions
WHEN NEW.value_date < (SELECT date(max(month) || '-01', '+1 month') FROM books_closings)
BEGIN
	SELECT RAISE(ABORT, 'kopbot books: value date in a closed month');
END;

-- The books read the ledger by value date: a balance sheet at a past date
-- subtracts what came after it, a period's income what fell inside it.
CREATE INDEX books_ledger_value_date ON ledger_transactions (value_date);

-- A journal entry above the two-officer limit waits here for a second
-- officer; below it, or once approved, it is posted to the ledger.
CREATE TABLE books_journal (
	id          INTEGER PRIMARY KEY,
	idem_key    TEXT NOT NULL UNIQUE,
	account     TEXT NOT NULL,
	via         TEXT NOT NULL,
	amount      INTEGER NOT NULL CHECK (amount > 0),
	value_date  TEXT NOT NULL,
	memo        TEXT NOT NULL,
	made_by     TEXT NOT NULL,
	made_at     TEXT NOT NULL,
	approved_by TEXT,
	tx_id       INTEGER REFERENCES ledger_transactions (id)
) STRICT;
